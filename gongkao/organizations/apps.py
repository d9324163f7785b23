from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "gongkao.organizations"
    label = "organizations"
    verbose_name = "单位与工考管理机构"
