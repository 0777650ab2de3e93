"""Sorting the problem list by a column, page by page, in SQL (keyset, no OFFSET).

The order is (column IS NULL, column, ref): empty values last, ref breaks ties, so
every row has one place and the next page starts strictly after the last row
shown. The cursor is that row's (is-null, value, ref), read from its FindingView.
Descending reverses the column and the ref, empty values still last.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Float, Select, and_, case, cast, or_

from rectify.projections.findings import findings

# Sort key → (SQL expression, FindingView attribute). Amount is stored as text
# (exact decimals); it sorts by its numeric value.
SORTABLE: dict[str, tuple[ColumnElement[Any], str]] = {
    "ref": (findings.c.ref, "ref"),
    "fiscal_year": (findings.c.fiscal_year, "fiscal_year"),
    "department": (findings.c.department_code, "department_code"),
    "title": (findings.c.title, "title"),
    "amount": (cast(findings.c.amount, Float), "amount"),
    "class": (findings.c.rectification_class, "rectification_class"),
    "status": (findings.c.status, "status"),
    "due": (findings.c.due, "due"),
}


@dataclass(frozen=True)
class SortCursor:
    """Where the previous page ended under one sort."""

    empty: bool
    value: Any
    ref: str


def cursor_of(view: Any, sort: str) -> SortCursor:
    """The cursor after `view` (a FindingView) under `sort`."""
    value = getattr(view, SORTABLE[sort][1])
    if sort == "amount" and value is not None:
        value = float(value)
    return SortCursor(value is None, value, view.ref)


def sorted_page(
    query: Select[Any], sort: str, descending: bool, after: SortCursor | None
) -> Select[Any]:
    """`query` ordered by `sort` and started after `after`; ValueError on an unknown key."""
    if sort not in SORTABLE:
        raise ValueError(f"不能按 {sort} 排序（可用：{'、'.join(SORTABLE)}）")
    column, _ = SORTABLE[sort]
    ref = findings.c.ref
    empty = case((column.is_(None), 1), else_=0)
    if sort == "ref":
        query = query.order_by(ref.desc() if descending else ref)
        if after is not None:
            query = query.where(ref < after.ref if descending else ref > after.ref)
        return query
    if descending:
        query = query.order_by(empty, column.desc(), ref.desc())
    else:
        query = query.order_by(empty, column, ref)
    if after is None:
        return query
    beyond_ref = ref < after.ref if descending else ref > after.ref
    if after.empty:  # already among the empty values: only later refs there
        return query.where(column.is_(None), beyond_ref)
    beyond_value = column < after.value if descending else column > after.value
    return query.where(or_(column.is_(None), beyond_value, and_(column == after.value, beyond_ref)))
