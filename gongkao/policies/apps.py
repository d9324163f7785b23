from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "gongkao.policies"
    label = "policies"
    verbose_name = "资格条件政策"
