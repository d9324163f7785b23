from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gongkao.core"
    label = "core"
    verbose_name = "基础设置"
