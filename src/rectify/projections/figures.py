"""Figures the bureau reports upward, per department and year (整改统计).

A finding counts in its fiscal year and in every year it was carried over into (结转),
so a year's figures show what was on that year's list. 整改率 by count is
closed / (all − withdrawn); by amount, Σ amount of closed / Σ amount (withdrawn
excluded, findings without an amount add nothing). Rates are percentages with two
places (Decimal, half up); None when there is nothing to divide by.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import ColumnElement, Connection, case, func, select

from rectify.domain.identity import Principal
from rectify.domain.vocabulary import FindingStatus
from rectify.projections.departments import departments
from rectify.projections.findings import finding_years, findings
from rectify.projections.queries import department_clause, overdue_clause, scope_clause

_CENT = Decimal("0.01")
_MICROS = Decimal(1_000_000)
_CLOSED = FindingStatus.CLOSED.value
_WITHDRAWN = FindingStatus.WITHDRAWN.value


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    if whole == 0:
        return None
    return (part * 100 / whole).quantize(_CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Figures:
    department_code: str
    department_name: str | None
    year: int
    total: int
    by_status: dict[str, int]
    closed: int
    withdrawn: int
    rate_by_count: Decimal | None  # 整改率（按数量），%
    amount_total: Decimal
    amount_closed: Decimal
    rate_by_amount: Decimal | None  # 整改率（按金额），%
    overdue: int
    extended: int
    carried_over: int  # carried into this year from an earlier one
    repeats: int


@dataclass
class _Acc:
    statuses: Counter[str] = field(default_factory=Counter)
    amount_total: Decimal = Decimal(0)
    amount_closed: Decimal = Decimal(0)
    overdue: int = 0
    extended: int = 0
    carried_over: int = 0
    repeats: int = 0


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.sum(case((condition, 1), else_=0))


def _groups(
    conn: Connection, principal: Principal | None, year: int | None, department: str | None, today: date
) -> list[Any]:
    """One row per (department, year, status), every measure aggregated in SQL."""
    inexact = findings.c.amount.is_not(None) & findings.c.amount_micros.is_(None)
    query = (
        select(
            findings.c.department_code,
            finding_years.c.fiscal_year,
            findings.c.status,
            func.count().label("n"),
            func.coalesce(func.sum(findings.c.amount_micros), 0).label("micros"),
            _count(inexact).label("inexact"),
            _count(overdue_clause(today)).label("overdue"),
            _count(findings.c.extension_count > 0).label("extended"),
            _count(finding_years.c.carried).label("carried"),
            _count(findings.c.repeat_of != "").label("repeats"),
        )
        .select_from(finding_years.join(findings, findings.c.id == finding_years.c.finding_id))
        .where(scope_clause(principal))
        .group_by(findings.c.department_code, finding_years.c.fiscal_year, findings.c.status)
    )
    if year is not None:
        query = query.where(finding_years.c.fiscal_year == year)
    if department is not None:
        query = query.where(department_clause(department))
    return list(conn.execute(query).all())


def _exact_amounts(
    conn: Connection, principal: Principal | None, code: str, year: int, status: str
) -> Decimal:
    """The rare group holding an amount finer than a millionth: summed as Decimals."""
    query = (
        select(findings.c.amount)
        .select_from(finding_years.join(findings, findings.c.id == finding_years.c.finding_id))
        .where(scope_clause(principal))
        .where((findings.c.department_code == code) & (finding_years.c.fiscal_year == year))
        .where(findings.c.status == status)
    )
    return sum((a for a in conn.execute(query).scalars() if a is not None), Decimal(0))


def figures(
    conn: Connection,
    *,
    principal: Principal | None,
    year: int | None = None,
    department: str | None = None,
    today: date | None = None,
) -> list[Figures]:
    """One row per (department, year) with findings `principal` may see."""
    today = today or date.today()
    acc: dict[tuple[str, int], _Acc] = {}
    for g in _groups(conn, principal, year, department, today):
        a = acc.setdefault((g.department_code, int(g.fiscal_year)), _Acc())
        a.statuses[g.status] += int(g.n)
        if g.status != _WITHDRAWN:
            amount = (
                _exact_amounts(conn, principal, g.department_code, int(g.fiscal_year), g.status)
                if g.inexact
                else Decimal(int(g.micros)) / _MICROS
            )
            a.amount_total += amount
            if g.status == _CLOSED:
                a.amount_closed += amount
        a.overdue += int(g.overdue)
        a.extended += int(g.extended)
        a.carried_over += int(g.carried)
        a.repeats += int(g.repeats)
    names = dict(
        conn.execute(
            select(departments.c.code, departments.c.name).where(
                departments.c.code.in_(sorted({code for code, _ in acc}))
            )
        ).tuples().all()
    )
    out: list[Figures] = []
    for (code, y), a in sorted(acc.items()):
        total = sum(a.statuses.values())
        closed = a.statuses[_CLOSED]
        withdrawn = a.statuses[_WITHDRAWN]
        out.append(
            Figures(
                department_code=code,
                department_name=names.get(code),
                year=y,
                total=total,
                by_status=dict(sorted(a.statuses.items())),
                closed=closed,
                withdrawn=withdrawn,
                rate_by_count=percent(Decimal(closed), Decimal(total - withdrawn)),
                amount_total=a.amount_total,
                amount_closed=a.amount_closed,
                rate_by_amount=percent(a.amount_closed, a.amount_total),
                overdue=a.overdue,
                extended=a.extended,
                carried_over=a.carried_over,
                repeats=a.repeats,
            )
        )
    return out
