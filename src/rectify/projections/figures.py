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

from sqlalchemy import Connection, select

from rectify.domain.identity import Principal
from rectify.domain.overdue import is_overdue
from rectify.domain.vocabulary import FindingStatus
from rectify.projections.departments import departments
from rectify.projections.findings import findings
from rectify.projections.queries import scope_clause

_CENT = Decimal("0.01")
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


def figures(
    conn: Connection,
    *,
    principal: Principal | None,
    year: int | None = None,
    department: str | None = None,
    today: date,
) -> list[Figures]:
    """One row per (department, year) with findings `principal` may see, overdue as of `today`."""
    query = (
        select(findings, departments.c.name.label("department_name"))
        .select_from(
            findings.outerjoin(departments, departments.c.code == findings.c.department_code)
        )
        .where(scope_clause(principal))
    )
    if department is not None:
        query = query.where(
            (findings.c.department_code == department) | (findings.c.unit_code == department)
        )
    acc: dict[tuple[str, int], _Acc] = {}
    names: dict[str, str | None] = {}
    for r in conn.execute(query).all():
        carried = [int(y) for y in r.carried_years.split(",") if y]
        names[r.department_code] = r.department_name
        for y in (r.fiscal_year, *carried):
            if year is not None and y != year:
                continue
            a = acc.setdefault((r.department_code, y), _Acc())
            a.statuses[r.status] += 1
            if r.status != _WITHDRAWN:
                amount = r.amount or Decimal(0)
                a.amount_total += amount
                if r.status == _CLOSED:
                    a.amount_closed += amount
            a.overdue += is_overdue(r.due, r.status, today)
            a.extended += r.extension_count > 0
            a.carried_over += y in carried
            a.repeats += r.repeat_of != ""
    out: list[Figures] = []
    for (code, y), a in sorted(acc.items()):
        total = sum(a.statuses.values())
        closed = a.statuses[_CLOSED]
        withdrawn = a.statuses[_WITHDRAWN]
        out.append(
            Figures(
                department_code=code,
                department_name=names[code],
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
