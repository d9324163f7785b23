from django.apps import AppConfig


class QuestionsConfig(AppConfig):
    name = "gongkao.questions"
    verbose_name = "题库和试卷"
