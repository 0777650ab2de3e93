"""Read model of performance targets: every declared, revised or noted target as a row.

`target_changes` keeps one row per target per event (declared / revised / version);
the target in force on a day is the last declared-or-revised row of its code with
`effective` ≤ that day (ordered by effective date, then version) — the same rule as
`Targets.in_force`, so the read model and the log agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Date,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    Text,
    select,
)

from rectify.domain.identity import Principal, Role
from rectify.domain.targets import targets_key
from rectify.projections.metadata import metadata
from rectify.projections.projector import Handler, Projector

target_changes = Table(
    "target_changes",
    metadata,
    Column("targets_id", String(36), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("code", String(64), primary_key=True),
    Column("key", String(160), nullable=False),
    Column("department_code", String(64), nullable=False),
    Column("fiscal_year", Integer, nullable=False),
    Column("project_code", String(64), nullable=True),
    Column("kind", String(16), nullable=False),  # declared / revised / version
    Column("effective", Date, nullable=False),
    Column("name", Text, nullable=False),
    Column("category", String(16), nullable=False),
    Column("operator", String(16), nullable=False),
    Column("value", Text, nullable=False),  # exact decimal text, or a qualitative target
    Column("unit", String(32), nullable=True),
    Column("source", Text, nullable=True),
    Column("reason", Text, nullable=True),
    Column("actor", Text, nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Index("ix_target_changes_department_code_fiscal_year", "department_code", "fiscal_year"),
)


class TargetsProjector(Projector):
    name = "targets"
    tables = (target_changes,)

    def handlers(self) -> Mapping[str, Handler]:
        return {
            "rectify/Targets.Declared": self.declared,
            "rectify/Targets.Revised": self.revised,
            "rectify/Targets.VersionNoted": self.version_noted,
        }

    @staticmethod
    def _row(event: Any, head: Any, kind: str, target: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "targets_id": str(event.originator_id),
            "version": event.originator_version,
            "code": target["code"],
            "key": head.key,
            "department_code": head.department_code,
            "fiscal_year": head.fiscal_year,
            "project_code": head.project_code,
            "kind": kind,
            "effective": event.effective,
            "name": target["name"],
            "category": target["category"],
            "operator": target["operator"],
            "value": str(target["value"]),
            "unit": target.get("unit"),
            "source": target.get("source"),
            "reason": event.reason,
            "actor": event.actor,
            "recorded_at": event.timestamp,
        }

    def declared(self, conn: Connection, event: Any) -> None:
        project = event.project_code
        head = _Head(
            targets_key(event.department_code, event.fiscal_year, project),
            event.department_code,
            event.fiscal_year,
            project,
        )
        conn.execute(
            target_changes.insert(), [self._row(event, head, "declared", t) for t in event.targets]
        )

    def _head(self, conn: Connection, event: Any) -> Any:
        return conn.execute(
            select(
                target_changes.c.key,
                target_changes.c.department_code,
                target_changes.c.fiscal_year,
                target_changes.c.project_code,
            )
            .where(target_changes.c.targets_id == str(event.originator_id))
            .limit(1)
        ).one()

    def revised(self, conn: Connection, event: Any) -> None:
        conn.execute(
            target_changes.insert().values(
                self._row(event, self._head(conn, event), "revised", event.target)
            )
        )

    def version_noted(self, conn: Connection, event: Any) -> None:
        conn.execute(
            target_changes.insert().values(
                self._row(event, self._head(conn, event), "version", event.target)
            )
        )


@dataclass(frozen=True)
class _Head:
    key: str
    department_code: str
    fiscal_year: int
    project_code: str | None


@dataclass(frozen=True)
class TargetView:
    code: str
    name: str
    category: str
    operator: str
    value: str
    unit: str | None
    effective: date
    source: str | None
    revisions: int  # revisions in force by the day asked
    reason: str | None  # of the last revision in force
    other_versions: tuple[str, ...]  # "出处：目标" for each other version noted


@dataclass(frozen=True)
class TargetChangeView:
    code: str
    kind: str
    effective: date
    shown: str
    reason: str | None
    actor: str
    recorded_at: datetime


def _shown(r: Any) -> str:
    if r.operator == "qualitative":
        return f"{r.value}（定性）"
    return f"{r.operator}{r.value}{r.unit or ''}"


def may_read(principal: Principal, department_code: str) -> bool:
    return principal.role is not Role.DEPARTMENT or principal.department == department_code


def targets_in_force(
    conn: Connection,
    department_code: str,
    fiscal_year: int,
    day: date | None,
    *,
    principal: Principal,
    project_code: str | None = None,
) -> list[TargetView] | None:
    """Targets in force at the end of `day` (None: all recorded); None when none declared."""
    key = targets_key(department_code, fiscal_year, project_code)
    if not may_read(principal, department_code):
        return None  # another department's targets read as none declared: reveals nothing
    rows = conn.execute(
        select(target_changes)
        .where(target_changes.c.key == key)
        .order_by(target_changes.c.effective, target_changes.c.version)
    ).all()
    if not rows:
        return None
    order: list[str] = []
    current: dict[str, Any] = {}
    revisions: dict[str, int] = {}
    others: dict[str, list[str]] = {}
    for r in rows:
        if day is not None and r.effective > day:
            continue
        if r.kind == "version":
            others.setdefault(r.code, []).append(f"{r.source}：{_shown(r)}")
            continue
        if r.code not in current:
            order.append(r.code)
        if r.kind == "revised":
            revisions[r.code] = revisions.get(r.code, 0) + 1
        current[r.code] = r
    return [
        TargetView(
            c,
            current[c].name,
            current[c].category,
            current[c].operator,
            current[c].value,
            current[c].unit,
            current[c].effective,
            current[c].source,
            revisions.get(c, 0),
            current[c].reason,
            tuple(others.get(c, ())),
        )
        for c in order
    ]


def target_history(
    conn: Connection,
    department_code: str,
    fiscal_year: int,
    *,
    principal: Principal,
    project_code: str | None = None,
) -> list[TargetChangeView]:
    targets_in_force(
        conn, department_code, fiscal_year, None, principal=principal, project_code=project_code
    )
    key = targets_key(department_code, fiscal_year, project_code)
    rows = conn.execute(
        select(target_changes)
        .where(target_changes.c.key == key)
        .order_by(target_changes.c.version, target_changes.c.code)
    ).all()
    return [
        TargetChangeView(r.code, r.kind, r.effective, _shown(r), r.reason, r.actor, r.recorded_at)
        for r in rows
    ]
