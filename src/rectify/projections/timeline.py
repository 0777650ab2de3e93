"""Read model: a finding's timeline (整改过程), one row per event of the finding.

Besides the finding's own events, each clock occurrence (reminder, overdue...) is a
row keyed by the occurrence's own id and version 1; it carries the finding's ref, so
the detail query reads a finding's timeline by ref.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from typing import Any
from uuid import UUID

from sqlalchemy import Column, Connection, DateTime, Integer, String, Table, Text, select

from rectify.domain.occurrence import OccurrenceKind
from rectify.domain.vocabulary import EVENT_LABELS, OCCURRENCE_LABELS
from rectify.projections.batch import chunks, insert_many
from rectify.projections.metadata import metadata
from rectify.projections.projector import Handler, Projector

finding_timeline = Table(
    "finding_timeline",
    metadata,
    Column("finding_id", String(36), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("ref", String(128), nullable=False, index=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", Text, nullable=False),
    Column("event", String(64), nullable=False),  # the event's name, e.g. "Issued"
    Column("label", Text, nullable=False),  # 中文：下发、销号…
    Column("reason", Text, nullable=True),
    Column("details", Text, nullable=False),  # JSON object of the event's own fields
)

# Every Finding event is on the timeline, labelled by the vocabulary.
_PREFIX = "rectify/Finding."
FINDING_TOPICS = tuple(topic for topic in EVENT_LABELS if topic.startswith(_PREFIX))
OCCURRENCE_TOPIC = "rectify/Occurrence.Recorded"
# The timeline's event name for a clock occurrence; its label is the kind's.
OCCURRENCE_EVENT = "Occurrence"

# Fields every event has; the rest are the event's own details.
_COMMON = frozenset({"originator_id", "originator_version", "timestamp", "actor", "reason"})
# The Recorded event carries the whole finding; the timeline keeps the essentials.
_RECORDED_DETAILS = ("department_code", "unit_code", "fiscal_year", "title", "amount", "due")


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal | UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list | set | frozenset):
        return [_plain(v) for v in value]
    return value


@lru_cache(maxsize=256)
def _detail_names(cls: type, name: str) -> tuple[str, ...]:
    """An event class's own fields, in declaration order (once per class)."""
    names = [f.name for f in fields(cls)]
    if name == "Recorded":
        names = [n for n in names if n in _RECORDED_DETAILS]
    return tuple(n for n in names if n not in _COMMON)


def event_details(name: str, event: Any) -> dict[str, Any]:
    if is_dataclass(event) and not isinstance(event, type):
        names: Iterable[str] = _detail_names(type(event), name)
    else:
        names = [n for n in vars(event) if n not in _COMMON]
        if name == "Recorded":
            names = [n for n in names if n in _RECORDED_DETAILS]
    return {n: _plain(getattr(event, n)) for n in names}


class TimelineProjector(Projector):
    name = "finding_timeline"
    tables = (finding_timeline,)
    gathers = True

    def __init__(self) -> None:
        self._refs: dict[str, str] = {}  # finding id -> ref, for this batch
        self._rows: list[dict[str, Any]] = []

    def handlers(self) -> Mapping[str, Handler]:
        handlers = {topic: self._handler(topic.removeprefix(_PREFIX)) for topic in FINDING_TOPICS}
        handlers[OCCURRENCE_TOPIC] = self._occurrence
        return handlers

    def _handler(self, name: str) -> Handler:
        def handler(conn: Connection, event: Any) -> None:
            self.apply(name, event)

        return handler

    def begin_batch(self, conn: Connection, events: Sequence[Any]) -> None:
        """Read once the ref of every finding this batch touches but did not record."""
        self._rows = []
        # An occurrence carries its finding's ref and is keyed by its own id: nothing to read.
        findings = [e for e in events if getattr(type(e), "TOPIC", None) != OCCURRENCE_TOPIC]
        self._refs = {
            str(e.originator_id): str(e.ref) for e in findings if e.originator_version == 1
        }
        missing = sorted({str(e.originator_id) for e in findings} - self._refs.keys())
        for part in chunks(missing):
            self._refs.update(
                conn.execute(
                    select(finding_timeline.c.finding_id, finding_timeline.c.ref).where(
                        finding_timeline.c.finding_id.in_(part) & (finding_timeline.c.version == 1)
                    )
                )
                .tuples()
                .all()
            )

    def end_batch(self, conn: Connection) -> None:
        insert_many(conn, finding_timeline, self._rows)
        self._rows = []
        self._refs = {}

    def apply(self, name: str, event: Any) -> None:
        finding_id = str(event.originator_id)
        self._rows.append(
            {
                "finding_id": finding_id,
                "version": event.originator_version,
                "ref": self._refs[finding_id],
                "at": event.timestamp,
                "actor": event.actor,
                "event": name,
                "label": EVENT_LABELS[_PREFIX + name],
                "reason": getattr(event, "reason", None),
                "details": json.dumps(
                    event_details(name, event), ensure_ascii=False, sort_keys=True
                ),
            }
        )

    def _occurrence(self, conn: Connection, event: Any) -> None:
        kind = _plain(event.kind)
        if kind == OccurrenceKind.MONITORING_REMINDER.value:
            return  # about a monitoring plan's report, not a finding
        self._rows.append(
            {
                "finding_id": str(event.originator_id),
                "version": event.originator_version,
                "ref": event.ref,
                "at": event.timestamp,
                "actor": event.actor,
                "event": OCCURRENCE_EVENT,
                "label": OCCURRENCE_LABELS[kind],
                "reason": None,
                "details": json.dumps(
                    {
                        "kind": kind,
                        "for_date": _plain(event.for_date),
                        "about": _plain(event.about),
                    },
                    ensure_ascii=False,
                    sort_keys=True,
                ),
            }
        )
