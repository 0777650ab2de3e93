"""Reading what people type — dates, whole numbers, amounts, ids — with Chinese errors
that say what is wrong (a date that does not exist is called that, not a format error).

Every entry point (CLI, TUI, 台账 import) parses through here.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from uuid import UUID

from rectify.domain.errors import InvalidInput

_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def parse_date(text: str | None, what: str) -> date | None:
    if text is None:
        return None
    cleaned = text.strip()
    match = _ISO_DAY.match(cleaned)
    if match is None:
        raise InvalidInput(f"{what} {text!r} 不是 YYYY-MM-DD 格式的日期")
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        raise InvalidInput(f"{what} {text!r} 不存在：没有 {month} 月")
    last = calendar.monthrange(year, month)[1] if year >= 1 else 31
    if not 1 <= day <= last or year < 1:
        raise InvalidInput(f"{what} {text!r} 不存在：{year} 年 {month} 月只有 {last} 天")
    return date(year, month, day)


def parse_int(text: str | None, what: str) -> int | None:
    if text is None:
        return None
    try:
        return int(text.strip())
    except ValueError:
        raise InvalidInput(f"{what} {text!r} 不是整数") from None


def parse_amount(text: str | None, what: str = "涉及金额") -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise InvalidInput(f"{what} {text!r} 不是数字") from None
    if not value.is_finite():
        raise InvalidInput(f"{what} {text!r} 不是有限数字")
    return value


def parse_uuid(text: str, what: str) -> UUID:
    try:
        return UUID(text.strip())
    except ValueError:
        raise InvalidInput(f"{what} {text!r} 不是有效的编号（UUID）") from None
