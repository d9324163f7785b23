"""Every rule of ../shared/spec/question-bank.md, on the pure parser."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from gongkao.questions import exchange

JOB_TYPES = {"汽车驾驶员": 7, "J001": 7, "电工": 8}
HEAD = [
    "题型",
    "科目",
    "等级",
    "工种",
    "题干",
    "选项A",
    "选项B",
    "选项C",
    "选项D",
    "选项E",
    "答案",
]


def xlsx(header: list[str], *rows: list[object]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def parse(*rows: list[object], header: list[str] = HEAD) -> exchange.Parsed:
    return exchange.parse(xlsx(header, *rows), "bank.xlsx", JOB_TYPES.get)


def errors(*rows: list[object]) -> list[str]:
    return [str(e) for e in parse(*rows).errors]


GOOD = [
    "单选",
    "职业道德",
    "4",
    "",
    "爱岗敬业的要求是（　）。",
    "甲",
    "乙",
    "丙",
    "",
    "",
    "A",
]


def test_a_good_row_of_each_kind():
    result = parse(
        GOOD,
        [
            "多选题",
            "岗位技能",
            "四级",
            "汽车驾驶员",
            "出车前应检查（　）。",
            "轮胎",
            "灯光",
            "音响",
            "",
            "",
            "A、B",
        ],
        [
            "判断",
            "职业能力",
            "五级（初级工）",
            "",
            "安全第一。",
            "",
            "",
            "",
            "",
            "",
            "√",
        ],
    )
    assert not result.errors
    single, multiple, judge = result.questions
    assert (
        single.kind,
        single.subject,
        single.level,
        single.options,
        single.answer,
    ) == ("single", "ethics", 4, ["甲", "乙", "丙"], "A")
    assert (multiple.kind, multiple.job_type_id, multiple.answer) == (
        "multiple",
        7,
        "AB",
    )
    assert (judge.kind, judge.level, judge.options, judge.answer) == (
        "judge",
        5,
        ["对", "错"],
        "A",
    )


@pytest.mark.parametrize(
    "text", ["ACD", "A,C,D", "A，C，D", "A、C、D", "A C D", "dca", "ＡＣＤ", "a，c d"]
)
def test_multiple_answers_with_any_separator_case_and_width(text):
    row = ["多选", "职业道德", "4", "", "题", "一", "二", "三", "四", "", text]
    (question,) = parse(row).questions
    assert question.answer == "ACD"


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("对", "A"),
        ("错", "B"),
        ("√", "A"),
        ("×", "B"),
        ("正确", "A"),
        ("错误", "B"),
        ("A", "A"),
        ("b", "B"),
        ("Ｂ", "B"),
    ],
)
def test_true_false_answers(text, answer):
    row = ["判断题", "职业道德", "4", "", "题", "", "", "", "", "", text]
    (question,) = parse(row).questions
    assert question.answer == answer


@pytest.mark.parametrize(
    ("text", "level"),
    [("1", 1), ("５", 5), ("三级", 3), ("一级（高级技师）", 1), ("五级（初级工）", 5)],
)
def test_levels(text, level):
    row = ["单选", "岗位技能", text, "电工", "题", "一", "二", "", "", "", "A"]
    if level == 1:
        row[1] = "专业基础知识"
    (question,) = parse(row).questions
    assert question.level == level


@pytest.mark.parametrize(
    ("text", "difficulty"),
    [
        ("1", 1),
        ("5", 5),
        ("易", 2),
        ("较易", 2),
        ("中", 3),
        ("较难", 4),
        ("难", 4),
        ("", None),
    ],
)
def test_difficulty(text, difficulty):
    header = [*HEAD, "难度"]
    (question,) = parse([*GOOD, text], header=header).questions
    assert question.difficulty == difficulty


def test_header_trimmed_order_free_unknown_columns_ignored_empty_rows_skipped():
    header = [
        " 答案 ",
        "备注",
        "题干",
        "等级",
        "科目 ",
        "题型",
        "选项B",
        "选项A",
        "编号",
        "知识点",
        "解析",
    ]
    result = exchange.parse(
        xlsx(
            header,
            [
                "B",
                "随便",
                "题一",
                "4",
                "职业道德",
                "单选",
                "乙",
                "甲",
                "E-1",
                "规范",
                "因为",
            ],
            [None, None, None, None, None, None, None, None, None, None, None],
            ["A", "", "题二", "4", "职业道德", "单选", "乙", "甲", "", "", ""],
        ),
        "bank.xlsx",
        JOB_TYPES.get,
    )
    assert not result.errors
    first, second = result.questions
    assert (
        first.answer,
        first.options,
        first.uid,
        first.knowledge_point,
        first.explanation,
    ) == ("B", ["甲", "乙"], "E-1", "规范", "因为")
    assert second.row == 4  # the empty row 3 was skipped, numbers kept


def test_line_breaks_in_the_stem_are_kept():
    row = list(GOOD)
    row[4] = "第一行\n第二行"
    (question,) = parse(row).questions
    assert question.stem == "第一行\n第二行"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({0: ""}, "第2行 题型：不能为空"),
        ({0: "填空"}, "第2行 题型：应为单选、多选或判断"),
        ({1: ""}, "第2行 科目：不能为空"),
        ({1: "数学"}, "第2行 科目：应为岗位技能、职业道德、职业能力或专业基础知识"),
        ({2: ""}, "第2行 等级：不能为空"),
        ({2: "6"}, "第2行 等级：应为1–5或一级–五级"),
        ({4: ""}, "第2行 题干：不能为空"),
        ({10: ""}, "第2行 答案：不能为空"),
        ({10: "AB"}, "第2行 答案：单选题只能有一个答案"),
        ({10: "E"}, "第2行 答案：选项E为空"),
        ({10: "X"}, "第2行 答案：应为选项字母"),
        ({3: "电工"}, "第2行 工种：职业道德为各工种通用科目，工种应为空"),
        ({6: "", 7: "丙"}, "第2行 选项B：选项须从A起连续填写"),
        ({6: "", 7: ""}, "第2行 选项A：至少需要两个选项"),
    ],
)
def test_each_invalid_cell_is_named(change, message):
    row = list(GOOD)
    for index, value in change.items():
        row[index] = value
    assert message in errors(row)


def test_multiple_choice_needs_two_answers():
    row = ["多选", "职业道德", "4", "", "题", "一", "二", "三", "", "", "B"]
    assert errors(row) == ["第2行 答案：多选题至少两个选项"]


def test_repeated_answer_letters():
    row = ["多选", "职业道德", "4", "", "题", "一", "二", "三", "", "", "AA"]
    assert errors(row) == ["第2行 答案：选项字母重复"]


def test_true_false_answer_must_be_true_or_false():
    row = ["判断", "职业道德", "4", "", "题", "", "", "", "", "", "C"]
    assert errors(row) == ["第2行 答案：判断题答案应为对或错"]


def test_job_type_rules():
    skill = ["单选", "岗位技能", "4", "", "题", "一", "二", "", "", "", "A"]
    assert errors(skill) == ["第2行 工种：岗位技能须填写工种"]
    skill[3] = "宇航员"
    assert errors(skill) == ["第2行 工种：工种目录中没有“宇航员”"]
    skill[3] = "J001"  # a code works as well as a name
    assert not errors(skill)


def test_professional_basics_is_a_level_one_subject():
    row = ["单选", "专业基础知识", "3", "电工", "题", "一", "二", "", "", "", "A"]
    assert errors(row) == ["第2行 等级：专业基础知识只用于一级理论考试"]


def test_bad_difficulty():
    assert errors([*GOOD, "很难"]) == []  # no 难度 column in HEAD: ignored
    parsed = parse([*GOOD, "很难"], header=[*HEAD, "难度"])
    assert [str(e) for e in parsed.errors] == [
        "第2行 难度：应为1–5或易、较易、中、较难、难"
    ]


def test_duplicates_in_the_file_name_the_first_row():
    again = list(GOOD)
    again[5] = " 甲 "  # spaces do not make it another question
    other_level = list(GOOD)
    other_level[2] = "3"
    result = parse(GOOD, again, other_level)
    assert [str(e) for e in result.errors] == ["第3行 题干：与第2行重复"]
    assert len(result.questions) == 2


def test_every_invalid_row_is_listed_in_order():
    bad = list(GOOD)
    bad[10] = "Z"
    worse = list(GOOD)
    worse[0] = "问答"
    worse[1] = "语文"
    assert errors(GOOD, bad, worse) == [
        "第3行 答案：应为选项字母",
        "第4行 题型：应为单选、多选或判断",
        "第4行 科目：应为岗位技能、职业道德、职业能力或专业基础知识",
    ]


def test_missing_required_columns():
    result = exchange.parse(
        xlsx(["题型", "题干"], ["单选", "x"]), "b.xlsx", JOB_TYPES.get
    )
    assert [str(e) for e in result.errors] == ["第1行 表头：缺少列：科目、等级、答案"]


def test_not_a_spreadsheet():
    result = exchange.parse(b"not a zip", "b.xlsx", JOB_TYPES.get)
    assert "无法读取文件" in str(result.errors[0])


def test_an_empty_sheet():
    result = exchange.parse(xlsx(HEAD), "b.xlsx", JOB_TYPES.get)
    assert [str(e) for e in result.errors] == ["第2行 文件：没有试题"]


def _csv(encoding: str) -> bytes:
    text = ",".join(HEAD) + "\n" + ",".join(GOOD) + "\n"
    return text.encode(encoding)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_utf8_with_or_without_bom_or_gb18030(encoding):
    result = exchange.parse(_csv(encoding), "bank.CSV", JOB_TYPES.get)
    assert not result.errors
    assert result.questions[0].stem == "爱岗敬业的要求是（　）。"


def test_control_characters_are_dropped():
    row = list(GOOD)
    row[4] = "题\x00干\x07"
    text = ",".join(HEAD) + "\n" + ",".join(row) + "\n"
    (question,) = exchange.parse(text.encode(), "b.csv", JOB_TYPES.get).questions
    assert question.stem == "题干"


def test_written_file_reads_back_the_same():
    rows = [
        {
            "编号": "A-1",
            "题型": "多选",
            "科目": "岗位技能",
            "等级": 4,
            "工种": "电工",
            "题干": "题",
            "选项A": "一",
            "选项B": "二",
            "选项C": "三",
            "答案": "AC",
            "难度": 3,
            "知识点": "安全",
            "解析": "因为",
        },
    ]
    (question,) = exchange.parse(
        exchange.write_xlsx(rows), "x.xlsx", JOB_TYPES.get
    ).questions
    assert (
        question.uid,
        question.job_type_id,
        question.answer,
        question.difficulty,
    ) == ("A-1", 8, "AC", 3)
