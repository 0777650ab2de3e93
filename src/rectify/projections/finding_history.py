"""The problem list as of a date: which findings existed then, and at which version.

Time travel rebuilds the past from the log, not from today's read model: the
timeline read model already indexes every finding event by (finding, version, at),
so one grouped query says which findings had been recorded by a moment and how
far each had gone (its last version before it). The caller replays each of those
findings to that version through the domain (the events are the truth; no second
implementation of the lifecycle here). Paged by ref (keyset), scoped like the list.

Filters: what never changes after a finding is recorded (department, unit, title,
description) is matched exactly here; what grows (the years it was carried into,
the repeats linked) is matched by today's value, a superset of the past one; a
status by the events that lead into it having come before the moment; a class by
today's class or long-term (the only change a class makes). The caller checks
everything that changes (status, class, due, years, repeats) on the replayed finding.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import Connection, exists, func, or_, select

from rectify.domain.identity import Principal
from rectify.domain.vocabulary import FindingStatus, RectificationClass
from rectify.projections.findings import findings
from rectify.projections.queries import (
    department_clause,
    in_year_clause,
    scope_clause,
)
from rectify.projections.text_search import like_clause
from rectify.projections.timeline import finding_timeline

# The events that put a finding in each status (domain/finding.py): a finding was in
# status S at a moment only if one of S's events came before it — a superset the
# timeline answers by index, so a rare status does not replay every finding.
STATUS_EVENTS: dict[str, tuple[str, ...]] = {
    FindingStatus.RECORDED.value: ("Recorded",),
    FindingStatus.ISSUED.value: ("Issued", "Reopened"),
    FindingStatus.CLOSURE_REQUESTED.value: ("ClosureRequested",),
    FindingStatus.RETURNED.value: ("Returned",),
    FindingStatus.CLOSED.value: ("Closed",),
    FindingStatus.LONG_TERM.value: ("AcceptedAsLongTerm",),
    FindingStatus.WITHDRAWN.value: ("Withdrawn",),
}
LONG_TERM = RectificationClass.LONG_TERM.value


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
    status: str | None = None,
    rectification_class: str | None = None,
    after: str | None = None,
    limit: int = 50,
) -> list[VersionAt]:
    """Findings recorded before `moment` that `principal` may see, each with its last
    version before `moment`, by ref after `after`; `fiscal_year` and `repeat` keep
    those that may have matched then (see the module's docstring)."""
    t = finding_timeline
    # Timeline times are stored in UTC (SQLite keeps no zone): compare in UTC too.
    moment = moment.astimezone(UTC)
    # Walk the findings by ref and probe each one's timeline (its primary key starts
    # with the finding id): the page stops after `limit` rows, where grouping the whole
    # timeline first cost ~430 ms at 100k findings.
    version = (
        select(func.max(t.c.version))
        .where(t.c.finding_id == findings.c.id, t.c.at < moment)
        .scalar_subquery()
    )
    query = (
        select(findings.c.ref, findings.c.id, version.label("version"))
        .where(version.is_not(None), scope_clause(principal))
        .order_by(findings.c.ref)
        .limit(limit)
    )
    if after is not None:
        query = query.where(findings.c.ref > after)
    if department is not None:
        query = query.where(department_clause(department))
    if fiscal_year is not None:
        query = query.where(in_year_clause(fiscal_year))
    if repeat:
        query = query.where(findings.c.repeat_of != "")
    if text:
        query = query.where(like_clause(text))
    if status is not None:
        earlier = finding_timeline.alias("earlier")
        query = query.where(
            exists().where(
                earlier.c.finding_id == findings.c.id,
                earlier.c.event.in_(STATUS_EVENTS.get(status, ())),
                earlier.c.at < moment,
            )
        )
    if rectification_class is not None:
        # A class only ever changes to long-term (转为持续整改): today's class, or long-term.
        query = query.where(
            or_(
                findings.c.rectification_class == rectification_class,
                findings.c.rectification_class == LONG_TERM,
            )
        )
    return [VersionAt(r.ref, UUID(r.id), r.version) for r in conn.execute(query).all()]
