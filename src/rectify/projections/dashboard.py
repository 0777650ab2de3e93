"""What a home screen shows first: deadline counts and the most urgent open items.

Counted in SQL over the findings read model, scoped to the principal like the
problem list, so a province's store answers without loading its rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, and_, case, func, select

from rectify.domain.identity import Principal
from rectify.projections.departments import departments
from rectify.projections.findings import findings
from rectify.projections.queries import (
    NOT_OVERDUE_STATUSES,
    FindingView,
    _finding_view,
    overdue_clause,
    scope_clause,
)


@dataclass(frozen=True)
class DeadlineCounts:
    overdue: int
    due_in_7: int
    due_in_30: int
    waiting_review: int  # 申请销号, waiting for the bureau
    returned: int
    repeats: int
    open: int


def deadline_counts(conn: Connection, principal: Principal | None, today: date) -> DeadlineCounts:
    live = findings.c.status.not_in(NOT_OVERDUE_STATUSES)

    def due_within(days: int) -> Any:
        return and_(live, findings.c.due >= today, findings.c.due <= today + timedelta(days=days))

    def count(condition: Any) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    row = conn.execute(
        select(
            count(overdue_clause(today)),
            count(due_within(7)),
            count(due_within(30)),
            count(findings.c.status == "closure_requested"),
            count(findings.c.status == "returned"),
            count(findings.c.repeat_of != ""),
            count(findings.c.status.not_in(("closed", "withdrawn"))),
        ).where(scope_clause(principal))
    ).one()
    return DeadlineCounts(*(int(v) for v in row))


def most_urgent(
    conn: Connection,
    principal: Principal | None,
    today: date,
    *,
    status: str | None = None,
    limit: int = 20,
) -> list[FindingView]:
    """Open findings by due date (earliest first), or those in `status`."""
    query = (
        select(findings, departments.c.name.label("department_name"))
        .select_from(
            findings.outerjoin(departments, departments.c.code == findings.c.department_code)
        )
        .where(scope_clause(principal))
        .order_by(findings.c.due.is_(None), findings.c.due, findings.c.ref)
        .limit(limit)
    )
    if status is not None:
        query = query.where(findings.c.status == status)
    else:
        query = query.where(findings.c.status.not_in(("closed", "withdrawn", "recorded")))
    return [_finding_view(r, today) for r in conn.execute(query).all()]
