from django.apps import AppConfig


class PanelsConfig(AppConfig):
    name = "gongkao.panels"
    verbose_name = "一级综合评审"

    def ready(self) -> None:
        # Imported here: the demo needs the app registry ready. The command
        # (in `questions`, below this app) runs it through the hook.
        from gongkao.panels.demo import seed_panel_review
        from gongkao.questions.demo import after_question_bank

        after_question_bank(seed_panel_review)
