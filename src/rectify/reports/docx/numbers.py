"""Numbers, dates and labels as Chinese reports print them: "87.66分", "320.44万元",
"70.00%", "—" / "／" for nothing. A value that is not one of these is None plus a
reason, so the caller lists it instead of guessing."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

EMPTY = {"", "—", "——", "-", "－", "/", "／", "无", "*", "—/—"}
_NUMBER = re.compile(r"^([+-]?\d+(?:\.\d+)?)\s*(分|万元|元|%|个|人)?$")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def is_empty(text: str) -> bool:
    return normal(text).replace(" ", "") in EMPTY


def number(text: str) -> tuple[Decimal | None, str | None]:
    """(value, unit); (None, None) when the cell is empty or not a number."""
    cleaned = normal(text).replace(",", "").replace(" ", "")
    match = _NUMBER.match(cleaned)
    if match is None:
        return None, None
    try:
        return Decimal(match.group(1)), match.group(2)
    except InvalidOperation:
        return None, None


def day(text: str) -> date | None:
    match = _DATE.match(normal(text))
    if match is None:
        return None
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def squeeze(text: str) -> str:
    """Drop the spaces and line breaks a narrow cell put inside Chinese words."""
    return re.sub(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])", "", text.strip())
