"""Read-model queries bound to a house: its engine, the acting principal's scope, its clock.

Each call opens a short connection; the DTOs come from rectify.projections. Call
inside `house.acting(...)` / `house.session()`: the scope is the acting principal's.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine

from rectify.domain.clock import Clock
from rectify.domain.identity import current_principal
from rectify.projections import evaluations, queries, scoped_reads
from rectify.projections.figures import Figures, figures


class Queries:
    def __init__(self, engine: Engine, clock: Clock) -> None:
        self.engine = engine
        self.clock = clock

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def list_findings(
        self, *, today: date | None = None, **filters: Any
    ) -> list[queries.FindingView]:
        """`projections.queries.list_findings` filters (fiscal_year, status, overdue, ...)."""
        with self.connection() as conn:
            return queries.list_findings(
                conn, principal=current_principal(), today=today or self.clock.today(), **filters
            )

    def finding_detail(self, ref: str, *, today: date | None = None) -> queries.FindingDetail:
        with self.connection() as conn:
            return queries.finding_detail(
                conn, ref, principal=current_principal(), today=today or self.clock.today()
            )

    def figures(self, *, year: int | None = None, department: str | None = None) -> list[Figures]:
        with self.connection() as conn:
            return figures(
                conn,
                principal=current_principal(),
                year=year,
                department=department,
                today=self.clock.today(),
            )

    def departments(self) -> list[queries.DepartmentView]:
        with self.connection() as conn:
            return queries.list_departments(conn)

    def evaluation_summary(self, key: str) -> evaluations.EvaluationSummary | None:
        with self.connection() as conn:
            return scoped_reads.evaluation_summary(conn, key, current_principal())

    def budget(self, department: str, fiscal_year: int) -> evaluations.BudgetView | None:
        with self.connection() as conn:
            return scoped_reads.budget_view(conn, department, fiscal_year, current_principal())

    def score_history(self, key: str, code: str) -> list[evaluations.ScoreChange]:
        with self.connection() as conn:
            return scoped_reads.score_history(conn, key, code, current_principal())

    def compare(self, department: str, code_or_name: str) -> list[evaluations.ComparePoint]:
        with self.connection() as conn:
            return scoped_reads.compare(conn, department, code_or_name, current_principal())
