"""The finding actions as forms: which fields each asks for and how they are checked.

Which actions a role may take in a state comes from the domain's lifecycle table, so
the TUI never offers what the domain would refuse. The checks here are the ones a
form can make before anything is recorded (a date that does not exist, a due date
before the issue date, an empty reason); the domain's own refusals are shown as they
come, in the same Chinese words as the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from rectify.domain.errors import InvalidInput
from rectify.domain.evidence import check_size
from rectify.domain.finding import RectificationClass
from rectify.domain.identity import Role
from rectify.domain.lifecycle import allowed_actions
from rectify.domain.vocabulary import ACTION_LABELS, CLASS_LABELS, Action, FindingStatus


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"  # text | date | int | percent | path | class | decimal | signed
    required: bool = True
    placeholder: str = ""
    today: bool = False  # the form opens with today's date in it (still required)


@dataclass(frozen=True)
class ActionForm:
    action: Action
    method: str  # Backend.act name (the application command)
    fields: tuple[Field, ...]
    key: str  # the key that opens it on the finding screen

    @property
    def title(self) -> str:
        return ACTION_LABELS[self.action]


@dataclass(frozen=True)
class PlainForm:
    """A form that is not a finding action (e.g. a budget adjustment)."""

    title: str
    fields: tuple[Field, ...]


_REASON = Field("reason", "理由", placeholder="必填")
_DATE = "YYYY-MM-DD"

FORMS: dict[Action, ActionForm] = {
    f.action: f
    for f in (
        ActionForm(
            Action.ISSUE,
            "issue_finding",
            (
                Field("rectification_class", "整改类别", "class"),
                Field("requirements", "整改要求", placeholder="整改要求/标准"),
                Field(
                    "issued_on",
                    "下发日期",
                    "date",
                    required=False,
                    placeholder=f"{_DATE}，默认今天",
                ),
                Field(
                    "due", "整改时限", "date", required=False, placeholder=f"{_DATE}，默认按类别"
                ),
            ),
            "i",
        ),
        ActionForm(
            Action.RECORD_MEASURES, "record_measures", (Field("measures", "整改措施"),), "m"
        ),
        ActionForm(
            Action.NAME_RESPONSIBLE, "name_responsible_person", (Field("person", "责任人"),), "n"
        ),
        ActionForm(
            Action.REPORT_PROGRESS,
            "report_progress",
            (
                Field("text", "进展说明"),
                Field("percent", "完成比例", "percent", placeholder="0–100"),
                Field(
                    "as_of", "进展日期", "date", required=False, placeholder=f"{_DATE}，默认今天"
                ),
            ),
            "p",
        ),
        ActionForm(
            Action.ATTACH_EVIDENCE,
            "attach_evidence",
            (
                Field("path", "材料文件路径", "path"),
                Field("effective_date", "材料所属日期", "date", placeholder=_DATE, today=True),
            ),
            "a",
        ),
        ActionForm(
            Action.REQUEST_CLOSURE, "request_closure", (Field("note", "说明", required=False),), "r"
        ),
        ActionForm(Action.CLOSE, "close_finding", (Field("reason", "意见", required=False),), "c"),
        ActionForm(Action.RETURN, "return_finding", (_REASON,), "b"),
        ActionForm(
            Action.EXTEND_DEADLINE,
            "extend_deadline",
            (Field("new_due", "新的整改时限", "date", placeholder=_DATE), _REASON),
            "e",
        ),
        ActionForm(
            Action.ACCEPT_LONG_TERM,
            "accept_long_term",
            (
                Field("re_review_on", "复核日期", "date", placeholder=_DATE),
                Field("reason", "理由", required=False),
            ),
            "l",
        ),
        ActionForm(Action.REOPEN, "reopen_finding", (_REASON,), "o"),
        ActionForm(
            Action.CARRY_OVER,
            "carry_over_finding",
            (Field("year", "结转到年度", "int"), Field("reason", "理由", required=False)),
            "y",
        ),
        ActionForm(Action.WITHDRAW, "withdraw_finding", (_REASON,), "w"),
        ActionForm(
            Action.LINK_REPEAT, "link_repeat", (Field("earlier_ref", "以前年度的问题编号"),), "k"
        ),
    )
}

BUDGET_ADJUST = PlainForm(
    "调整预算（追加为正，调减为负）",
    (
        Field("line", "预算行代码"),
        Field("amount", "调整金额", "signed", placeholder="如 12.5 或 -3"),
        _REASON,
        Field("on", "调整日期", "date", required=False, placeholder=f"{_DATE}，可空"),
        Field("document", "文号", required=False),
    ),
)

CLASS_CHOICES = tuple((c.value, label) for c, label in CLASS_LABELS.items())


def forms_for(status: str, role: Role) -> list[ActionForm]:
    """The forms `role` may open on a finding in `status` (nothing it may not do)."""
    return [FORMS[a] for a in allowed_actions(FindingStatus(status), role) if a in FORMS]


def _parse(field: Field, text: str, max_file_size: int | None) -> Any:
    if field.kind == "date":
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{field.label} {text!r} 不是存在的日期（格式 {_DATE}）") from None
    if field.kind in ("int", "percent"):
        try:
            number = int(text)
        except ValueError:
            raise ValueError(f"{field.label} {text!r} 不是整数") from None
        if field.kind == "percent" and not 0 <= number <= 100:
            raise ValueError(f"{field.label} 应在 0～100 之间（{number}）")
        return number
    if field.kind == "decimal":
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{field.label} {text!r} 不是数字") from None
        if not value.is_finite() or value < 0:
            raise ValueError(f"{field.label} 不能为负数或非有限数字（{text}）")
        return value
    if field.kind == "signed":
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{field.label} {text!r} 不是数字") from None
        if not value.is_finite() or value == 0:
            raise ValueError(f"{field.label} 应为非零的有限数字（{text}）")
        return value
    if field.kind == "path":
        path = Path(text).expanduser()
        if not path.is_file():
            raise ValueError(f"{field.label}：文件 {path} 不存在或不是普通文件")
        if max_file_size is not None:
            try:
                check_size(path.stat().st_size, max_file_size, f"{field.label}：文件 {path}")
            except InvalidInput as exc:
                raise ValueError(str(exc)) from None
        return path
    if field.kind == "class":
        if text not in dict(CLASS_CHOICES):
            raise ValueError(f"请选择{field.label}")
        return RectificationClass(text)
    return text


def validate(
    form: ActionForm | PlainForm,
    raw: dict[str, str],
    today: date,
    max_file_size: int | None = None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """Parsed values and, per field, the message that stops the form (empty: go);
    a file larger than `max_file_size` bytes is refused before it is read."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field in form.fields:
        text = raw.get(field.name, "").strip()
        if not text:
            if field.required:
                errors[field.name] = f"{field.label}不能为空"
            continue
        try:
            values[field.name] = _parse(field, text, max_file_size)
        except ValueError as exc:
            errors[field.name] = str(exc)
    issued = values.get("issued_on") or today
    due = values.get("due")
    if due is not None and due < issued:
        errors["due"] = f"整改时限 {due} 早于下发日期 {issued}"
    new_due = values.get("new_due")
    if new_due is not None and new_due < today:
        errors["new_due"] = f"新的整改时限 {new_due} 早于今天 {today}"
    return values, errors
