from django.db import migrations, models
import django.db.models.deletion


def lines_name_their_division(apps, schema_editor):
    """A line "anywhere" meant the office's own city: say so."""
    Jurisdiction = apps.get_model("organizations", "Jurisdiction")
    for line in Jurisdiction.objects.filter(division__isnull=True).select_related(
        "office"
    ):
        line.division_id = line.office.division_id
        line.save(update_fields=["division"])
    Division = apps.get_model("organizations", "Division")
    Division.objects.filter(code="410800").update(short_name="焦", letters="JZ")


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="division",
            name="short_name",
            field=models.CharField(
                blank=True,
                help_text="如 焦（中央和省驻焦单位）。",
                max_length=10,
                verbose_name="简称",
            ),
        ),
        migrations.AddField(
            model_name="division",
            name="letters",
            field=models.CharField(
                blank=True, help_text="编号前缀，如 JZ。", max_length=6, verbose_name="字母代码"
            ),
        ),
        migrations.AlterField(
            model_name="division",
            name="kind",
            field=models.CharField(
                choices=[
                    ("province", "省"),
                    ("city", "地级市"),
                    ("urban_district", "城区"),
                    ("county", "县（市）"),
                ],
                max_length=20,
                verbose_name="类型",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="jurisdiction", name="one_office_per_category_anywhere"
        ),
        migrations.RunPython(lines_name_their_division, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="jurisdiction",
            name="division",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="jurisdictions",
                to="organizations.division",
                verbose_name="区划（含下级区划）",
            ),
        ),

        migrations.AlterField(
            model_name='jurisdiction',
            name='category',
            field=models.CharField(choices=[('county', '县（市）单位'), ('urban_district', '城区单位'), ('city_direct', '市直单位'), ('central_provincial', '中央和省驻市单位')], max_length=30, verbose_name='单位类别'),
        ),
        migrations.AlterField(
            model_name='unit',
            name='category',
            field=models.CharField(choices=[('county', '县（市）单位'), ('urban_district', '城区单位'), ('city_direct', '市直单位'), ('central_provincial', '中央和省驻市单位')], max_length=30, verbose_name='单位类别'),
        ),
    ]
