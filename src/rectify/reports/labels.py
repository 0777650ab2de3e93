"""Labels and formats as documents use them, taken from the one vocabulary
(`rectify.domain.vocabulary`) and the one formatting module (`rectify.domain.formatting`).

Read models hold status/class/stage codes as strings; these maps key the vocabulary's
labels by those codes. Only what official documents write differently lives here:
thousands separators in money tables and 成文日期 as 2025年9月1日 (GB/T 9704 7.3.5).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from rectify.domain import formatting
from rectify.domain.vocabulary import CLASS_LABELS as _CLASSES
from rectify.domain.vocabulary import STAGE_LABELS as _STAGES
from rectify.domain.vocabulary import STATUS_LABELS as _STATUSES

STATUS_LABELS: dict[str, str] = {status.value: label for status, label in _STATUSES.items()}
STATUS_BY_LABEL: dict[str, str] = {label: code for code, label in STATUS_LABELS.items()}
CLASS_LABELS: dict[str, str] = {klass.value: label for klass, label in _CLASSES.items()}
STAGE_LABELS: dict[str, str] = {stage.value: label for stage, label in _STAGES.items()}

_CENT = Decimal("0.01")
MISSING = formatting.MISSING
percent = formatting.percent
iso_day = formatting.day
moment = formatting.moment


def status_label(code: str) -> str:
    return STATUS_LABELS.get(code, code)


def class_label(code: str | None) -> str:
    return CLASS_LABELS.get(code, code) if code else MISSING


def money(value: Decimal | None) -> str:
    """Money in a table: two places and thousands separators; `—` when not stated."""
    if value is None:
        return MISSING
    return f"{value.quantize(_CENT, rounding=ROUND_HALF_UP):,}"


def score(value: Decimal | None) -> str:
    """Scores and weights with the two places a 评分表 prints."""
    if value is None:
        return MISSING
    return formatting.number(value.quantize(_CENT, rounding=ROUND_HALF_UP))


def day(value: date | None) -> str:
    """成文日期 as official documents write it: 2025年9月1日."""
    if value is None:
        return MISSING
    return f"{value.year}年{value.month}月{value.day}日"
