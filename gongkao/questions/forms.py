"""Forms of the question bank: a question is checked by the same rules as a
row of the import file (exchange.parse_row), so the two never disagree."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from gongkao.campaigns.models import LEVEL_CHOICES
from gongkao.questions import drawing, exchange
from gongkao.questions.models import Question

MAX_UPLOAD = 10 * 1024 * 1024

STATUS_ON_IMPORT = [
    (Question.Status.APPROVED, "已审核（可直接用于组卷）"),
    (Question.Status.DRAFT, "草稿（逐题审核后才用于组卷）"),
]


class ImportForm(forms.Form):
    file = forms.FileField(
        label="题库文件",
        help_text="Excel（.xlsx）或CSV，格式见“题库交换格式”；全部无误才导入。",
        error_messages={"required": "请选择题库文件。"},
    )
    status = forms.ChoiceField(
        label="导入后状态", choices=STATUS_ON_IMPORT, initial=Question.Status.APPROVED
    )
    dry_run = forms.BooleanField(label="只检查，不导入", required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not (name.endswith(".xlsx") or name.endswith(".csv")):
            raise forms.ValidationError("请上传.xlsx或.csv格式的题库文件。")
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError("文件超过10MB，请分批导入。")
        return upload


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label="题型", choices=Question.Kind.choices)
    subject = forms.ChoiceField(
        label="科目", choices=list(exchange.SUBJECT_NAMES.items())
    )
    level = forms.TypedChoiceField(label="等级", choices=LEVEL_CHOICES, coerce=int)
    job_type = forms.CharField(
        label="工种",
        required=False,
        max_length=50,
        help_text="岗位技能、专业基础知识填写工种名称或代码；通用科目留空。",
    )
    stem = forms.CharField(label="题干", widget=forms.Textarea(attrs={"rows": 4}))
    answer = forms.CharField(
        label="答案",
        max_length=20,
        help_text="单选填一个字母；多选填两个以上字母，如ACD；判断填对或错。",
    )
    difficulty = forms.CharField(label="难度", required=False, max_length=4)
    knowledge_point = forms.CharField(label="知识点", required=False, max_length=100)
    explanation = forms.CharField(
        label="解析",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="不向考生显示。",
    )

    def __init__(self, *args: Any, job_types: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for letter in exchange.LETTERS:
            self.fields[f"option_{letter}"] = forms.CharField(
                label=f"选项{letter}", required=False, max_length=1000
            )
        self._job_types = job_types
        self.option_fields = [self[f"option_{letter}"] for letter in exchange.LETTERS]

    @classmethod
    def initial_of(cls, q: Question) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "kind": q.kind,
            "subject": q.subject,
            "level": q.level,
            "job_type": q.job_type.name if q.job_type else "",
            "stem": q.stem,
            "answer": q.answer_display,
            "difficulty": q.difficulty or "",
            "knowledge_point": q.knowledge_point,
            "explanation": q.explanation,
        }
        if q.kind != Question.Kind.JUDGE:
            for letter, text in zip(exchange.LETTERS, q.options, strict=False):
                initial[f"option_{letter}"] = text
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        values = {
            "题型": exchange.KIND_NAMES[data["kind"]],
            "科目": exchange.SUBJECT_NAMES[data["subject"]],
            "等级": str(data["level"]),
            "工种": data.get("job_type", ""),
            "题干": data["stem"],
            "答案": data["answer"],
            "难度": data.get("difficulty", ""),
            "知识点": data.get("knowledge_point", ""),
            "解析": data.get("explanation", ""),
        }
        for letter, header in zip(
            exchange.LETTERS, exchange.OPTION_HEADERS, strict=True
        ):
            values[header] = data.get(f"option_{letter}", "")
        parsed = exchange.parse_row(1, values, self._job_types or (lambda _: None))
        if isinstance(parsed, list):
            fields = {
                "题型": "kind",
                "科目": "subject",
                "等级": "level",
                "工种": "job_type",
                "题干": "stem",
                "答案": "answer",
                "难度": "difficulty",
                "知识点": "knowledge_point",
                "解析": "explanation",
            } | {
                h: f"option_{ch}"
                for ch, h in zip(exchange.LETTERS, exchange.OPTION_HEADERS, strict=True)
            }
            for error in parsed:
                self.add_error(fields.get(error.column), error.reason)
            return data
        data["parsed"] = parsed
        return data


class BlueprintForm(forms.Form):
    single_points = forms.DecimalField(
        label="单选每题分值",
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        decimal_places=1,
    )
    multiple_points = forms.DecimalField(
        label="多选每题分值",
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        decimal_places=1,
    )
    judge_points = forms.DecimalField(
        label="判断每题分值",
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        decimal_places=1,
    )
    multiple_partial = forms.BooleanField(
        label="多选题少选按比例得分（错选不得分）", required=False
    )


class BlueprintRowForm(forms.Form):
    kind = forms.ChoiceField(
        label="题型", choices=[("", "—"), *Question.Kind.choices], required=False
    )
    knowledge_point = forms.CharField(
        label="知识点（空为不限）", required=False, max_length=100
    )
    difficulty = forms.TypedChoiceField(
        label="难度",
        required=False,
        choices=[("", "不限"), *((str(n), str(n)) for n in range(1, 6))],
        coerce=int,
        empty_value=None,
    )
    count = forms.IntegerField(label="题数", required=False, min_value=1, max_value=200)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") and not data.get("count"):
            self.add_error("count", "请填写题数。")
        if data.get("count") and not data.get("kind"):
            self.add_error("kind", "请选择题型。")
        return data

    def row(self) -> drawing.Row | None:
        data = self.cleaned_data
        if not data.get("kind"):
            return None
        return drawing.Row(
            data["kind"],
            data["count"],
            data.get("knowledge_point", ""),
            data.get("difficulty"),
        )


class _RowFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    """Every row is read, changed or not: a row equal to the saved one is
    still part of the blueprint (blank rows are skipped by `row`)."""

    def _construct_form(self, i: int, **kwargs: Any) -> forms.Form:
        kwargs["empty_permitted"] = False
        return super()._construct_form(i, **kwargs)  # type: ignore[misc,no-any-return]


BlueprintRowFormSet = forms.formset_factory(
    BlueprintRowForm, formset=_RowFormSet, extra=3, max_num=30
)


class StaffForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    phone = forms.CharField(label="手机号", max_length=11, min_length=11)
