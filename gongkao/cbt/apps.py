from django.apps import AppConfig


class CbtConfig(AppConfig):
    name = "gongkao.cbt"
    verbose_name = "人机对话考试"
