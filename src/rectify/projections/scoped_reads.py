"""Evaluation reads scoped to the principal in SQL: what it may not see does not exist.

A DEPARTMENT principal sees its own department's and its units' evaluations, score
histories, cross-year comparisons and budgets; every other role sees all. A key out of
scope is answered exactly as a missing one (same exception, same words), so a refusal
never confirms that another department's evaluation exists.
"""

from __future__ import annotations

from sqlalchemy import Connection, literal, select

from rectify.domain.errors import NotFound
from rectify.domain.identity import Principal
from rectify.projections import evaluations
from rectify.projections.queries import owned_clause


def department_visible(conn: Connection, department: str, principal: Principal) -> bool:
    clause = owned_clause(literal(department), principal)
    return conn.execute(select(literal(1)).where(clause)).first() is not None


def evaluation_summary(
    conn: Connection, key: str, principal: Principal
) -> evaluations.EvaluationSummary | None:
    table = evaluations.evaluations
    visible = conn.execute(
        select(table.c.key).where(
            table.c.key == key, owned_clause(table.c.department_code, principal)
        )
    ).first()
    return evaluations.get_evaluation_summary(conn, key) if visible is not None else None


def score_history(
    conn: Connection, key: str, code: str, principal: Principal
) -> list[evaluations.ScoreChange]:
    if evaluation_summary(conn, key, principal) is None:
        raise NotFound(f"评价 {key} 不存在")
    if not evaluations.indicator_exists(conn, key, code):
        raise NotFound(f"评价 {key}：指标 {code} 不存在")
    return evaluations.score_history_of(conn, key, code)


def compare(
    conn: Connection, department: str, code_or_name: str, principal: Principal
) -> list[evaluations.ComparePoint]:
    if not department_visible(conn, department, principal):
        return []  # as for a department without evaluations
    return evaluations.compare(conn, department, code_or_name)


def budget_view(
    conn: Connection, department: str, fiscal_year: int, principal: Principal
) -> evaluations.BudgetView | None:
    if not department_visible(conn, department, principal):
        return None
    return evaluations.budget_view(conn, department, fiscal_year)
