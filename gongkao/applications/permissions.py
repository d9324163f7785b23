"""Predicates of the applicant's side: what the applicant may change, upload,
submit or withdraw now. Views, templates and services all ask these; a
`check_…` raises NotEditable with the Chinese reason, a `can_…`/`is_…`
answers yes or no.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from gongkao.applications.checklist import Slot
from gongkao.applications.models import Application, Material
from gongkao.applications.states import EDITABLE, FINAL, TRANSITIONS, Status
from gongkao.applications.unlocks import is_unlocked
from gongkao.core.dates import chinese_date


class NotEditable(Exception):
    """The message is Chinese: why this item cannot be changed now."""


def is_editable(application: Application) -> bool:
    """The applicant holds the file: a draft, or a return to fix."""
    return application.status in EDITABLE


def can_withdraw(application: Application) -> bool:
    return Status.WITHDRAWN in TRANSITIONS.get(application.status, frozenset())


def editable_items(application: Application) -> set[str] | None:
    """None: everything may change (a draft). A set: only these items (a return)."""
    if application.status == Status.DRAFT:
        return None
    if application.status == Status.RETURNED:
        return set(application.return_items)
    return set()


def check_editable(application: Application, item: str) -> None:
    allowed = editable_items(application)
    if allowed is None or is_unlocked(allowed, item):
        return
    if application.status == Status.RETURNED:
        raise NotEditable(
            "这一项没有被退回，不需要修改。只能修改退回意见中列出的事项。"
        )
    raise NotEditable(f"申报{application.get_status_display()}，现在不能修改。")


def check_deferred_upload(application: Application, slot_key: str) -> None:
    """After submission only a committed 容缺后补 item may come, once, in time."""
    if application.status in FINAL:
        raise NotEditable(f"申报{application.get_status_display()}，不能再上传。")
    if application.deferred_committed_at is None:
        raise NotEditable("您没有作出容缺后补承诺，这一项不能在提交后上传。")
    deadline = application.campaign.deferred_materials_deadline
    if timezone.localdate() > deadline:
        raise NotEditable(f"容缺后补材料应在{chinese_date(deadline)}前上传，已过期限。")
    if _has_file(application, slot_key):
        raise NotEditable("这一项已经上传，等待工考办审核，不能再更换。")


def check_upload_allowed(application: Application, slot: Slot) -> None:
    """A file for `slot` may come now: while the applicant may edit it, or a
    committed 容缺后补 item after submission."""
    if application.status == Status.RETURNED and not _submitted_with_file(
        application, slot.key
    ):
        return  # a slot empty at submission (a new item's scan) changes nothing
    if is_editable(application) or not slot.deferrable:
        check_editable(application, f"material:{slot.key}")
    else:
        check_deferred_upload(application, slot.key)


def _submitted_with_file(application: Application, slot_key: str) -> bool:
    """Whether the submission being fixed had a file in `slot_key`."""
    materials = (application.snapshot or {}).get("materials", [])
    return any(m.get("slot") == slot_key for m in materials)


def _has_file(application: Application, slot_key: str) -> bool:
    return Material.objects.filter(
        application=application, slot=slot_key, current__isnull=False
    ).exists()


def can_upload(application: Application, slot: Slot) -> bool:
    """Whether the materials page offers an upload for `slot` now."""
    try:
        check_upload_allowed(application, slot)
    except NotEditable:
        return False
    return True


def window_open(application: Application, today: date) -> bool:
    campaign = application.campaign
    end = max(
        campaign.registration_end,
        application.extended_until or campaign.registration_end,
    )
    return campaign.registration_start <= today <= end
