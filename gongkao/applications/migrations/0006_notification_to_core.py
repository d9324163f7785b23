from django.db import migrations

FIELDS = [
    "user_id",
    "kind",
    "title",
    "body",
    "created_at",
    "read_at",
    "sms_status",
    "sms_sent_at",
    "dedupe_key",
]


def copy_to_core(apps, schema_editor):
    """Every message moves to core.Notification, its application as the target
    (one INSERT … SELECT: exact timestamps, any number of rows)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    application_type, _ = ContentType.objects.get_or_create(
        app_label="applications", model="application"
    )
    columns = ", ".join(FIELDS)
    schema_editor.execute(
        f"INSERT INTO core_notification ({columns}, target_type_id, target_id) "
        f"SELECT {columns}, CASE WHEN application_id IS NULL THEN NULL ELSE %s END, "
        "application_id FROM applications_notification ORDER BY id",
        [application_type.pk],
    )


class Migration(migrations.Migration):
    # Notifications may point at any object now (admission tickets,
    # certificates …), so they live in core.
    dependencies = [
        ("applications", "0005_held_certificate"),
        ("core", "0003_notification"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(copy_to_core, migrations.RunPython.noop),
        migrations.DeleteModel(name="Notification"),
    ]
