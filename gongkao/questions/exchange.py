"""The question bank's Excel exchange format (../shared/spec/question-bank.md).

Reading turns a sheet's rows into `ParsedQuestion`s or `RowError`s; the
import is all or nothing, so the caller stores nothing unless every row is
valid. Duplicates inside the file are found here; duplicates against the
bank are the caller's (it knows the bank). Pure Python: the job-type
catalogue comes in as a lookup.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from openpyxl import Workbook, load_workbook

LETTERS = "ABCDEFGH"
OPTION_HEADERS = [f"选项{letter}" for letter in LETTERS]
HEADER = [
    "编号",
    "题型",
    "科目",
    "等级",
    "工种",
    "题干",
    *OPTION_HEADERS,
    "答案",
    "难度",
    "知识点",
    "解析",
]
REQUIRED = ["题型", "科目", "等级", "题干", "答案"]

SINGLE, MULTIPLE, JUDGE = "single", "multiple", "judge"
KIND_NAMES = {SINGLE: "单选", MULTIPLE: "多选", JUDGE: "判断"}
KINDS = {
    "单选": SINGLE,
    "单选题": SINGLE,
    "多选": MULTIPLE,
    "多选题": MULTIPLE,
    "判断": JUDGE,
    "判断题": JUDGE,
}
# Subject codes as the exam plan names them (exams.services.DEFAULT_SUBJECTS).
SUBJECTS = {"岗位技能": "skill", "职业道德": "ethics", "职业能力": "ability"} | {
    "专业基础知识": "basics"
}
SUBJECT_NAMES = {code: name for name, code in SUBJECTS.items()}
# 岗位技能 and 专业基础知识 are set per job type; the others are common.
PER_JOB_TYPE = frozenset({"skill", "basics"})
LEVEL_WORDS = {"一级": 1, "二级": 2, "三级": 3, "四级": 4, "五级": 5}
# The spec gives 易 (2), 中 (3), 难 (4); 较易 and 较难 fall on the same side.
DIFFICULTY_WORDS = {"易": 2, "较易": 2, "中": 3, "较难": 4, "难": 4}
JUDGE_ANSWERS = {
    "对": "A",
    "√": "A",
    "正确": "A",
    "A": "A",
    "错": "B",
    "×": "B",
    "错误": "B",
    "B": "B",
}
JUDGE_OPTIONS = ["对", "错"]


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"第{self.row}行 {self.column}：{self.reason}"


@dataclass
class ParsedQuestion:
    row: int
    kind: str
    subject: str
    level: int
    job_type_id: int | None
    stem: str
    options: list[str]
    answer: str
    difficulty: int | None = None
    knowledge_point: str = ""
    explanation: str = ""
    uid: str = ""
    fingerprint: str = field(default="", compare=False)


def fingerprint(stem: str, options: Iterable[str]) -> str:
    """Equal stems and options give equal prints (spaces and width folded)."""

    def norm(text: str) -> str:
        return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))

    joined = "\x1f".join([norm(stem), *(norm(o) for o in options)])
    return hashlib.sha256(joined.encode()).hexdigest()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    # PostgreSQL refuses NUL; other control characters are noise from pasting.
    text = "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C"
    )
    return text.strip()


def read_rows(
    data: bytes, filename: str, what: str = "题库文件"
) -> tuple[list[str], Iterator[list[str]]]:
    """The header and the rows of an .xlsx (first sheet) or a CSV; `what`
    names the file in the message when it cannot be read."""
    if filename.lower().endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValueError("CSV文件的编码无法识别，请保存为UTF-8或GB18030。")
        reader = csv.reader(io.StringIO(text))
        header = next(reader, [])
        return [_cell(h) for h in header], ([_cell(c) for c in r] for r in reader)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise ValueError(f"无法读取文件，请上传.xlsx或.csv格式的{what}。") from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [_cell(h) for h in next(rows, ())]
    return header, ([_cell(c) for c in r] for r in rows)


def _level(text: str) -> int | None:
    text = unicodedata.normalize("NFKC", text)
    if text in {"1", "2", "3", "4", "5"}:
        return int(text)
    return LEVEL_WORDS.get(text[:2]) if text[:2] in LEVEL_WORDS else None


def _letters(text: str) -> str | None:
    """Answer letters, upper-case, in order; None when something else is there."""
    text = unicodedata.normalize("NFKC", text).upper()
    text = re.sub(r"[\s,、，;；]+", "", text)
    if not text or any(ch not in LETTERS for ch in text):
        return None
    return text


def parse_row(
    number: int,
    values: dict[str, str],
    job_types: Callable[[str], int | None],
) -> ParsedQuestion | list[RowError]:
    """One row (its 1-based sheet row number) → a question or its errors."""
    errors: list[RowError] = []

    def bad(column: str, reason: str) -> None:
        errors.append(RowError(number, column, reason))

    for column in REQUIRED:
        if not values.get(column):
            bad(column, "不能为空")
    kind = KINDS.get(values.get("题型", ""))
    if values.get("题型") and kind is None:
        bad("题型", "应为单选、多选或判断")
    subject = SUBJECTS.get(values.get("科目", ""))
    if values.get("科目") and subject is None:
        bad("科目", "应为岗位技能、职业道德、职业能力或专业基础知识")
    level = _level(values.get("等级", ""))
    if values.get("等级") and level is None:
        bad("等级", "应为1–5或一级–五级")
    if subject == "basics" and level not in (None, 1):
        bad("等级", "专业基础知识只用于一级理论考试")
    job_type_id = None
    job_text = values.get("工种", "")
    if subject in PER_JOB_TYPE:
        if not job_text:
            bad("工种", f"{SUBJECT_NAMES[subject]}须填写工种")
        else:
            job_type_id = job_types(job_text)
            if job_type_id is None:
                bad("工种", f"工种目录中没有“{job_text}”")
    elif job_text and subject is not None:
        bad("工种", f"{SUBJECT_NAMES[subject]}为各工种通用科目，工种应为空")

    options: list[str] = []
    if kind in (SINGLE, MULTIPLE):
        texts = [values.get(h, "") for h in OPTION_HEADERS]
        last = max((i for i, t in enumerate(texts) if t), default=-1)
        options = texts[: last + 1]
        for i, text in enumerate(options):
            if not text:
                bad(OPTION_HEADERS[i], "选项须从A起连续填写")
        if len(options) < 2:
            bad("选项A", "至少需要两个选项")
    elif kind == JUDGE:
        options = list(JUDGE_OPTIONS)

    answer = ""
    answer_text = values.get("答案", "")
    if answer_text and kind is not None:
        if kind == JUDGE:
            answer = JUDGE_ANSWERS.get(
                unicodedata.normalize("NFKC", answer_text).upper(), ""
            )
            if not answer:
                bad("答案", "判断题答案应为对或错")
        else:
            letters = _letters(answer_text)
            if letters is None:
                bad("答案", "应为选项字母")
            elif len(set(letters)) != len(letters):
                bad("答案", "选项字母重复")
            elif kind == SINGLE and len(letters) != 1:
                bad("答案", "单选题只能有一个答案")
            elif kind == MULTIPLE and len(letters) < 2:
                bad("答案", "多选题至少两个选项")
            else:
                missing = [ch for ch in letters if LETTERS.index(ch) >= len(options)]
                if missing:
                    bad("答案", f"选项{missing[0]}为空")
                else:
                    answer = "".join(sorted(letters))

    difficulty = None
    difficulty_text = unicodedata.normalize("NFKC", values.get("难度", ""))
    if difficulty_text:
        if difficulty_text in {"1", "2", "3", "4", "5"}:
            difficulty = int(difficulty_text)
        elif difficulty_text in DIFFICULTY_WORDS:
            difficulty = DIFFICULTY_WORDS[difficulty_text]
        else:
            bad("难度", "应为1–5或易、较易、中、较难、难")

    stem = values.get("题干", "")
    for column, text, limit in (
        ("题干", stem, 4000),
        ("知识点", values.get("知识点", ""), 100),
        ("解析", values.get("解析", ""), 4000),
        ("编号", values.get("编号", ""), 40),
        *((h, t, 1000) for h, t in zip(OPTION_HEADERS, options, strict=False)),
    ):
        if len(text) > limit:
            bad(column, f"超过{limit}字")
    if errors:
        return errors
    assert kind is not None and subject is not None and level is not None
    return ParsedQuestion(
        row=number,
        kind=kind,
        subject=subject,
        level=level,
        job_type_id=job_type_id,
        stem=stem,
        options=options,
        answer=answer,
        difficulty=difficulty,
        knowledge_point=values.get("知识点", ""),
        explanation=values.get("解析", ""),
        uid=values.get("编号", ""),
        fingerprint=fingerprint(stem, options),
    )


@dataclass
class Parsed:
    questions: list[ParsedQuestion] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def parse(data: bytes, filename: str, job_types: Callable[[str], int | None]) -> Parsed:
    """Every row of the file, with duplicates inside the file named."""
    result = Parsed()
    try:
        header, rows = read_rows(data, filename)
    except ValueError as exc:
        result.errors.append(RowError(1, "文件", str(exc)))
        return result
    missing = [h for h in REQUIRED if h not in header]
    if missing:
        result.errors.append(RowError(1, "表头", "缺少列：" + "、".join(missing)))
        return result
    index = {name: header.index(name) for name in HEADER if name in header}
    seen: dict[tuple[str, int, int | None, str], int] = {}
    for number, raw in enumerate(rows, start=2):
        if not any(raw):
            continue
        values = {name: (raw[i] if i < len(raw) else "") for name, i in index.items()}
        parsed = parse_row(number, values, job_types)
        if isinstance(parsed, list):
            result.errors.extend(parsed)
            continue
        key = (parsed.subject, parsed.level, parsed.job_type_id, parsed.fingerprint)
        if key in seen:
            result.errors.append(RowError(number, "题干", f"与第{seen[key]}行重复"))
            continue
        seen[key] = number
        result.questions.append(parsed)
    if not result.questions and not result.errors:
        result.errors.append(RowError(2, "文件", "没有试题"))
    return result


def write_xlsx(rows: Iterable[dict[str, str | int]]) -> bytes:
    """The spec's header and one row per question (values keyed by header)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("题库")
    sheet.append(HEADER)
    for row in rows:
        sheet.append([row.get(name, "") for name in HEADER])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
