"""Read model: what the clock watches — one row per finding, indexed by when to look next.

`next_on` is the earliest day something may fall due for the finding; the scan reads
only rows with `next_on <= today` (an index range), so its cost follows what is due,
not how many findings are open. Any change to the finding or to the policy sets
`next_on` back to the issue day, so the next scan re-plans that row; the scan then
records only what falls after the row's cursor (`deadline_cursor.watched_until`, the
last day a scan covered). The scan writes `next_on` guarded by the row's version, so a
scan that read an older row never overwrites a newer change. The cursor lives in its
own table, which `rebuild` keeps: replanning after a rebuild must not record, under
today's policy, days that earlier scans already covered under an older one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Column, Connection, Date, Integer, String, Table, Text, update

from rectify.projections.batch import RowCache
from rectify.projections.metadata import metadata
from rectify.projections.projector import Handler, Projector

deadline_watch = Table(
    "deadline_watch",
    metadata,
    Column("finding_id", String(36), primary_key=True),
    Column("ref", String(128), nullable=False, unique=True),
    Column("department_code", String(64), nullable=False),
    Column("unit_code", String(64), nullable=True),
    Column("title", Text, nullable=False),
    Column("status", String(32), nullable=False),
    Column("rectification_class", String(32), nullable=True),
    Column("issued_on", Date, nullable=True),
    Column("due", Date, nullable=True),
    Column("re_review_on", Date, nullable=True),
    Column("report_dates", Text, nullable=False, server_default=""),  # ISO dates, comma-separated
    Column("version", Integer, nullable=False),
    Column("next_on", Date, nullable=True, index=True),
)

# Written by the scan only; not derived from events, so never rebuilt.
deadline_cursor = Table(
    "deadline_cursor",
    metadata,
    Column("finding_id", String(36), primary_key=True),
    Column("watched_until", Date, nullable=False),
)

_ENDED = frozenset({"closed", "withdrawn"})
_OPEN = ("issued", "returned", "long_term")


def dates_text(days: list[date]) -> str:
    return ",".join(d.isoformat() for d in days)


def parse_dates(text: str | None) -> tuple[date, ...]:
    return tuple(date.fromisoformat(t) for t in (text or "").split(",") if t)


class DeadlineWatchProjector(Projector):
    """Rows change in memory during a batch (projections/batch.py) and are written once."""

    name = "deadline_watch"
    tables = (deadline_watch,)
    gathers = True

    def __init__(self) -> None:
        self._rows = RowCache(deadline_watch, "finding_id")
        self._replan = False  # a policy change in this batch: re-plan the written rows

    def handlers(self) -> Mapping[str, Handler]:
        status = self._status
        return {
            "rectify/Finding.Recorded": self.recorded,
            "rectify/Finding.Issued": self.issued,
            "rectify/Finding.ProgressReported": self.progress,
            "rectify/Finding.ClosureRequested": status("closure_requested"),
            "rectify/Finding.Closed": status("closed"),
            "rectify/Finding.Returned": status("returned"),
            "rectify/Finding.Reopened": status("issued"),
            "rectify/Finding.Withdrawn": status("withdrawn"),
            "rectify/Finding.DeadlineExtended": self.extended,
            "rectify/Finding.AcceptedAsLongTerm": self.long_term,
            "rectify/Policy.Adopted": self.policy_changed,
            "rectify/Policy.Changed": self.policy_changed,
        }

    def begin_batch(self, conn: Connection, events: Sequence[Any]) -> None:
        self._rows.begin()
        self._rows.load(conn, {str(e.originator_id) for e in events})
        self._replan = False

    def end_batch(self, conn: Connection) -> None:
        if self._replan:  # the rows already written, in SQL; the batch's own overwrite them
            row = deadline_watch.c
            conn.execute(
                update(deadline_watch).where(row.status.in_(_OPEN)).values(next_on=row.issued_on)
            )
            self._replan = False
        self._rows.flush(conn)

    def recorded(self, conn: Connection, event: Any) -> None:
        cls = event.rectification_class
        self._rows.add(
            {
                "finding_id": str(event.originator_id),
                "ref": event.ref,
                "department_code": event.department_code,
                "unit_code": event.unit_code,
                "title": event.title,
                "status": "recorded",
                "rectification_class": cls.value if cls else None,
                "issued_on": None,
                "due": event.due,
                "re_review_on": None,
                "report_dates": "",
                "version": event.originator_version,
                "next_on": None,
            }
        )

    def _touch(self, event: Any, **values: Any) -> None:
        """Apply a change and mark the row for re-planning (or for nothing, once ended)."""
        row = self._rows.get(str(event.originator_id))
        row.update(version=event.originator_version, **values)
        row["next_on"] = None if values.get("status") in _ENDED else row["issued_on"]

    def _status(self, status: str) -> Handler:
        def handler(conn: Connection, event: Any) -> None:
            self._touch(event, status=status)

        return handler

    def issued(self, conn: Connection, event: Any) -> None:
        self._touch(
            event,
            status="issued",
            rectification_class=event.rectification_class.value,
            issued_on=event.issued_on,
            due=event.due,
            re_review_on=event.re_review_on,
        )

    def progress(self, conn: Connection, event: Any) -> None:
        row = self._rows.get(str(event.originator_id))
        days = sorted({*parse_dates(row["report_dates"]), event.as_of})
        self._touch(event, report_dates=dates_text(days))

    def extended(self, conn: Connection, event: Any) -> None:
        self._touch(event, due=event.new_due)

    def long_term(self, conn: Connection, event: Any) -> None:
        self._touch(
            event,
            status="long_term",
            rectification_class="long_term",
            re_review_on=event.re_review_on,
        )

    def policy_changed(self, conn: Connection, event: Any) -> None:
        """Re-plan every open finding: the rows already written, in SQL at the end of
        the batch; the rows this batch holds, in memory (its flush writes them over the
        SQL's, so a row the batch changes later is as the batch leaves it)."""
        self._replan = True
        for cached in self._rows.rows():
            if cached["status"] in _OPEN:
                cached["next_on"] = cached["issued_on"]
