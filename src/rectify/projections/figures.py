"""Figures the bureau reports upward, per department and year (整改统计).

A finding counts in its fiscal year and in every year it was carried over into (结转),
so a year's figures show what was on that year's list. 整改率 by count is
closed / (all − withdrawn); by amount, Σ amount of closed / Σ amount (withdrawn
excluded, findings without an amount add nothing). Rates are percentages with two
places (Decimal, half up); None when there is nothing to divide by.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from itertools import compress
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    bindparam,
    case,
    cast,
    func,
    select,
)

from rectify.domain.identity import Principal, Role
from rectify.domain.vocabulary import FindingStatus
from rectify.projections.batch import DriverQuery
from rectify.projections.cycles import no_cycle_collection
from rectify.projections.departments import departments
from rectify.projections.figure_counts import STATUSES, figure_counts, figure_dues
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


_ALL = Decimal(100).quantize(_CENT)
_NONE = Decimal(0).quantize(_CENT)


# Below this, 100·closed/total lies at least 1/(200·total) > 10⁻²⁶ from any rounding
# boundary of a hundredth unless it is on one, so `percent`'s 28-digit quotient rounds
# to the same hundredth as the exact quotient does.
_EXACT_BELOW = 10**18
_RATES: dict[int, Decimal] = {}  # by hundredths of a percent: at most 10,001, made once


def _amounts(closed: int, total: int) -> tuple[Decimal, Decimal, Decimal | None]:
    """(Σ, Σ closed, rate by amount) from exact sums in millionths: what `percent`
    gives, with its two commonest answers (all closed, none closed) taken directly and
    the others rounded half up in integers (a Decimal division and quantize cost twice
    as much; 10,000 figures a call)."""
    amount_total = Decimal(total) / _MICROS
    if closed == total:
        return amount_total, amount_total, _ALL if total else None
    amount_closed = Decimal(closed) / _MICROS
    if closed == 0 and total > 0:  # (a negative total would give -0.00)
        return amount_total, amount_closed, _NONE
    if not 0 < closed < total < _EXACT_BELOW:
        return amount_total, amount_closed, percent(amount_closed, amount_total)
    hundredths, rest = divmod(closed * 10_000, total)
    if rest * 2 >= total:
        hundredths += 1
    rate = _RATES.get(hundredths)
    if rate is None:
        rate = _RATES[hundredths] = Decimal(hundredths).scaleb(-2)
    return amount_total, amount_closed, rate


@lru_cache(maxsize=65536)
def _rate_by_count(closed: int, counted: int) -> Decimal | None:
    """`percent` of two counts: the same few pairs recur across thousands of figures."""
    return percent(Decimal(closed), Decimal(counted))


# Not frozen: a frozen dataclass sets each field through object.__setattr__, which took
# half of the time to build a province's 10,000 figures; nothing changes one once made.
@dataclass(slots=True)
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


# Each group's counts come in the statuses' alphabetical order: by_status is built sorted.
_STATUSES = tuple(sorted(STATUSES))
_STATUS_COUNT = len(STATUSES)
_MEASURES_AT = 2 + _STATUS_COUNT  # where the amounts and flags start in a group
_CLOSED_AT = 2 + _STATUSES.index(_CLOSED)
_WITHDRAWN_AT = 2 + _STATUSES.index(_WITHDRAWN)
_SUMMED = (
    *(f"s_{value}" for value in _STATUSES),
    *("micros", "micros_closed", "inexact", "inexact_closed", "extended", "carried", "repeats"),
)

# A group: (department, year, a count per status..., micros, micros_closed, inexact,
# inexact_closed, extended, carried, repeats, overdue), where overdue is less, for each
# (department, year), what Later holds for it (the read model's findings not yet due).
Group = tuple[Any, ...]
Later = Counter[tuple[str, int]]


def _sum(value: ColumnElement[Any]) -> ColumnElement[int]:
    """An integer SUM on both backends (PostgreSQL's SUM of a bigint is a numeric)."""
    return cast(func.coalesce(func.sum(value), 0), BigInteger)


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return _sum(case((condition, 1), else_=0))


def _micros(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return _sum(case((condition, findings.c.amount_micros), else_=0))


def _direct_groups(
    conn: Connection,
    principal: Principal | None,
    year: int | None,
    department: str | None,
    today: date,
) -> tuple[list[Group], Later]:
    """The figures straight from the findings (finding_years ⨝ findings, one GROUP BY):
    what the read model must always equal. The tests' oracle and the benchmark's
    baseline; it reads every finding-year in scope, so it grows with the store."""
    status = findings.c.status
    counted = status != _WITHDRAWN
    closed = status == _CLOSED
    inexact = findings.c.amount.is_not(None) & findings.c.amount_micros.is_(None)
    query = (
        select(
            findings.c.department_code,
            finding_years.c.fiscal_year,
            *(_count(status == value) for value in _STATUSES),
            _micros(counted),
            _micros(closed),
            _count(inexact & counted),
            _count(inexact & closed),
            _count(findings.c.extension_count > 0),
            _count(finding_years.c.carried),
            _count(findings.c.repeat_of != ""),
            _count(overdue_clause(today)),
        )
        .select_from(finding_years.join(findings, findings.c.id == finding_years.c.finding_id))
        .where(scope_clause(principal))
        .group_by(findings.c.department_code, finding_years.c.fiscal_year)
    )
    if year is not None:
        query = query.where(finding_years.c.fiscal_year == year)
    if department is not None:
        query = query.where(department_clause(department))
    return [tuple(r) for r in conn.execute(query).tuples()], Counter()


def _read_model_queries() -> dict[bool, tuple[DriverQuery, DriverQuery]]:
    """The read model's two statements, without and with a year, compiled once and run
    on the driver: 10,000 rows of plain integers need no per-row type processing."""
    c, d = figure_counts.c, figure_dues.c
    counts = select(c.department_code, c.fiscal_year, *(c[m] for m in _SUMMED), c.dated_open)
    # Not grouped in SQL: a GROUP BY would lead SQLite to walk the whole table in key
    # order instead of the range of the index on due.
    not_yet = select(d.department_code, d.fiscal_year, d.n).where(d.due >= bindparam("today"))
    return {
        False: (DriverQuery(counts), DriverQuery(not_yet)),
        True: (
            DriverQuery(counts.where(c.fiscal_year == bindparam("year"))),
            DriverQuery(not_yet.where(d.fiscal_year == bindparam("year"))),
        ),
    }


_QUERIES = _read_model_queries()


def _counted_groups(conn: Connection, year: int | None, today: date) -> tuple[list[Group], Later]:
    """Every department's figures from their read model (projections/figure_counts.py):
    its row per (department, year) as it stands, ending with its open findings that
    have a due date; overdue is those minus the ones due from `today` on (the few not
    yet due, by the index on due), subtracted while the figures are built."""
    counts, not_yet = _QUERIES[year is not None]
    to_date = figure_dues.c.due.type.bind_processor(conn.dialect)  # DriverQuery binds raw
    of_year = {} if year is None else {"year": year}
    rows = counts.rows(conn, **of_year)
    due_later: Later = Counter()
    for code, y, n in not_yet.rows(conn, today=to_date(today) if to_date else today, **of_year):
        due_later[code, y] += n
    return list(rows), due_later


def _exact_amounts(
    conn: Connection, principal: Principal | None, code: str, year: int, group: Group
) -> tuple[Decimal, Decimal, Decimal | None]:
    """The rare figure holding an amount finer than a millionth: (Σ, Σ closed, rate by
    amount), each sum that holds one summed from the findings as Decimals."""
    micros, micros_closed, inexact, inexact_closed = group[_MEASURES_AT : _MEASURES_AT + 4]
    status = findings.c.status
    amount_total = (
        _summed(conn, principal, code, year, status != _WITHDRAWN)
        if inexact
        else Decimal(micros) / _MICROS
    )
    amount_closed = (
        _summed(conn, principal, code, year, status == _CLOSED)
        if inexact_closed
        else Decimal(micros_closed) / _MICROS
    )
    return amount_total, amount_closed, percent(amount_closed, amount_total)


def _summed(
    conn: Connection, principal: Principal | None, code: str, year: int, which: ColumnElement[bool]
) -> Decimal:
    query = (
        select(findings.c.amount)
        .select_from(finding_years.join(findings, findings.c.id == finding_years.c.finding_id))
        .where(scope_clause(principal))
        .where((findings.c.department_code == code) & (finding_years.c.fiscal_year == year))
        .where(which)
    )
    return sum((a for a in conn.execute(query).scalars() if a is not None), Decimal(0))


def figures(
    conn: Connection,
    *,
    principal: Principal | None,
    year: int | None = None,
    department: str | None = None,
    today: date,
    direct: bool = False,
) -> list[Figures]:
    """One row per (department, year) with findings `principal` may see, overdue as of
    `today`. Every department's figures come from their read model, a department's
    from its findings; `direct` computes them from the findings in every case."""
    # 10,000 rows, figures, dicts and Decimals, and no cycles among them (cycles.py).
    with no_cycle_collection():
        return _figures(conn, principal, year, department, today, direct)


def _figures(
    conn: Connection,
    principal: Principal | None,
    year: int | None,
    department: str | None,
    today: date,
    direct: bool,
) -> list[Figures]:
    everyone = principal is None or principal.role is not Role.DEPARTMENT
    if everyone and department is None and not direct:
        groups, later = _counted_groups(conn, year, today)
    else:
        # A department's or a unit's few findings, by their indexes.
        groups, later = _direct_groups(conn, principal, year, department, today)
    named = select(departments.c.code, departments.c.name)
    if not everyone or department is not None:  # a few: by key (every one: the whole table)
        named = named.where(departments.c.code.in_(sorted({g[0] for g in groups})))
    names = dict(conn.execute(named).tuples().all())
    # Python's own order (as before), not the database collation's; (department, year)
    # is unique, so the rows compare on it alone, without a key tuple each.
    groups.sort()
    return _built(conn, principal, groups, later, names)


def _built(
    conn: Connection,
    principal: Principal | None,
    groups: list[Group],
    later: Later,
    names: dict[str, str],
) -> list[Figures]:
    out: list[Figures] = []
    append = out.append  # the loop below runs 10,000 times for a province: kept lean
    # The same counts recur (a province's 10,137 figures hold 3,867 kinds): each kind's
    # by_status is made once per call and copied, so no two figures share a dict.
    by_counts: dict[tuple[int, ...], dict[str, int]] = {}
    for g in groups:
        code, y = g[0], g[1]
        counts = g[2:_MEASURES_AT]
        micros, micros_closed, inexact, inexact_closed, extended, carried, repeats, overdue = g[
            _MEASURES_AT:
        ]
        total = sum(counts)
        closed, withdrawn = g[_CLOSED_AT], g[_WITHDRAWN_AT]
        if inexact or inexact_closed:
            amount_total, amount_closed, rate_by_amount = _exact_amounts(
                conn, principal, code, y, g
            )
        else:
            amount_total, amount_closed, rate_by_amount = _amounts(micros_closed, micros)
        if overdue and later:
            overdue -= later.get((code, y), 0)
        by_status = by_counts.get(counts)
        if by_status is None:
            by_status = by_counts[counts] = dict(
                compress(zip(_STATUSES, counts, strict=True), counts)
            )
        append(
            Figures(  # positionally
                code,
                names.get(code),
                y,
                total,
                by_status.copy(),
                closed,
                withdrawn,
                _rate_by_count(closed, total - withdrawn),
                amount_total,
                amount_closed,
                rate_by_amount,
                overdue,
                extended,
                carried,
                repeats,
            )
        )
    return out
