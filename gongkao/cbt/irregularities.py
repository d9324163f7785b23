"""The default categories of irregularities (违纪违规) a proctor records.

From 《专业技术人员资格考试违纪违规行为处理规定》 as amended by 人力资源和社会
保障部令第31号 (in force since 1 April 2017), the nearest national rule for
these tests. Its chapter 2 lists the acts of candidates by consequence:

- 第六条: the result of that subject of the sitting is void (当次该科目考试
  成绩无效), ten items, the last "other" ones;
- 第七条: the results of every subject of the sitting are void (当次全部科目
  考试成绩无效) and the act is kept in the national integrity record
  (诚信档案库) for five years, six items;
- 第八条: the same voiding, kept in the record for the long term (长期记录),
  three items.

The wording follows the text of the rule (as published on public exam sites;
the library holds no official copy), without the trailing 的. Left out on
purpose: 第九条 (disturbing the exam's order: the candidate is sent out, and
only a serious case falls under 第七条/第八条, which the proctor then records
as such) and 第十一条 (identical answers found in marking, decided by the
office, not recorded in the room).

Codes are stable ASCII, "31-<article>-<item>", and are what the database
stores; the list is the default data an office may extend.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

Voids = Literal["subject", "all"]
Record = Literal["none", "five_years", "long_term"]

VOIDS_LABELS: Final[dict[str, str]] = {
    "subject": "当次该科目考试成绩无效",
    "all": "当次全部科目考试成绩无效",
}
RECORD_LABELS: Final[dict[str, str]] = {
    "none": "",
    "five_years": "记入专业技术人员资格考试诚信档案库，记录期限为五年",
    "long_term": "记入专业技术人员资格考试诚信档案库，长期记录",
}


@dataclass(frozen=True)
class Category:
    """An act and its consequence: `voids` one subject or all subjects of the
    sitting; `record` is how long the act stays in the integrity record."""

    code: str
    act: str
    voids: Voids
    record: Record = "none"


CATEGORIES: Final[tuple[Category, ...]] = (
    # 第六条: 当次该科目考试成绩无效.
    Category(
        "31-6-1",
        "携带通讯工具、规定以外的电子用品或者与考试内容相关的资料进入座位，经提醒仍不改正",
        "subject",
    ),
    Category("31-6-2", "经提醒仍不按规定书写、填涂本人身份和考试信息", "subject"),
    Category(
        "31-6-3",
        "在试卷、答题纸、答题卡规定以外位置标注本人信息或者其他特殊标记",
        "subject",
    ),
    Category(
        "31-6-4",
        "未在规定座位参加考试，或者未经考试工作人员允许擅自离开座位或者考场，经提醒仍不改正",
        "subject",
    ),
    Category("31-6-5", "未用规定的纸、笔作答，或者试卷前后作答笔迹不一致", "subject"),
    Category(
        "31-6-6",
        "在考试开始信号发出前答题，或者在考试结束信号发出后继续答题",
        "subject",
    ),
    Category("31-6-7", "将试卷、答题卡、答题纸带出考场", "subject"),
    Category("31-6-8", "故意损坏试卷、答题纸、答题卡、电子化系统设施", "subject"),
    Category("31-6-9", "未按规定使用考试系统，经提醒仍不改正", "subject"),
    Category(
        "31-6-10",
        "其他应当给予当次该科目考试成绩无效处理的违纪违规行为",
        "subject",
    ),
    # 第七条: 当次全部科目考试成绩无效, five years in the record.
    Category(
        "31-7-1",
        "抄袭、协助他人抄袭试题答案或者与考试内容相关资料",
        "all",
        "five_years",
    ),
    Category("31-7-2", "互相传递试卷、答题纸、答题卡、草稿纸等", "all", "five_years"),
    Category("31-7-3", "持伪造证件参加考试", "all", "five_years"),
    Category(
        "31-7-4",
        "本人离开考场后，在考试结束前，传播考试试题及答案",
        "all",
        "five_years",
    ),
    Category(
        "31-7-5",
        "使用禁止带入考场的通讯工具、规定以外的电子用品",
        "all",
        "five_years",
    ),
    Category(
        "31-7-6",
        "其他应当给予当次全部科目考试成绩无效处理的严重违纪违规行为",
        "all",
        "five_years",
    ),
    # 第八条: 当次全部科目考试成绩无效, kept in the record for the long term.
    Category("31-8-1", "串通作弊或者参与有组织作弊", "all", "long_term"),
    Category("31-8-2", "代替他人或者让他人代替自己参加考试", "all", "long_term"),
    Category("31-8-3", "其他情节特别严重、影响恶劣的违纪违规行为", "all", "long_term"),
)

OTHER_MINOR: Final = "31-6-10"  # the catch-all for one subject
OTHER_SERIOUS: Final = "31-7-6"  # the catch-all for all subjects

BY_CODE: Final[dict[str, Category]] = {c.code: c for c in CATEGORIES}


def category(code: str) -> Category:
    """The default category with this code; KeyError if there is none."""
    return BY_CODE[code]
