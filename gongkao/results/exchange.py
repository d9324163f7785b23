"""The score import's layout (scores from a paper exam or another system):
one row per candidate and subject, checked whole before anything is written.
Parsing is pure; `services.import_scores` checks the rows against the
database and writes them all or none."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from gongkao.questions.exchange import read_rows

COLUMNS = ("准考证号", "姓名", "科目", "成绩")
ABSENT = {"缺考", "缺"}
MAX_ROWS = 50_000


@dataclass(frozen=True)
class ScoreRow:
    row: int
    ticket: str
    name: str
    subject: str
    score: Decimal | None  # None: 缺考


@dataclass
class Parsed:
    rows: list[ScoreRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _score(text: str) -> Decimal | None:
    value = Decimal(text)
    if not value.is_finite() or value < 0:
        raise InvalidOperation
    if value != value.quantize(Decimal("0.1")):
        raise InvalidOperation
    return value.quantize(Decimal("0.1"))


def parse(data: bytes, filename: str) -> Parsed:
    """Read a score file; every bad row is named (第N行)."""
    found = Parsed()
    try:
        header, rows = read_rows(data, filename, "成绩文件")
    except ValueError as exc:
        found.errors.append(str(exc))
        return found
    index = {name: header.index(name) for name in COLUMNS if name in header}
    missing = [name for name in COLUMNS if name not in index]
    if missing:
        found.errors.append(
            f"缺少列：{'、'.join(missing)}（表头须为{'、'.join(COLUMNS)}）。"
        )
        return found
    seen: dict[tuple[str, str], int] = {}
    for number, cells in enumerate(rows, start=2):
        if number - 1 > MAX_ROWS:
            found.errors.append(f"一次最多导入{MAX_ROWS}行。")
            break
        cells = cells + [""] * (len(header) - len(cells))
        values = {
            name: unicodedata.normalize("NFKC", cells[i]).strip()
            for name, i in index.items()
        }
        if not any(values.values()):
            continue
        ticket = re.sub(r"\s+", "", values["准考证号"]).upper()
        if not ticket:
            found.errors.append(f"第{number}行：缺少准考证号。")
            continue
        if not values["科目"]:
            found.errors.append(f"第{number}行：缺少科目。")
            continue
        text = values["成绩"]
        try:
            score = None if text in ABSENT else _score(text)
        except InvalidOperation:
            found.errors.append(
                f"第{number}行：成绩“{text[:20]}”不是不小于0、最多一位小数的数字（缺考请填“缺考”）。"
            )
            continue
        key = (ticket, values["科目"])
        if key in seen:
            found.errors.append(
                f"第{number}行：与第{seen[key]}行重复（同一准考证号、同一科目）。"
            )
            continue
        seen[key] = number
        found.rows.append(
            ScoreRow(number, ticket, values["姓名"], values["科目"], score)
        )
    if not found.rows and not found.errors:
        found.errors.append("文件中没有成绩。")
    return found
