"""Read model: notifications (提醒) per audience — the bureau, or a department/unit.

Reminders, overdue and report items go to the responsible department/unit and to the
bureau, and so do a monitoring or self-evaluation report's reminders and overdue mark; a return (退回) to the department; a closure request to the bureau. An item's
key is derived from its event (originator id, version, audience), so it is the same
after a rebuild; that is why who has read an item and whether it was mailed live in
their own tables (`inbox_reads`, `mail_sent`), which a rebuild keeps.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Column, Connection, Date, DateTime, String, Table, Text, select

from rectify.domain.vocabulary import OWED_REPORT_LABELS
from rectify.projections.batch import chunks, insert_many
from rectify.projections.findings import findings
from rectify.projections.metadata import metadata
from rectify.projections.monitoring import monitoring_periods
from rectify.projections.projector import Handler, Projector

BUREAU = "bureau"
DEPARTMENT = "department"
# Item kinds about a monitoring plan's report (ref DEPARTMENT/YEAR/PERIOD), not a finding.
REPORT_KINDS = frozenset({"monitoring_reminder", "monitoring_overdue"})
BEIJING = ZoneInfo("Asia/Shanghai")

inbox_items = Table(
    "inbox_items",
    metadata,
    Column("key", String(120), primary_key=True),
    Column("audience", String(16), nullable=False),  # bureau | department
    Column("department_code", String(64), nullable=False, index=True),
    Column("unit_code", String(64), nullable=True, index=True),
    Column("ref", String(128), nullable=False),
    Column("title", Text, nullable=False),
    Column("kind", String(32), nullable=False),
    Column("for_date", Date, nullable=True),
    Column("about", Date, nullable=True),
    Column("detail", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Per-user read marks and the mail log: not derived from events, never rebuilt.
inbox_reads = Table(
    "inbox_reads",
    metadata,
    Column("item_key", String(120), primary_key=True),
    Column("user_name", String(128), primary_key=True),
    Column("read_at", DateTime(timezone=True), nullable=False),
)

mail_sent = Table(
    "mail_sent",
    metadata,
    Column("item_key", String(120), primary_key=True),
    Column("sent_at", DateTime(timezone=True), nullable=False),
)


def item_key(event: Any, audience: str) -> str:
    return f"{event.originator_id}:{event.originator_version}:{audience}"


class InboxProjector(Projector):
    name = "inbox"
    tables = (inbox_items,)

    def __init__(self) -> None:
        self._items: list[dict[str, Any]] = []
        self._findings: dict[str, Any] = {}  # finding id -> its ref, title, department, unit

    def handlers(self) -> Mapping[str, Handler]:
        return {
            "rectify/Occurrence.Recorded": self.occurrence,
            "rectify/Finding.Returned": self.finding_event("returned", (DEPARTMENT,)),
            "rectify/Finding.ClosureRequested": self.finding_event("closure_requested", (BUREAU,)),
            "rectify/Monitoring.ReportOverdue": self.report_overdue,
        }

    def begin_batch(self, conn: Connection, events: Sequence[Any]) -> None:
        """Read once the finding rows this batch's Finding events name (the findings
        read model is applied first, so its rows are there)."""
        self._items = []
        wanted = sorted(
            {str(e.originator_id) for e in events if e.TOPIC.startswith("rectify/Finding.")}
        )
        f = findings.c
        self._findings = {}
        for part in chunks(wanted):
            query = select(f.id, f.ref, f.title, f.department_code, f.unit_code)
            for row in conn.execute(query.where(f.id.in_(part))):
                self._findings[row.id] = row

    def end_batch(self, conn: Connection) -> None:
        insert_many(conn, inbox_items, self._items)
        self._items = []
        self._findings = {}

    def _insert(self, event: Any, audiences: tuple[str, ...], **values: Any) -> None:
        self._items.extend(
            {"key": item_key(event, a), "audience": a, "created_at": event.timestamp, **values}
            for a in audiences
        )

    def occurrence(self, conn: Connection, event: Any) -> None:
        self._insert(
            event,
            (DEPARTMENT, BUREAU),
            department_code=event.department_code,
            unit_code=event.unit_code,
            ref=event.ref,
            title=event.title,
            kind=event.kind.value,
            for_date=event.for_date,
            about=event.about,
            detail=None,
        )

    def report_overdue(self, conn: Connection, event: Any) -> None:
        """A monitoring/self-evaluation report owed past its due date: to the department
        and the bureau. The plan's period is read from the monitoring read model, which
        the catalog applies before this one."""
        row = conn.execute(
            select(monitoring_periods).where(
                (monitoring_periods.c.monitoring_id == str(event.originator_id))
                & (monitoring_periods.c.period == event.period)
            )
        ).one()
        self._insert(
            event,
            (DEPARTMENT, BUREAU),
            department_code=row.department_code,
            unit_code=None,
            ref=f"{row.department_code}/{row.fiscal_year}/{row.period}",
            title=OWED_REPORT_LABELS.get(row.kind, row.kind),
            kind="monitoring_overdue",
            for_date=event.on,
            about=row.due,
            detail=None,
        )

    def finding_event(self, kind: str, audiences: tuple[str, ...]) -> Handler:
        def handler(conn: Connection, event: Any) -> None:
            row = self._findings[str(event.originator_id)]
            self._insert(
                event,
                audiences,
                department_code=row.department_code,
                unit_code=row.unit_code,
                ref=row.ref,
                title=row.title,
                kind=kind,
                for_date=event.timestamp.astimezone(BEIJING).date(),
                about=None,
                detail=event.reason,
            )

        return handler
