"""The default categories of irregularities (人社部令第31号), as data an office
may extend."""

from django.db import migrations

from gongkao.cbt.irregularities import CATEGORIES


def add(apps, schema_editor):
    category = apps.get_model("cbt", "IrregularityCategory")
    for order, c in enumerate(CATEGORIES):
        category.objects.get_or_create(
            code=c.code,
            defaults={"act": c.act, "voids": c.voids, "record": c.record, "order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("cbt", "0001_initial")]

    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
