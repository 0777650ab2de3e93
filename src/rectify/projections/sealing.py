"""Sealing inside the transaction that records the events.

The eventsourcing recorder is subclassed so that, after it has inserted a command's
events (and, on PostgreSQL, locked the event table, which serialises writers and so
notification ids), the same transaction extends the hash chain with one seal link per
new event. Events and links commit together or not at all, so every event rectify
records has a link: an event without one was written around rectify, and `verify`
reports it as tampering instead of "not yet sealed".

The same hook writes password hashes to the credentials table (`save_all(...,
credentials=...)`): the event that says a password was set and the hash it set commit
together, so a crash cannot leave a user whose password event has no credential.

Chosen over "verify treats any gap as tampering" with a sealing catch-up because a
catch-up seals whatever it finds — including a row an insider slipped into the table
a moment before (see docs/SECURITY.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing_sqlalchemy.factory import SQLAlchemyFactory
from eventsourcing_sqlalchemy.recorders import SQLAlchemyApplicationRecorder
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from rectify.projections.credentials import read_credential, write_credentials
from rectify.projections.projector import RawEvent
from rectify.projections.seal import GENESIS, chain, seal_links

# The value for RectifyApp's PERSISTENCE_MODULE (a topic: module:Class).
PERSISTENCE_TOPIC = "rectify.projections.sealing:SealingFactory"


def head_before(conn: Connection, notification_id: int) -> bytes:
    """The link of the last sealed event before `notification_id` (genesis if none)."""
    link = conn.execute(
        select(seal_links.c.link)
        .where(seal_links.c.notification_id < notification_id)
        .order_by(seal_links.c.notification_id.desc())
        .limit(1)
    ).scalar_one_or_none()
    return GENESIS if link is None else bytes.fromhex(link)


def seal_events(conn: Connection, ids: Sequence[int], events: Sequence[StoredEvent]) -> None:
    """Append one link per new event, continuing from the last sealed link."""
    pairs = sorted(zip(ids, events, strict=True), key=lambda pair: pair[0])
    if not pairs:
        return
    head = head_before(conn, pairs[0][0])
    rows = []
    for notification_id, event in pairs:
        originator = event.originator_id
        raw = RawEvent(
            notification_id=int(notification_id),
            originator_id=originator if isinstance(originator, UUID) else UUID(str(originator)),
            originator_version=int(event.originator_version),
            topic=event.topic,
            state=bytes(event.state),
        )
        head = chain(head, raw)
        rows.append({"notification_id": raw.notification_id, "link": head.hex()})
    conn.execute(seal_links.insert(), rows)


class SealingApplicationRecorder(SQLAlchemyApplicationRecorder):
    def _insert_stored_events(
        self, session: Session, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int]:
        ids = super()._insert_stored_events(session, stored_events, **kwargs)
        seal_events(session.connection(), ids, stored_events)
        write_credentials(session.connection(), kwargs.get("credentials") or {})
        return ids

    def credential(self, user_id: UUID) -> str | None:
        """The password hash of a user (None: none stored)."""
        with self.transaction(commit=False) as session:
            return read_credential(session.connection(), self.events_record_cls.__table__, user_id)


class SealingFactory(SQLAlchemyFactory):
    application_recorder_class = SealingApplicationRecorder
