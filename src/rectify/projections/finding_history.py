"""The problem list as of a date: which findings existed then, and at which version.

Time travel rebuilds the past from the log, not from today's read model: the
timeline read model already indexes every finding event by (finding, version, at),
so one grouped query says which findings had been recorded by a moment and how
far each had gone (its last version before it). The caller replays each of those
findings to that version through the domain (the events are the truth; no second
implementation of the lifecycle here). Paged by ref (keyset), scoped like the list.

Filters: what never changes after a finding is recorded (department, unit, title,
description) is matched exactly here; what grows (the years it was carried into,
the repeats linked) is matched by today's value, a superset of the past one. The
caller checks everything that changes (status, class, due, years, repeats) on the
replayed finding.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import Connection, func, select

from rectify.domain.identity import Principal
from rectify.projections.findings import findings
from rectify.projections.queries import (
    department_clause,
    in_year_clause,
    scope_clause,
    text_clause,
)
from rectify.projections.timeline import finding_timeline


@dataclass(frozen=True)
class VersionAt:
    ref: str
    finding_id: UUID
    version: int


def versions_as_of(
    conn: Connection,
    moment: datetime,
    *,
    principal: Principal | None,
    department: str | None = None,
    fiscal_year: int | None = None,
    repeat: bool = False,
    text: str | None = None,
    after: str | None = None,
    limit: int = 50,
) -> list[VersionAt]:
    """Findings recorded before `moment` that `principal` may see, each with its last
    version before `moment`, by ref after `after`; `fiscal_year` and `repeat` keep
    those that may have matched then (see the module's docstring)."""
    t = finding_timeline
    # Timeline times are stored in UTC (SQLite keeps no zone): compare in UTC too.
    moment = moment.astimezone(UTC)
    query = (
        select(t.c.ref, t.c.finding_id, func.max(t.c.version).label("version"))
        .select_from(t.join(findings, findings.c.ref == t.c.ref))
        .where(t.c.at < moment, scope_clause(principal))
        .group_by(t.c.ref, t.c.finding_id)
        .order_by(t.c.ref)
        .limit(limit)
    )
    if department is not None:
        query = query.where(department_clause(department))
    if fiscal_year is not None:
        query = query.where(in_year_clause(fiscal_year))
    if repeat:
        query = query.where(findings.c.repeat_of != "")
    if text:
        query = query.where(text_clause(text))
    if after is not None:
        query = query.where(t.c.ref > after)
    return [VersionAt(r.ref, UUID(r.finding_id), r.version) for r in conn.execute(query).all()]
