import re

import pytest

from gongkao.cbt.irregularities import (
    CATEGORIES,
    OTHER_MINOR,
    OTHER_SERIOUS,
    RECORD_LABELS,
    VOIDS_LABELS,
    category,
)


def test_codes_are_stable_ascii_and_unique():
    codes = [c.code for c in CATEGORIES]
    assert len(codes) == len(set(codes)) == 19
    assert all(re.fullmatch(r"31-[678]-\d{1,2}", code) for code in codes)


def test_articles_decide_the_consequence():
    """第六条 voids the subject; 第七条 and 第八条 every subject, kept in the
    integrity record five years or for the long term."""
    by_article: dict[str, set[tuple[str, str]]] = {}
    for c in CATEGORIES:
        by_article.setdefault(c.code.split("-")[1], set()).add((c.voids, c.record))
    assert by_article == {
        "6": {("subject", "none")},
        "7": {("all", "five_years")},
        "8": {("all", "long_term")},
    }
    assert [c.code.split("-")[1] for c in CATEGORIES].count("6") == 10


def test_other_minor_and_serious():
    assert category(OTHER_MINOR).voids == "subject"
    assert category(OTHER_MINOR).act.startswith("其他")
    assert category(OTHER_SERIOUS).voids == "all"
    assert category(OTHER_SERIOUS).act.startswith("其他")


def test_acts_are_written_and_distinct():
    acts = [c.act for c in CATEGORIES]
    assert len(set(acts)) == len(acts)
    assert all(act and not act.endswith("的") for act in acts)
    assert "使用禁止带入考场的通讯工具、规定以外的电子用品" in acts
    assert category("31-8-2").act == "代替他人或者让他人代替自己参加考试"


def test_labels_cover_every_value():
    assert {c.voids for c in CATEGORIES} <= set(VOIDS_LABELS)
    assert {c.record for c in CATEGORIES} <= set(RECORD_LABELS)


def test_unknown_code():
    with pytest.raises(KeyError):
        category("31-5-1")
