from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "gongkao.certificates"
    verbose_name = "等级证书"

    def ready(self) -> None:
        # Imported here: the demo needs the app registry ready. The command
        # (in `cbt`, below this app) runs it through the hook, after results'.
        from gongkao.certificates.demo import seed_certificates
        from gongkao.questions.demo import after_question_bank

        after_question_bank(seed_certificates)
