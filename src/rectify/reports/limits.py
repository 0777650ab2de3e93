"""Input limits for a package, checked before decoding and before any arithmetic.

A hostile or broken file must end in a list of errors with JSON paths, never in a
RecursionError (deep nesting), a ValueError (a 5,000-digit integer), a
decimal.InvalidOperation (NaN, 10^30 rounded) or a 21 MB event (a 10 MB string).

- `scan_nesting(text)`: the nesting depth, found with a regular-expression scan of the
  raw text (strings skipped) so the JSON decoder never recurses past MAX_DEPTH.
- `decode(text)`: json.loads whose number and constant hooks never raise: an
  oversized literal or NaN/Infinity becomes a `Refused` marker, reported with its path
  by `limit_errors` together with long strings and numbers out of range.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

MAX_BYTES = 20 * 1024 * 1024  # the 1,000-leaf benchmark package is ~1.5 MB
MAX_DEPTH = 32  # a real package nests 6 deep; composite rules add a few levels
MAX_STRING = 20_000  # characters of one text (a long narrative is ~2,000)
MAX_KEY = 200
MAX_NUMBER_CHARS = 40  # digits, sign, point and exponent of one literal
MAX_MAGNITUDE = Decimal(10) ** 15  # no figure in a package (元, %, points) comes near
MIN_EXPONENT = -20  # at most 20 decimal places
MAX_ERRORS = 50

_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{},:]')


@dataclass(frozen=True)
class Refused:
    """A literal the decoder met but must not turn into a number."""

    reason: str


def _number(literal: str) -> Decimal | int | Refused:
    if len(literal) > MAX_NUMBER_CHARS:
        return Refused(f"数字过长（{len(literal)} 个字符，上限 {MAX_NUMBER_CHARS}）")
    return Decimal(literal) if any(c in literal for c in ".eE") else int(literal)


def _constant(literal: str) -> Refused:
    return Refused(f"不允许 {literal}（应为有限数字）")


def decode(text: str) -> Any:
    """json.loads with Decimal numbers; refused literals come back as `Refused`."""
    return json.loads(text, parse_float=_number, parse_int=_number, parse_constant=_constant)


def scan_nesting(text: str) -> str | None:
    """The JSON path where nesting first exceeds MAX_DEPTH, or None."""
    depth = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return _path_at(text, match.start())
        elif token in "]}":
            depth -= 1
    return None


def _path_at(text: str, stop: int) -> str:
    """The JSON path of the container opened at `stop` (slow; only on refusal)."""
    frames: list[list[Any]] = []  # [kind, key-or-index, last string]
    for match in _TOKENS.finditer(text, 0, stop):
        token = match.group()
        if token in "[{":
            frames.append([token, 0 if token == "[" else None, None])
        elif token in "]}":
            if frames:
                frames.pop()
        elif not frames:
            continue
        elif token == ",":
            if frames[-1][0] == "[":
                frames[-1][1] += 1
        elif token == ":":
            frames[-1][1] = frames[-1][2]
        else:
            frames[-1][2] = token[1:-1]
    path = "$"
    for kind, key, _ in frames:
        path += f"[{key}]" if kind == "[" else f".{key}"
    return path


def limit_errors(data: Any) -> list[tuple[str, str]]:
    """(JSON path, message) for every refused literal, long text or huge number."""
    out: list[tuple[str, str]] = []
    stack: list[tuple[str, Any]] = [("$", data)]
    while stack and len(out) < MAX_ERRORS:
        path, value = stack.pop()
        if isinstance(value, Refused):
            out.append((path, value.reason))
        elif isinstance(value, str):
            if len(value) > MAX_STRING:
                out.append((path, f"文本过长（{len(value)} 个字符，上限 {MAX_STRING}）"))
        elif isinstance(value, bool):
            continue
        elif isinstance(value, int | Decimal):
            # copy_abs, not abs(): abs() rounds in the context and raises Overflow
            # for an exponent past its Emax (1e9999999), copy_abs never does.
            if not Decimal(value).copy_abs() < MAX_MAGNITUDE:
                out.append((path, f"数字超出合理范围（绝对值应小于 10^15）：{value}"))
            elif isinstance(value, Decimal) and _exponent(value) < MIN_EXPONENT:
                out.append((path, f"小数位过多（至多 {-MIN_EXPONENT} 位）：{value}"))
        elif isinstance(value, dict):
            for key, item in reversed(value.items()):
                if len(key) > MAX_KEY:
                    out.append((path, f"键名过长（{len(key)} 个字符，上限 {MAX_KEY}）"))
                else:
                    stack.append((f"{path}.{key}", item))
        elif isinstance(value, list):
            stack.extend((f"{path}[{i}]", item) for i, item in reversed(list(enumerate(value))))
    return sorted(out)


def _exponent(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return exponent if isinstance(exponent, int) else 0
