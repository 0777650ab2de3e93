"""Chinese labels and number/date formats for documents — the one place to swap.

When `rectify.domain.vocabulary` and the shared formatting module arrive (branch
`vocab`), these names become re-exports of theirs; documents import only from here.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal

STATUS_LABELS: dict[str, str] = {
    "recorded": "待下发",
    "issued": "整改中",
    "closure_requested": "已申请销号",
    "returned": "已退回",
    "closed": "已销号",
    "long_term": "持续整改",
    "withdrawn": "已撤销",
}
STATUS_BY_LABEL: dict[str, str] = {label: code for code, label in STATUS_LABELS.items()}
CLASS_LABELS: dict[str, str] = {
    "immediate": "立行立改",
    "phased": "分阶段整改",
    "long_term": "持续整改",
}
STAGE_LABELS: dict[str, str] = {"self": "自评", "review": "复核", "third_party": "第三方评价"}

BEIJING = timezone(timedelta(hours=8), "北京时间")
_CENT = Decimal("0.01")


def status_label(code: str) -> str:
    return STATUS_LABELS.get(code, code)


def class_label(code: str | None) -> str:
    return CLASS_LABELS.get(code, code) if code else "—"


def money(value: Decimal | None) -> str:
    """Money with two places and thousands separators; '—' when not stated."""
    if value is None:
        return "—"
    return f"{value.quantize(_CENT, rounding=ROUND_HALF_UP):,}"


def score(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value.quantize(_CENT, rounding=ROUND_HALF_UP)}"


def percent(value: Decimal | None) -> str:
    return "—" if value is None else f"{value}%"


def day(value: date | None) -> str:
    """A date as official documents write it: 2025年9月1日."""
    if value is None:
        return "—"
    return f"{value.year}年{value.month}月{value.day}日"


def beijing(value: datetime) -> str:
    """A moment in Beijing time with the zone named."""
    local = value.astimezone(BEIJING)
    return f"{local:%Y-%m-%d %H:%M}（北京时间）"
