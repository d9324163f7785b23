from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "gongkao.results"
    verbose_name = "成绩与合格人员"

    def ready(self) -> None:
        # Imported here: the demo needs the app registry ready. The command
        # (in `cbt`, below this app) runs it through the hook, after panels'.
        from gongkao.questions.demo import after_question_bank
        from gongkao.results.demo import seed_results

        after_question_bank(seed_results)
