"""The materials an application needs, derived from its level, route and data.

Each slot has a stable key (`certificate:12`, `annual_review:2023`) so that an
uploaded file, a reviewer's tick and a return reason all point at the same
item. Section keys name the pages of the profile (`basic`, `certificates` …).
"""

from __future__ import annotations

from dataclasses import dataclass

from gongkao.applications.models import (
    AnnualReviewResult,
    ApplicantProfile,
    Application,
    JobTypeChange,
)
from gongkao.core.dates import chinese_month

SECTIONS = {
    "basic": "个人基本信息",
    "certificates": "等级证书",
    "annual_reviews": "年度考核",
    "honors": "荣誉和专利",
    "application": "申报等级和工种",
}


@dataclass(frozen=True)
class Slot:
    key: str
    label: str
    help: str = ""
    photo: bool = False
    deferrable: bool = False  # 容缺后补: may come after submission (3.3)


def material_slots(
    profile: ApplicantProfile, application: Application, review_years: tuple[int, ...]
) -> list[Slot]:
    slots = [
        Slot(
            "id_card",
            "居民身份证（正反面）",
            "正反面可拍在一张图片上，或合并为一个PDF。",
        ),
        Slot(
            "photo",
            "近期免冠证件照",
            "一寸彩色证件照，JPG或PNG，不小于295×413像素。",
            photo=True,
        ),
        Slot("education", "最高学历（文化程度）证书", "毕业证书原件的扫描件或照片。"),
        Slot(
            "work_record",
            "参加工作时间及转正定级证明",
            "人事档案中记载参加工作时间、转正定级时间的材料（如转正定级审批表）。",
        ),
    ]
    for cert in profile.certificates.all():
        slots.append(
            Slot(
                f"certificate:{cert.pk}",
                f"等级证书：{cert.get_level_display()} {cert.job_type_name}",
                f"证书编号 {cert.number}",
            )
        )
    if application.level == 1:
        results = {r.year: r.result for r in profile.annual_reviews.all()}
        for year in review_years:
            pending = results.get(year) == AnnualReviewResult.PENDING
            slots.append(
                Slot(
                    f"annual_review:{year}",
                    f"{year}年度考核结果（备案材料）",
                    "结果尚未备案的，可承诺容缺后补。" if pending else "",
                    deferrable=pending,
                )
            )
    for honor in profile.honors.all():
        slots.append(
            Slot(
                f"honor:{honor.pk}",
                f"荣誉证书：{honor.title}",
                f"{honor.issuer} {chinese_month(honor.date)}",
            )
        )
    for patent in profile.patents.all():
        slots.append(
            Slot(
                f"patent:{patent.pk}",
                f"专利证书：{patent.title}",
                f"专利号 {patent.number}",
            )
        )
    if application.job_type_change == JobTypeChange.VOLUNTARY:
        slots.append(Slot("job_type_change", "单位同意转换岗位工种的证明"))
    elif application.job_type_change == JobTypeChange.REFORM:
        slots.append(
            Slot("job_type_change", "机构改革文件及单位出具的岗位工种变化证明")
        )
    return slots


def slot_labels(slots: list[Slot]) -> dict[str, str]:
    return {slot.key: slot.label for slot in slots}


def item_label(key: str, labels: dict[str, str]) -> str:
    """The Chinese name of a returnable item: a section or a material slot."""
    if key.startswith("material:"):
        return labels.get(key.removeprefix("material:"), "申报材料")
    return SECTIONS.get(key, key)
