from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "gongkao.portal"
    verbose_name = "门户"
