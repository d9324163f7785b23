# Chinese wording shared by the rules: what users read, never what the code compares.
from __future__ import annotations

from datetime import date
from functools import lru_cache

LEVEL_NAMES = {1: "一级", 2: "二级", 3: "三级", 4: "四级", 5: "五级"}

EMPLOYMENT_NAMES = {"formal": "在岗正式工作人员", "contract": "聘用工作人员"}

EDUCATION_NAMES = {
    "primary": "小学",
    "junior_middle": "初中",
    "high_school": "高中",
    "secondary_vocational": "中专",
    "technical_school": "技工院校",
    "junior_college": "大专",
    "bachelor": "大学本科",
    "master": "硕士研究生",
    "doctor": "博士研究生",
}

REVIEW_NAMES = {
    "excellent": "优秀",
    "competent": "合格",
    "basic": "基本合格",
    "incompetent": "不合格",
    "pending": "容缺后补",
}

HONOR_KIND_NAMES = {
    "labor_model": "劳动模范/先进工作者",
    "may_day_medal": "五一劳动奖章",
    "technical_expert": "技术能手",
    "competition": "技能竞赛个人奖",
    "commendation": "党委、政府表彰",
    "department_commendation": "工作部门表彰",
    "special_talent": "绝招绝技绝活特殊人才",
}

HONOR_LEVEL_NAMES = {
    "national": "全国",
    "provincial": "省级",
    "city": "省辖市级",
    "county": "县级",
}

PATENT_KIND_NAMES = {"invention": "发明专利", "utility_model": "实用新型专利"}

# The routes of shared/spec/eligibility-batch.md, in the words users read.
ROUTE_LABELS = {
    "regular": "按证书晋级",
    "years": "按工作年限",
    "honor_promotion": "荣誉直接晋升",
    "exemption": "一级条件放宽",
    "job_type_transfer": "转换工种",
}


@lru_cache(maxsize=1 << 16)  # a roster repeats dates; formatting is the cost
def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@lru_cache(maxsize=256)
def cn_age(months: int) -> str:
    years, extra = divmod(months, 12)
    return f"{years}岁{extra}个月" if extra else f"{years}岁"
