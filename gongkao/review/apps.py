from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "gongkao.review"
    label = "review"
    verbose_name = "资格审查"

    def ready(self) -> None:
        # Imported here: services need the app registry ready.
        from gongkao.applications.services import on_submitted
        from gongkao.review.batches import follow_submission

        on_submitted(follow_submission)
