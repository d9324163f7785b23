from django.db import migrations


class Migration(migrations.Migration):
    # The certificate an applicant already holds; `Certificate` is the one this
    # system will issue (GLOSSARY.md).
    dependencies = [("applications", "0004_move_review_chain")]
    operations = [migrations.RenameModel("Certificate", "HeldCertificate")]
