"""Chain the audit rows written before the chain existed, in id order."""

from django.db import migrations


def chain_existing(apps, schema_editor):
    from gongkao.core.audit import chain_key, compute_hash

    AuditEvent = apps.get_model("core", "AuditEvent")
    AuditChainHead = apps.get_model("core", "AuditChainHead")
    prev_hash, seq = "", 0
    key = None
    fields = (
        "actor_id",
        "actor_label",
        "action",
        "target_type",
        "target_id",
        "target_label",
        "before",
        "after",
        "ip",
        "at",
    )
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        key = key or chain_key()  # only asked for when there are rows
        seq += 1
        data = {name: getattr(event, name) for name in fields}
        data["seq"] = seq
        event.seq = seq
        event.chain_hash = prev_hash = compute_hash(prev_hash, data, key)
        event.save(update_fields=["seq", "chain_hash"])
    AuditChainHead.objects.update_or_create(
        pk=1, defaults={"seq": seq, "hash": prev_hash}
    )


def unchain(apps, schema_editor):
    apps.get_model("core", "AuditChainHead").objects.all().delete()
    apps.get_model("core", "AuditEvent").objects.update(seq=None, chain_hash="")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_audit_chain"),
    ]

    operations = [migrations.RunPython(chain_existing, unchain)]
