from django.db import migrations

# The starting list of coded return reasons; offices edit it in the admin.
CODES = [
    ("photo", "照片不合格"),
    ("unclear", "证书或材料不清晰"),
    ("mismatch", "与人事档案不一致"),
    ("missing", "缺少材料"),
    ("wrong_info", "信息填写有误"),
    ("not_eligible", "不符合申报条件"),
    ("other", "其他"),
]


def add_codes(apps, schema_editor):
    ReturnReasonCode = apps.get_model("applications", "ReturnReasonCode")
    for order, (code, label) in enumerate(CODES):
        ReturnReasonCode.objects.get_or_create(code=code, defaults={"label": label, "order": order})


class Migration(migrations.Migration):
    dependencies = [("applications", "0001_initial")]
    operations = [migrations.RunPython(add_codes, migrations.RunPython.noop)]
