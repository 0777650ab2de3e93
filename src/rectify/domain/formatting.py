"""The one way values are written for people: CLI, TUI and documents all use it.

- Decimals (amounts, scores, rates) as plain digits, never exponent notation, with the
  scale they carry (`87.66`, `0.50`); nothing is re-rounded here.
- Percentages as `50.00%`.
- Intervals (a score the written rule only bounds) as `1.00～3.00`, the form Chinese
  reports use; a point interval is its one value. JSON keeps `[lo, hi]` lists.
- Dates as ISO `2026-11-26`.
- Date-times in Beijing time (`clock.BEIJING`, Asia/Shanghai) with the zone named:
  `2026-11-26 21:55 北京时间`. A naive value (SQLite drops the offset) is UTC, which
  is how the store writes every timestamp.
- A missing value as `—`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import TYPE_CHECKING, Any

from rectify.domain.clock import BEIJING

if TYPE_CHECKING:  # only a type here: a query must not load the scoring engine
    from rectify.domain.scoring import Interval
from rectify.domain.vocabulary import CLASS_LABELS, RectificationClass, by_value, detail_label

MISSING = "—"
_CLASS_BY_VALUE = by_value(CLASS_LABELS)


def decimal_text(value: Decimal) -> str:
    """A Decimal as plain digits (`format(…, "f")`), never `1E+2`."""
    return format(value, "f")


def number(value: Decimal | int | None) -> str:
    """A score, rate or count; `—` when missing."""
    if value is None:
        return MISSING
    return decimal_text(value) if isinstance(value, Decimal) else str(value)


def amount(value: Decimal | None, unit: str | None = None) -> str:
    """A money amount with its unit as stated (`12.50万元`); `—` when missing."""
    return MISSING if value is None else f"{decimal_text(value)}{unit or ''}"


def percent(value: Decimal | int | None) -> str:
    """A percentage already scaled to 0–100 (`50.00%`); `—` when missing."""
    return MISSING if value is None else f"{number(value)}%"


def interval(value: Interval | None) -> str:
    """`lo～hi`, or the one value of a point interval; `—` when missing."""
    if value is None:
        return MISSING
    if value.is_point:
        return decimal_text(value.lo)
    return f"{decimal_text(value.lo)}～{decimal_text(value.hi)}"


def interval_json(value: Interval | None) -> str | list[str] | None:
    """JSON form: the value of a point interval, else `[lo, hi]`."""
    if value is None:
        return None
    if value.is_point:
        return decimal_text(value.lo)
    return [decimal_text(value.lo), decimal_text(value.hi)]


def day(value: date | None) -> str:
    return MISSING if value is None else value.isoformat()


def beijing(value: datetime) -> datetime:
    """The same instant in Beijing time (naive values are UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(BEIJING)


def moment(value: datetime | None) -> str:
    """`2026-11-26 21:55 北京时间`; `—` when missing."""
    if value is None:
        return MISSING
    return beijing(value).strftime("%Y-%m-%d %H:%M") + " 北京时间"


def plain_value(field: str, value: Any) -> str:
    """One stored detail value as a person reads it (class names in Chinese, lists joined)."""
    if field == "rectification_class" and isinstance(value, str | RectificationClass):
        key = value.value if isinstance(value, RectificationClass) else value
        return _CLASS_BY_VALUE.get(key, key)
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def details_text(details: Mapping[str, Any]) -> str:
    """A timeline entry's details: `整改时限 2026-12-31；整改类别 分阶段整改`."""
    return "；".join(
        f"{detail_label(k)} {plain_value(k, v)}"
        for k, v in details.items()
        if v not in (None, "", [])
    )
