"""The bank's import, versions and export, through the services."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from gongkao.core.models import AuditEvent
from gongkao.questions import exchange, queries, services
from gongkao.questions.models import Question
from tests import factories
from tests.questions.test_exchange import GOOD, HEAD, xlsx

pytestmark = pytest.mark.django_db


def test_the_import_stores_every_row_or_none(city_office):
    bad = list(GOOD)
    bad[4] = "另一题"
    bad[10] = "F"
    data = xlsx(HEAD, GOOD, bad)
    result = services.import_questions(city_office, data, "b.xlsx", by=None)
    assert [str(e) for e in result.errors] == ["第3行 答案：选项F为空"]
    assert not Question.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.QUESTIONS_IMPORTED)

    good = list(bad)
    good[10] = "B"
    result = services.import_questions(
        city_office, xlsx(HEAD, GOOD, good), "b.xlsx", by=None
    )
    assert result.ok and result.created == 2
    assert Question.objects.filter(office=city_office, status="approved").count() == 2
    event = AuditEvent.objects.get(action=AuditEvent.Action.QUESTIONS_IMPORTED)
    assert event.after["created"] == 2


def test_a_dry_run_stores_nothing(city_office):
    result = services.import_questions(
        city_office, xlsx(HEAD, GOOD), "b.xlsx", by=None, dry_run=True
    )
    assert result.ok and result.created == 1
    assert not Question.objects.exists()


def test_a_duplicate_of_the_bank_is_an_invalid_row(city_office):
    services.import_questions(city_office, xlsx(HEAD, GOOD), "b.xlsx", by=None)
    uid = Question.objects.get().uid
    result = services.import_questions(city_office, xlsx(HEAD, GOOD), "b.xlsx", by=None)
    assert [str(e) for e in result.errors] == [f"第2行 题干：与题库中试题{uid}重复"]
    # Another office's bank is another bank.
    other = factories.ExamOfficeFactory.create()
    assert services.import_questions(other, xlsx(HEAD, GOOD), "b.xlsx", by=None).ok


def test_a_known_uid_adds_a_version_and_papers_keep_theirs(city_office):
    header = ["编号", *HEAD]
    services.import_questions(
        city_office, xlsx(header, ["E-1", *GOOD]), "b.xlsx", by=None
    )
    first = Question.objects.get()
    changed = ["E-1", *GOOD]
    changed[5] = "修改后的题干"
    result = services.import_questions(
        city_office, xlsx(header, changed), "b.xlsx", by=None
    )
    assert (result.created, result.versioned) == (0, 1)
    first.refresh_from_db()
    current = queries.bank(city_office).get()
    assert (first.is_current, first.stem, first.version) == (False, GOOD[4], 1)
    assert (current.uid, current.version, current.stem) == ("E-1", 2, "修改后的题干")
    # An unchanged uid row is a version, not a duplicate of itself.
    assert services.import_questions(
        city_office, xlsx(header, changed), "b.xlsx", by=None
    ).ok


def test_a_uid_twice_in_a_file(city_office):
    other = list(GOOD)
    other[4] = "别的题"
    result = services.import_questions(
        city_office,
        xlsx(["编号", *HEAD], ["X", *GOOD], ["X", *other]),
        "b.xlsx",
        by=None,
    )
    assert [str(e) for e in result.errors] == ["第3行 编号：与第2行重复"]


def test_editing_an_approved_question_adds_a_version(city_office, bank_staff):
    question = factories.QuestionFactory.create(office=city_office)
    parsed = exchange.parse_row(
        1,
        {
            "题型": "单选",
            "科目": "职业道德",
            "等级": "4",
            "题干": "新题干",
            "选项A": "甲",
            "选项B": "乙",
            "答案": "B",
        },
        lambda _: None,
    )
    assert isinstance(parsed, exchange.ParsedQuestion)
    saved = services.save_question(city_office, question.uid, parsed, by=bank_staff)
    question.refresh_from_db()
    assert (saved.version, saved.status, saved.stem, saved.is_current) == (
        2,
        "approved",
        "新题干",
        True,
    )
    assert (question.version, question.stem, question.is_current) == (
        1,
        question.stem,
        False,
    )
    # A draft is changed in place.
    draft = factories.QuestionFactory.create(office=city_office, status="draft")
    parsed.stem = "草稿改"
    parsed.fingerprint = exchange.fingerprint("草稿改", parsed.options)
    saved = services.save_question(city_office, draft.uid, parsed, by=bank_staff)
    assert (saved.pk, saved.version, saved.stem) == (draft.pk, 1, "草稿改")
    assert (
        AuditEvent.objects.filter(action=AuditEvent.Action.QUESTION_CHANGED).count()
        == 2
    )


def test_export_then_import_into_an_empty_bank_gives_the_same_questions(city_office):
    job_type = factories.JobTypeFactory.create(electrician=True)
    factories.QuestionFactory.create(
        office=city_office, knowledge_point="规范", explanation="因为", difficulty=2
    )
    factories.QuestionFactory.create(office=city_office, judge=True, answer="B")
    factories.QuestionFactory.create(
        office=city_office,
        multiple=True,
        subject="skill",
        job_type=job_type,
        stem="多行\n题干",
    )
    rows = queries.export_rows(city_office)
    other = factories.ExamOfficeFactory.create()
    result = services.import_questions(
        other, exchange.write_xlsx(rows), "x.xlsx", by=None
    )
    assert result.ok and result.created == 3
    fields = (
        "uid",
        "kind",
        "subject",
        "level",
        "job_type_id",
        "stem",
        "options",
        "answer",
        "difficulty",
        "knowledge_point",
        "explanation",
    )

    def dump(office):
        return sorted(
            tuple(q[f] for f in fields) for q in queries.bank(office).values(*fields)
        )

    assert dump(other) == dump(city_office)


def test_export_job_writes_the_spec_header_and_is_audited(
    city_office, bank_staff, django_capture_on_commit_callbacks
):
    factories.QuestionFactory.create(office=city_office)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_export(city_office, by=bank_staff)
    job.refresh_from_db()
    assert job.state == "done", job.error
    assert job.result_file is not None
    with job.result_file.open("rb") as stored:
        sheet = load_workbook(io.BytesIO(stored.read())).worksheets[0]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header == exchange.HEADER
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.EXPORTED, after__what="question_bank"
    ).exists()


def test_the_command_prints_the_same_row_errors_and_fails(
    tmp_path, city_office, capsys
):
    path = tmp_path / "bank.xlsx"
    bad = list(GOOD)
    bad[10] = "AB"
    path.write_bytes(xlsx(HEAD, bad))
    with pytest.raises(CommandError, match="1处错误"):
        call_command("import_questions", str(path), "--office", city_office.name)
    assert "第2行 答案：单选题只能有一个答案" in capsys.readouterr().err
    assert not Question.objects.exists()


def test_the_command_imports_into_the_highest_office_by_default(
    tmp_path, city_office, capsys
):
    province = factories.DivisionFactory.create(
        code="410000", name="河南省", kind="province"
    )
    city_office.division.parent = province
    city_office.division.save()
    top = factories.ExamOfficeFactory.create(name="河南省工考办", division=province)
    path = tmp_path / "bank.csv"
    path.write_text(",".join(HEAD) + "\n" + ",".join(GOOD) + "\n", encoding="gb18030")
    call_command("import_questions", str(path), "--dry-run")
    assert "检查通过" in capsys.readouterr().out
    assert not Question.objects.exists()
    call_command("import_questions", str(path))
    assert Question.objects.get().office == top


def test_the_command_refuses_an_unknown_office(tmp_path, city_office):
    path = tmp_path / "bank.csv"
    path.write_text(",".join(HEAD) + "\n" + ",".join(GOOD) + "\n")
    with pytest.raises(CommandError, match="没有名为"):
        call_command("import_questions", str(path), "--office", "火星工考办")
