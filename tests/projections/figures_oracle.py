"""The figures as main computed them before the read model (projections/figures.py at
995dc87), kept verbatim, Python side included: the oracle the read model and the
direct path are compared with, down to each Decimal's digits."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Connection, case, func, select

from rectify.domain.identity import Principal
from rectify.domain.vocabulary import FindingStatus
from rectify.projections.departments import departments
from rectify.projections.figures import Figures, percent
from rectify.projections.findings import finding_years, findings
from rectify.projections.queries import department_clause, overdue_clause, scope_clause

_MICROS = Decimal(1_000_000)
_CLOSED = FindingStatus.CLOSED.value
_WITHDRAWN = FindingStatus.WITHDRAWN.value
_STATUSES = tuple(s.value for s in FindingStatus)


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(case((condition, 1), else_=0))


def _micros(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, findings.c.amount_micros), else_=0)), 0)


def _groups(
    conn: Connection,
    principal: Principal | None,
    year: int | None,
    department: str | None,
    today: date,
) -> list[Any]:
    """One row per (department, year), every measure aggregated in SQL: a count per
    status as its own column, so Python touches one row per figure, not per status."""
    status = findings.c.status
    counted = status != _WITHDRAWN
    closed = status == _CLOSED
    inexact = findings.c.amount.is_not(None) & findings.c.amount_micros.is_(None)
    query = (
        select(
            findings.c.department_code,
            finding_years.c.fiscal_year,
            *(_count(status == value).label(f"s_{value}") for value in _STATUSES),
            _micros(counted).label("micros"),
            _micros(closed).label("micros_closed"),
            _count(inexact & counted).label("inexact"),
            _count(inexact & closed).label("inexact_closed"),
            _count(overdue_clause(today)).label("overdue"),
            _count(findings.c.extension_count > 0).label("extended"),
            _count(finding_years.c.carried).label("carried"),
            _count(findings.c.repeat_of != "").label("repeats"),
        )
        .select_from(finding_years.join(findings, findings.c.id == finding_years.c.finding_id))
        .where(scope_clause(principal))
        .group_by(findings.c.department_code, finding_years.c.fiscal_year)
    )
    if year is not None:
        query = query.where(finding_years.c.fiscal_year == year)
    if department is not None:
        query = query.where(department_clause(department))
    return list(conn.execute(query).all())


def _exact_amounts(
    conn: Connection, principal: Principal | None, code: str, year: int, which: ColumnElement[bool]
) -> Decimal:
    """The rare figure holding an amount finer than a millionth: summed as Decimals."""
    query = (
        select(findings.c.amount)
        .select_from(finding_years.join(findings, findings.c.id == finding_years.c.finding_id))
        .where(scope_clause(principal))
        .where((findings.c.department_code == code) & (finding_years.c.fiscal_year == year))
        .where(which)
    )
    return sum((a for a in conn.execute(query).scalars() if a is not None), Decimal(0))


def old_figures(
    conn: Connection,
    *,
    principal: Principal | None,
    year: int | None = None,
    department: str | None = None,
    today: date,
) -> list[Figures]:
    """One row per (department, year) with findings `principal` may see, overdue as of `today`."""
    groups = _groups(conn, principal, year, department, today)
    names = dict(
        conn.execute(
            select(departments.c.code, departments.c.name).where(
                departments.c.code.in_(sorted({g.department_code for g in groups}))
            )
        )
        .tuples()
        .all()
    )
    out: list[Figures] = []
    for g in sorted(groups, key=lambda g: (g.department_code, int(g.fiscal_year))):
        code, y = g.department_code, int(g.fiscal_year)
        by_status = {value: int(n) for value in _STATUSES if (n := getattr(g, f"s_{value}"))}
        total = sum(by_status.values())
        closed = by_status.get(_CLOSED, 0)
        withdrawn = by_status.get(_WITHDRAWN, 0)
        amount_total = (
            _exact_amounts(conn, principal, code, y, findings.c.status != _WITHDRAWN)
            if g.inexact
            else Decimal(int(g.micros)) / _MICROS
        )
        amount_closed = (
            _exact_amounts(conn, principal, code, y, findings.c.status == _CLOSED)
            if g.inexact_closed
            else Decimal(int(g.micros_closed)) / _MICROS
        )
        out.append(
            Figures(
                department_code=code,
                department_name=names.get(code),
                year=y,
                total=total,
                by_status=dict(sorted(by_status.items())),
                closed=closed,
                withdrawn=withdrawn,
                rate_by_count=percent(Decimal(closed), Decimal(total - withdrawn)),
                amount_total=amount_total,
                amount_closed=amount_closed,
                rate_by_amount=percent(amount_closed, amount_total),
                overdue=int(g.overdue),
                extended=int(g.extended),
                carried_over=int(g.carried),
                repeats=int(g.repeats),
            )
        )
    return out
