"""Read model of result-application decisions (结果应用), and the view that puts a
department's decisions beside its next-year budget and its 整改情况 figures."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Column, Connection, DateTime, Integer, String, Table, Text, select

from rectify.domain.identity import Principal, Role
from rectify.projections.evaluations import BudgetView, budget_view
from rectify.projections.figures import Figures, figures
from rectify.projections.metadata import DecimalText, metadata
from rectify.projections.projector import Handler, Projector

result_decisions = Table(
    "result_decisions",
    metadata,
    Column("evaluation_key", String(200), primary_key=True),
    Column("department_code", String(64), nullable=False, index=True),
    Column("project_code", String(64), nullable=True),
    Column("fiscal_year", Integer, nullable=False),
    Column("budget_year", Integer, nullable=False, index=True),
    Column("total", DecimalText, nullable=False),
    Column("grade", String(16), nullable=False),
    Column("consequence", String(16), nullable=False),
    Column("share", DecimalText, nullable=True),
    Column("actor", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("decided_at", DateTime(timezone=True), nullable=False),
)


class ResultsProjector(Projector):
    name = "results"
    tables = (result_decisions,)

    def handlers(self) -> Mapping[str, Handler]:
        return {"rectify/ResultDecision.Decided": self.decided}

    def decided(self, conn: Connection, event: Any) -> None:
        conn.execute(
            result_decisions.insert().values(
                evaluation_key=event.evaluation_key,
                department_code=event.department_code,
                project_code=event.project_code,
                fiscal_year=event.fiscal_year,
                budget_year=event.budget_year,
                total=event.total,
                grade=event.grade,
                consequence=event.consequence,
                share=event.share,
                actor=event.actor,
                reason=event.reason,
                decided_at=event.timestamp,
            )
        )


@dataclass(frozen=True)
class DecisionView:
    evaluation_key: str
    project_code: str | None
    fiscal_year: int
    budget_year: int
    total: Decimal
    grade: str
    consequence: str
    share: Decimal | None
    actor: str
    reason: str
    decided_at: datetime


@dataclass(frozen=True)
class ResultsView:
    department_code: str
    budget_year: int
    decisions: tuple[DecisionView, ...]
    budget: BudgetView | None  # the budget year's figures (initial and after), if recorded
    rectification: tuple[Figures, ...]  # 整改情况 of the evaluated years


def results_view(
    conn: Connection, department_code: str, budget_year: int, *, principal: Principal, today: date
) -> ResultsView:
    if principal.role is Role.DEPARTMENT and principal.department != department_code:
        # another department's decisions read as none: a refusal would say they exist
        return ResultsView(department_code, budget_year, (), None, ())
    rows = conn.execute(
        select(result_decisions)
        .where(
            (result_decisions.c.department_code == department_code)
            & (result_decisions.c.budget_year == budget_year)
        )
        .order_by(result_decisions.c.evaluation_key)
    ).all()
    decisions = tuple(
        DecisionView(
            r.evaluation_key,
            r.project_code,
            r.fiscal_year,
            r.budget_year,
            r.total,
            r.grade,
            r.consequence,
            r.share,
            r.actor,
            r.reason,
            r.decided_at,
        )
        for r in rows
    )
    years = sorted({d.fiscal_year for d in decisions})
    rectification = tuple(
        f
        for y in years
        for f in figures(conn, principal=principal, year=y, department=department_code, today=today)
    )
    return ResultsView(
        department_code,
        budget_year,
        decisions,
        budget_view(conn, department_code, budget_year),
        rectification,
    )


def budget_years_of(conn: Connection, evaluation_key: str) -> list[int]:
    """The budget years the decisions on an evaluation name (the TUI's 结果应用 tab)."""
    return list(
        conn.execute(
            select(result_decisions.c.budget_year)
            .where(result_decisions.c.evaluation_key == evaluation_key)
            .distinct()
            .order_by(result_decisions.c.budget_year)
        ).scalars()
    )
