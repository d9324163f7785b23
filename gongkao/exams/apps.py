from django.apps import AppConfig


class ExamsConfig(AppConfig):
    name = "gongkao.exams"
    verbose_name = "考试安排"
