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


@dataclass(frozen=True)
class MaterialRule:
    """One kind of material: who needs it (levels; the routes it proves, for the
    public list) and, for `each`, one slot per item of the profile."""

    key: str
    label: str  # the public list's words
    help: str = ""
    levels: frozenset[int] = frozenset({1, 2, 3, 4, 5})
    routes: frozenset[str] | None = None  # None: every route
    each: str = ""  # "certificate", "annual_review", "honor", "patent", "change"
    photo: bool = False


ALL_LEVELS = frozenset({1, 2, 3, 4, 5})
# The one list both the application's checklist and the public portal read.
MATERIAL_RULES = [
    MaterialRule(
        "id_card", "居民身份证（正反面）", "正反面可拍在一张图片上，或合并为一个PDF。"
    ),
    MaterialRule(
        "photo",
        "近期免冠证件照",
        "一寸彩色证件照，JPG或PNG，不小于295×413像素。",
        photo=True,
    ),
    MaterialRule(
        "education", "最高学历（文化程度）证书", "毕业证书原件的扫描件或照片。"
    ),
    MaterialRule(
        "work_record",
        "参加工作时间及转正定级证明",
        "人事档案中记载参加工作时间、转正定级时间的材料（如转正定级审批表）。",
    ),
    MaterialRule(
        "certificate",
        "已取得的工勤技能等级证书（每本一份）",
        "按证书晋级或转换工种的，须有现等级证书。",
        each="certificate",
    ),
    MaterialRule(
        "performance",
        "工作业绩材料",
        "单位出具的工作表现和业绩证明，以及技术革新成果、解决本工种重大技术操作问题、"
        "传授技艺等材料，可合并为一个PDF（《通知》2.2.4、2.2.5）。",
        levels=frozenset({1, 2}),
    ),
    MaterialRule(
        "annual_review",
        "近5年年度考核结果（备案材料，每年一份）",
        "结果尚未备案的，可承诺容缺后补。",
        levels=frozenset({1}),
        each="annual_review",
    ),
    MaterialRule(
        "honor",
        "荣誉证书（每项一份）",
        "按荣誉直接晋升或一级条件放宽申报的必须提供。",
        routes=frozenset({"honor_promotion", "exemption"}),
        each="honor",
    ),
    MaterialRule(
        "patent",
        "专利证书（每项一份）",
        "按一级条件放宽（专利）申报的必须提供。",
        routes=frozenset({"exemption"}),
        each="patent",
    ),
    MaterialRule(
        "job_type_change",
        "转换岗位工种证明（单位同意转岗证明，或机构改革文件及单位证明）",
        "转换工种申报的必须提供。",
        routes=frozenset({"job_type_transfer"}),
        each="change",
    ),
]


def public_materials(level: int, route: str) -> list[MaterialRule]:
    """What an applicant of `level` by `route` must upload, for the portal."""
    return [
        rule
        for rule in MATERIAL_RULES
        if level in rule.levels and (rule.routes is None or route in rule.routes)
    ]


def material_slots(
    profile: ApplicantProfile, application: Application, review_years: tuple[int, ...]
) -> list[Slot]:
    slots: list[Slot] = []
    for rule in MATERIAL_RULES:
        if application.level is not None and application.level not in rule.levels:
            continue
        if application.level is None and rule.levels != ALL_LEVELS:
            continue
        slots += _slots_of(rule, profile, application, review_years)
    return slots


def _slots_of(
    rule: MaterialRule,
    profile: ApplicantProfile,
    application: Application,
    review_years: tuple[int, ...],
) -> list[Slot]:
    """The rule's slots for this applicant: one, or one per item of the profile."""
    if rule.each == "certificate":
        return [
            Slot(
                f"certificate:{cert.pk}",
                f"等级证书：{cert.get_level_display()} {cert.job_type_name}",
                f"证书编号 {cert.number}",
            )
            for cert in profile.certificates.all()
            # Issued by this system: the office holds the record, no scan.
            if not cert.issued
        ]
    if rule.each == "annual_review":
        results = {r.year: r.result for r in profile.annual_reviews.all()}
        slots = []
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
        return slots
    if rule.each == "honor":
        return [
            Slot(
                f"honor:{honor.pk}",
                f"荣誉证书：{honor.title}",
                f"{honor.issuer} {chinese_month(honor.date)}",
            )
            for honor in profile.honors.all()
        ]
    if rule.each == "patent":
        return [
            Slot(
                f"patent:{patent.pk}",
                f"专利证书：{patent.title}",
                f"专利号 {patent.number}",
            )
            for patent in profile.patents.all()
        ]
    if rule.each == "change":
        if application.job_type_change == JobTypeChange.VOLUNTARY:
            return [Slot(rule.key, "单位同意转换岗位工种的证明")]
        if application.job_type_change == JobTypeChange.REFORM:
            return [Slot(rule.key, "机构改革文件及单位出具的岗位工种变化证明")]
        return []
    return [Slot(rule.key, rule.label, rule.help, photo=rule.photo)]


def slot_labels(slots: list[Slot]) -> dict[str, str]:
    return {slot.key: slot.label for slot in slots}


def item_label(key: str, labels: dict[str, str]) -> str:
    """The Chinese name of a returnable item: a section or a material slot."""
    if key.startswith("material:"):
        return labels.get(key.removeprefix("material:"), "申报材料")
    if key.startswith("clause:"):
        return f"申报条件 {key.removeprefix('clause:')}"
    if key.startswith("consent:"):
        return "单位同意事项"
    return SECTIONS.get(key, key)
