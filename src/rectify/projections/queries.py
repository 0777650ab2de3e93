"""Queries over the read models. They return frozen DTOs; callers never see rows.

Lists page in SQL by keyset (`after` = the last key of the previous page). Finding
queries take the acting principal: a DEPARTMENT principal sees only its own
department's findings and its units' (departments.parent_code); other roles see all.
"""

from __future__ import annotations

import heapq
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, exists, false, func, or_, select, true

from rectify.domain.errors import NotFound
from rectify.domain.identity import Principal, Role
from rectify.domain.overdue import OVERDUE_EXEMPT, is_overdue, stored
from rectify.projections.any_of import in_subquery
from rectify.projections.departments import departments
from rectify.projections.finding_sort import SortCursor, sorted_page
from rectify.projections.findings import finding_years, findings
from rectify.projections.text_search import text_clause
from rectify.projections.timeline import OCCURRENCE_EVENT, finding_timeline

PAGE = 200
YEAR_WALK_AT = 2000  # findings in a year above which the year filter walks (walk_year)

# The overdue rule is the domain's (domain/overdue.py); this is its SQL form.
NOT_OVERDUE_STATUSES = stored(OVERDUE_EXEMPT)


@dataclass(frozen=True)
class DepartmentView:
    code: str
    name: str
    parent_code: str | None


@dataclass(frozen=True)
class FindingView:
    ref: str
    department_code: str
    department_name: str | None
    unit_code: str | None
    fiscal_year: int
    evaluation_key: str | None
    category: str
    title: str
    description: str
    indicator_codes: tuple[str, ...]
    amount: Decimal | None
    amount_unit: str | None
    rectification_class: str | None
    due: date | None
    status: str
    recorded_at: datetime
    recorded_by: str
    root_cause: str | None = None
    issued_on: date | None = None
    requirements: str | None = None
    re_review_on: date | None = None
    responsible_person: str | None = None
    progress_percent: int | None = None
    extension_count: int = 0
    carried_years: tuple[int, ...] = ()
    last_carried_year: int | None = None
    repeat_of: tuple[str, ...] = ()
    closed_at: datetime | None = None
    reopen_count: int = 0
    overdue: bool = False


@dataclass(frozen=True)
class TimelineEntry:
    version: int
    at: datetime
    actor: str
    event: str
    label: str
    reason: str | None
    details: dict[str, Any]


@dataclass(frozen=True)
class FindingDetail:
    finding: FindingView
    timeline: tuple[TimelineEntry, ...]
    repeated_by: tuple[str, ...] = ()  # later findings linked as repeats of this one


def list_departments(conn: Connection) -> list[DepartmentView]:
    rows = conn.execute(select(departments).order_by(departments.c.code)).all()
    return [DepartmentView(r.code, r.name, r.parent_code) for r in rows]


def scope_clause(principal: Principal | None) -> ColumnElement[bool]:
    """Which findings `principal` may see (None: unscoped, for system use)."""
    if principal is None or principal.role is not Role.DEPARTMENT:
        return true()
    mine = principal.department
    if mine is None:
        return false()
    units = select(departments.c.code).where(departments.c.parent_code == mine)
    return or_(
        findings.c.department_code == mine,
        findings.c.unit_code == mine,
        in_subquery(findings.c.unit_code, units),
    )


def owned_clause(column: ColumnElement[str], principal: Principal | None) -> ColumnElement[bool]:
    """Rows owned (through `column`) by what `principal` may see: a DEPARTMENT principal
    its own department and its units, other roles everything."""
    if principal is None or principal.role is not Role.DEPARTMENT:
        return true()
    mine = principal.department
    if mine is None:
        return false()
    units = select(departments.c.code).where(departments.c.parent_code == mine)
    return or_(column == mine, in_subquery(column, units))


def overdue_clause(today: date) -> ColumnElement[bool]:
    """`domain.overdue.is_overdue` as an SQL condition on the findings table."""
    return and_(
        findings.c.due.is_not(None),
        findings.c.due < today,
        findings.c.status.not_in(NOT_OVERDUE_STATUSES),
    )


def in_year_clause(year: int, *, walk: bool = False) -> ColumnElement[bool]:
    """A finding of `year`, or carried over into it (结转): by the findings-by-year index.

    As an IN list (the default) the database reads the year's ids, fetches each finding
    and sorts them all before the page's LIMIT; with `walk` it is a per-row EXISTS on
    the (fiscal_year, finding_id) key, so a list walked in ref order stops at the page."""
    if walk:
        return exists().where(
            finding_years.c.fiscal_year == year, finding_years.c.finding_id == findings.c.id
        )
    return findings.c.id.in_(
        select(finding_years.c.finding_id).where(finding_years.c.fiscal_year == year)
    )


def walk_year(conn: Connection, year: int, sort: str, *, overdue: bool = False) -> bool:
    """Whether the year filter should walk the list's ref order (see in_year_clause):
    when sorted by ref and the year is large — 12k findings of 100k: IN ~45 ms on
    SQLite, the walk < 1 ms; a year of a few findings is cheaper listed (the walk would
    read the whole ref index to find none: ~80 ms). Never with overdue: SQLite then
    leaves the walk for the index on due and checks the year per row (1.7M events:
    ~90 ms), while the year's ids cost at most the year's size (~25 ms at 13k)."""
    if sort != "ref" or overdue:
        return False
    size = select(func.count()).where(finding_years.c.fiscal_year == year)
    return int(conn.execute(size).scalar_one()) > YEAR_WALK_AT


def department_clause(code: str) -> ColumnElement[bool]:
    """A department's or a unit's findings (each side by its own index)."""
    return or_(findings.c.department_code == code, findings.c.unit_code == code)


def list_findings(
    conn: Connection,
    *,
    principal: Principal | None = None,
    fiscal_year: int | None = None,
    department: str | None = None,
    status: str | None = None,
    rectification_class: str | None = None,
    overdue: bool = False,
    today: date,
    repeat: bool = False,
    text: str | None = None,
    ref_part: str | None = None,
    after: str | None = None,
    limit: int = PAGE,
    sort: str = "ref",
    descending: bool = False,
    sort_after: SortCursor | None = None,
) -> list[FindingView]:
    """Findings `principal` may see, by ref (or by `sort`, paged with `sort_after`:
    see projections.finding_sort); `fiscal_year` includes those carried into it.

    `today` (the caller's clock day) decides what is overdue. `ref_part`: a part of the
    ref (the palette finds `D0004-2023-007` by `2023-007`), literal, no wildcards.

    Two steps in one statement: the page's refs first (sorted and limited over the
    filter's columns only, index-only where an index covers them, e.g. overdue on
    `ix_findings_due_status_ref`), then the page's rows by primary key. Sorting the
    whole rows of every match made a dense filter (70% overdue of 100k) cost ~300 ms
    on SQLite; sorting their refs costs ~20 ms.
    """
    keys = select(findings.c.ref).where(scope_clause(principal)).limit(limit)
    if after is not None and sort_after is None:
        sort_after = SortCursor(False, after, after)
    keys = sorted_page(keys, sort, descending, sort_after)
    if fiscal_year is not None:
        walk = walk_year(conn, fiscal_year, sort, overdue=overdue)
        keys = keys.where(in_year_clause(fiscal_year, walk=walk))
    if department is not None:
        keys = keys.where(department_clause(department))
    if status is not None:
        keys = keys.where(findings.c.status == status)
    if rectification_class is not None:
        keys = keys.where(findings.c.rectification_class == rectification_class)
    if overdue:
        keys = keys.where(overdue_clause(today))
    if repeat:
        keys = keys.where(findings.c.repeat_of != "")
    if text:
        keys = keys.where(text_clause(conn, text))
    if ref_part:
        keys = keys.where(findings.c.ref.contains(ref_part, autoescape=True))
    query = sorted_page(
        select(findings, departments.c.name.label("department_name"))
        .select_from(
            findings.outerjoin(departments, departments.c.code == findings.c.department_code)
        )
        .where(findings.c.ref.in_(keys.correlate(None))),
        sort,
        descending,
        None,
    )
    return [_finding_view(r, today) for r in conn.execute(query).all()]


def finding_detail(
    conn: Connection, ref: str, *, principal: Principal | None, today: date
) -> FindingDetail:
    """One finding with its timeline, overdue as of `today`; NotFound when missing or out of scope (alike)."""
    row = conn.execute(
        select(findings, departments.c.name.label("department_name"))
        .select_from(
            findings.outerjoin(departments, departments.c.code == findings.c.department_code)
        )
        .where(findings.c.ref == ref)
        .where(scope_clause(principal))
    ).one_or_none()
    if row is None:  # out of scope reads exactly like missing: a refusal reveals nothing
        raise NotFound(f"问题 {ref} 不存在")
    rows = conn.execute(
        select(finding_timeline)
        .where(finding_timeline.c.ref == row.ref)
        .order_by(finding_timeline.c.version)
    ).all()
    # The finding's own events in version order; the clock's occurrences merged in by time.
    own = [e for e in rows if e.finding_id == row.id]
    clock = sorted((e for e in rows if e.event == OCCURRENCE_EVENT), key=lambda e: e.at)
    events = list(heapq.merge(own, clock, key=lambda e: e.at))
    timeline = tuple(
        TimelineEntry(
            version=e.version,
            at=e.at,
            actor=e.actor,
            event=e.event,
            label=e.label,
            reason=e.reason,
            details=json.loads(e.details),
        )
        for e in events
    )
    return FindingDetail(
        finding=_finding_view(row, today),
        timeline=timeline,
        repeated_by=repeats_of(conn, row.ref, row.department_code, principal),
    )


def repeats_of(
    conn: Connection, ref: str, department: str, principal: Principal | None
) -> tuple[str, ...]:
    """The findings that repeat `ref` (屡查屡犯 links only join findings of one
    department: its index narrows the LIKE to that department's rows)."""
    rows = conn.execute(
        select(findings.c.ref, findings.c.repeat_of)
        .where(findings.c.department_code == department)
        .where(findings.c.repeat_of.contains(ref, autoescape=True))
        .where(scope_clause(principal))
        .order_by(findings.c.ref)
    ).all()
    return tuple(r.ref for r in rows if ref in r.repeat_of.split(","))


def _finding_view(r: Any, today: date) -> FindingView:
    return FindingView(
        ref=r.ref,
        department_code=r.department_code,
        department_name=r.department_name,
        unit_code=r.unit_code,
        fiscal_year=r.fiscal_year,
        evaluation_key=r.evaluation_key,
        category=r.category,
        title=r.title,
        description=r.description,
        indicator_codes=tuple(c for c in r.indicator_codes.split(",") if c),
        amount=r.amount,
        amount_unit=r.amount_unit,
        rectification_class=r.rectification_class,
        due=r.due,
        status=r.status,
        recorded_at=r.recorded_at,
        recorded_by=r.recorded_by,
        root_cause=r.root_cause,
        issued_on=r.issued_on,
        requirements=r.requirements,
        re_review_on=r.re_review_on,
        responsible_person=r.responsible_person,
        progress_percent=r.progress_percent,
        extension_count=r.extension_count,
        carried_years=tuple(int(y) for y in r.carried_years.split(",") if y),
        last_carried_year=r.last_carried_year,
        repeat_of=tuple(x for x in r.repeat_of.split(",") if x),
        closed_at=r.closed_at,
        reopen_count=r.reopen_count,
        overdue=is_overdue(r.due, r.status, today),
    )
