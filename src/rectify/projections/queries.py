"""Queries over the read models. They return frozen DTOs; callers never see rows.

Lists page in SQL by keyset (`after` = the last key of the previous page).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Connection, select

from rectify.projections.departments import departments
from rectify.projections.findings import findings

PAGE = 200


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


def list_departments(conn: Connection) -> list[DepartmentView]:
    rows = conn.execute(select(departments).order_by(departments.c.code)).all()
    return [DepartmentView(r.code, r.name, r.parent_code) for r in rows]


def list_findings(
    conn: Connection,
    *,
    fiscal_year: int | None = None,
    department: str | None = None,
    status: str | None = None,
    after: str | None = None,
    limit: int = PAGE,
) -> list[FindingView]:
    query = (
        select(findings, departments.c.name.label("department_name"))
        .select_from(findings.outerjoin(departments, departments.c.code == findings.c.department_code))
        .order_by(findings.c.ref)
        .limit(limit)
    )
    if fiscal_year is not None:
        query = query.where(findings.c.fiscal_year == fiscal_year)
    if department is not None:
        query = query.where(
            (findings.c.department_code == department) | (findings.c.unit_code == department)
        )
    if status is not None:
        query = query.where(findings.c.status == status)
    if after is not None:
        query = query.where(findings.c.ref > after)
    return [_finding_view(r) for r in conn.execute(query).all()]


def _finding_view(r: object) -> FindingView:
    return FindingView(
        ref=r.ref,  # type: ignore[attr-defined]
        department_code=r.department_code,  # type: ignore[attr-defined]
        department_name=r.department_name,  # type: ignore[attr-defined]
        unit_code=r.unit_code,  # type: ignore[attr-defined]
        fiscal_year=r.fiscal_year,  # type: ignore[attr-defined]
        evaluation_key=r.evaluation_key,  # type: ignore[attr-defined]
        category=r.category,  # type: ignore[attr-defined]
        title=r.title,  # type: ignore[attr-defined]
        description=r.description,  # type: ignore[attr-defined]
        indicator_codes=tuple(c for c in r.indicator_codes.split(",") if c),  # type: ignore[attr-defined]
        amount=r.amount,  # type: ignore[attr-defined]
        amount_unit=r.amount_unit,  # type: ignore[attr-defined]
        rectification_class=r.rectification_class,  # type: ignore[attr-defined]
        due=r.due,  # type: ignore[attr-defined]
        status=r.status,  # type: ignore[attr-defined]
        recorded_at=r.recorded_at,  # type: ignore[attr-defined]
        recorded_by=r.recorded_by,  # type: ignore[attr-defined]
    )
