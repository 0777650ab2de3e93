"""Printing: Chinese text for people, stable JSON for scripts."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from rich import box
from rich.console import Console, JustifyMethod
from rich.markup import escape
from rich.table import Table

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False)


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def to_json(data: Any) -> str:
    if is_dataclass(data) and not isinstance(data, type):
        data = asdict(data)
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=_default)


def print_json(data: Any) -> None:
    sys.stdout.write(to_json(data) + "\n")


def error(message: str) -> None:
    err_console.print(f"[bold red]错误[/]：{message}", markup=True, soft_wrap=True)


def warning(message: str) -> None:
    """A warning on stderr; the message is printed as it is (no markup of its own)."""
    err_console.print(f"[yellow]警告[/]：{escape(message)}", markup=True, soft_wrap=True)


def table(
    title: str | None,
    headers: Iterable[str],
    *,
    codes: Iterable[str] = (),
    numbers: Iterable[str] = (),
    show_header: bool = True,
) -> Table:
    """A table that stays readable at 80 columns: long text wraps, codes never do.

    `codes` name the columns holding codes, dates, amounts and states: kept on one line.
    `numbers` are codes aligned right. Every CLI table is made here, so all look alike.
    """
    right = set(numbers)
    fixed = set(codes) | right
    out = Table(
        title=title,
        box=box.SIMPLE_HEAD,
        padding=(0, 1),
        collapse_padding=True,
        pad_edge=False,
        show_header=show_header,
    )
    for header in headers:
        justify: JustifyMethod = "right" if header in right else "left"
        if header in fixed:
            out.add_column(header, no_wrap=True, justify=justify)
        else:
            out.add_column(header, overflow="fold", justify=justify)
    return out
