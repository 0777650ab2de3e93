"""`column IN (subquery)` that PostgreSQL can answer from the column's index.

PostgreSQL plans `unit_code IN (SELECT ...)` inside an OR as a hashed subplan filter,
so a department user's problem list walked the whole `findings` table in `ref` order.
Written `unit_code = ANY(ARRAY(SELECT ...))` the subquery runs once (an InitPlan) and
the OR becomes a BitmapOr over the department and unit indexes
(tests/projections/test_query_plans.py). Other databases get the plain IN.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.sqltypes import NullType
from sqlalchemy.sql.visitors import InternalTraversal


class InSubquery(ColumnElement[bool]):
    inherit_cache = True
    type = NullType()  # type: ignore[assignment]  # Boolean would make SQLite add "= 1"
    _traverse_internals = [
        ("column", InternalTraversal.dp_clauseelement),
        ("query", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, column: ColumnElement[Any], query: Select[Any]) -> None:
        self.column = column
        self.query = query


@compiles(InSubquery)
def _plain(element: InSubquery, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.column.in_(element.query), **kw)


@compiles(InSubquery, "postgresql")
def _array(element: InSubquery, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(element.column, **kw)
    return f"{column} = ANY(ARRAY({compiler.process(element.query, **kw)}))"


def in_subquery(column: ColumnElement[Any], query: Select[Any]) -> ColumnElement[bool]:
    return InSubquery(column, query)
