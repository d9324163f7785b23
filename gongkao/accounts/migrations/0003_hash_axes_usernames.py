"""django-axes's rows written before `axes_username` returned a keyed hash hold
the phone or ID number people typed: replace each by the hash the lockout now
counts by (accounts.backends.axes_username), merging the attempts that were
one account typed differently.

django-axes has since been replaced by accounts.LoginThrottle and 0004 drops
its tables; without the app installed this migration does nothing."""

import re

from django.db import migrations

_HASHED = re.compile(r"^[0-9a-f]{64}$")


def hash_usernames(apps, schema_editor):
    try:
        apps.get_model("axes", "AccessLog")
    except LookupError:  # axes is no longer installed
        return
    from gongkao.accounts import crypto
    from gongkao.accounts.backends import normalize_login

    def hashed(raw):
        value = normalize_login(raw)
        return crypto.blind_index(value) if value else ""

    for name in ("AccessLog", "AccessFailureLog"):
        model = apps.get_model("axes", name)
        for row in model.objects.exclude(username__isnull=True).iterator():
            if not _HASHED.match(row.username):
                model.objects.filter(pk=row.pk).update(username=hashed(row.username))
    AccessAttempt = apps.get_model("axes", "AccessAttempt")
    rows = list(AccessAttempt.objects.exclude(username__isnull=True).order_by("pk"))
    # Rows already hashed first: a plaintext row joins one of them, never the
    # other way round (username, address and agent are unique together).
    kept = {
        (row.username, row.ip_address, row.user_agent): row
        for row in rows
        if _HASHED.match(row.username)
    }
    for row in rows:
        if _HASHED.match(row.username):
            continue
        key = (hashed(row.username), row.ip_address, row.user_agent)
        if key in kept:
            # The same account typed another way: one attempt row, as now.
            first = kept[key]
            first.failures_since_start += row.failures_since_start
            first.save(update_fields=["failures_since_start"])
            row.delete()
            continue
        row.username = key[0]
        row.save(update_fields=["username"])
        kept[key] = row


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_user_pledged_at")]

    operations = [migrations.RunPython(hash_usernames, migrations.RunPython.noop)]
