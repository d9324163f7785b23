import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0007_office_plans"),
    ]

    operations = [
        migrations.AlterField(
            model_name="sitting",
            name="office",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="sittings",
                to="organizations.examoffice",
                verbose_name="工考办",
            ),
        ),
    ]
