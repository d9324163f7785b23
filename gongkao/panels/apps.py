from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "gongkao.panels"
    verbose_name = "一级综合评审"
