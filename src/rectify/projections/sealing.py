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

import threading
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing_sqlalchemy.datastore import transactions
from eventsourcing_sqlalchemy.factory import SQLAlchemyFactory
from eventsourcing_sqlalchemy.recorders import SQLAlchemyApplicationRecorder
from sqlalchemy import Connection, Engine, literal_column, select
from sqlalchemy.orm import Session, sessionmaker

from rectify.projections.credentials import read_credential, write_credentials
from rectify.projections.pg_record import insert_one_sealed, select_stream
from rectify.projections.projector import RawEvent
from rectify.projections.seal import GENESIS, Checkpoint, chain, seal_links

# The value for RectifyApp's PERSISTENCE_MODULE (a topic: module:Class).
PERSISTENCE_TOPIC = "rectify.projections.sealing:SealingFactory"


def _head_link(before: Any) -> Any:
    """The last sealed link before `before` (a number or a column), as a scalar subquery."""
    return (
        select(seal_links.c.link)
        .where(seal_links.c.notification_id < before)
        .order_by(seal_links.c.notification_id.desc())
        .limit(1)
        .scalar_subquery()
    )


def head_before(conn: Connection, notification_id: int) -> bytes:
    """The link of the last sealed event before `notification_id` (genesis if none)."""
    link = conn.execute(select(_head_link(notification_id))).scalar_one_or_none()
    return GENESIS if link is None else bytes.fromhex(link)


def seal_events(
    conn: Connection, ids: Sequence[int], events: Sequence[StoredEvent], head: bytes | None = None
) -> Checkpoint | None:
    """Append one link per new event, continuing from the last sealed link (`head`, when
    the caller read it under the table lock); returns the new head."""
    pairs = sorted(zip(ids, events, strict=True), key=lambda pair: pair[0])
    if not pairs:
        return None
    if head is None:
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
    return Checkpoint(int(pairs[-1][0]), head.hex())


def _in_transaction() -> bool:
    """Whether the library has a transaction open in this context (then join it)."""
    try:
        transactions.get()
    except LookupError:
        return False
    return True


class SealingApplicationRecorder(SQLAlchemyApplicationRecorder):
    """Inserts with SQLAlchemy core and seals, all while PostgreSQL's table lock is held
    (it orders notification ids), so that lock is held as briefly as possible: LOCK,
    one INSERT that also returns the head link, one INSERT of the links, COMMIT. The
    library's NOTIFY is not sent: nothing in rectify LISTENs (the runner polls), and a
    NOTIFY takes a server-wide lock at commit that serialises every writer again."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The last link this recorder sealed and committed: checkpoints.save writes it
        # without a query. Per thread until committed (a TUI saves from workers).
        self.last_sealed: Checkpoint | None = None
        self._sealing = threading.local()

    def insert_events(
        self,
        stored_events: Sequence[StoredEvent],
        *,
        session: Session | None = None,
        **kwargs: Any,
    ) -> Sequence[int] | None:
        self._sealing.point = None
        if session is None and self._one_round_trip(stored_events, kwargs):
            point = insert_one_sealed(self._engine(), stored_events[0])
            self.last_sealed = point
            return [point.position]
        ids = super().insert_events(stored_events, session=session, **kwargs)
        if session is None:  # committed by the library's own transaction
            self.last_sealed = self._sealing.point or self.last_sealed
        return ids

    def _engine(self) -> Engine:
        engine = self.datastore.engine
        assert isinstance(engine, Engine)  # share_engine set it
        return engine

    def _one_round_trip(self, stored_events: Sequence[StoredEvent], kwargs: dict[str, Any]) -> bool:
        """PostgreSQL, one event, no credentials, no transaction already open here:
        pg_record's pipelined save (the common command)."""
        if len(stored_events) != 1 or kwargs.get("credentials"):
            return False
        if self._engine().dialect.name != "postgresql":
            return False
        return not _in_transaction()

    def select_events(
        self,
        originator_id: UUID | str,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> list[StoredEvent]:
        """The library's query in SQLAlchemy core (compiled once, no ORM objects): every
        command loads its aggregate this way, so it is a command's largest Python cost."""
        table = self.events_record_cls.__table__  # type: ignore[attr-defined]
        version = table.c.originator_version
        query = select(table.c.originator_version, table.c.topic, table.c.state).where(
            table.c.originator_id == originator_id
        )
        if gt is not None:
            query = query.where(version > gt)
        if lte is not None:
            query = query.where(version <= lte)
        query = query.order_by(version.desc() if desc else version)
        if limit is not None:
            query = query.limit(limit)
        uid = originator_id if isinstance(originator_id, UUID) else UUID(str(originator_id))
        if self._engine().dialect.name == "postgresql" and not _in_transaction():
            return select_stream(self._engine(), uid, gt, lte, desc, limit)
        with self.transaction(commit=False) as session:
            rows = session.connection().execute(query).all()
        return [
            StoredEvent(
                originator_id=uid,
                originator_version=int(row[0]),
                topic=row[1],
                state=bytes(row[2]),
            )
            for row in rows
        ]

    def _insert_stored_events(
        self, session: Session, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int]:
        if not stored_events:
            return []
        conn = session.connection()
        table = self.events_record_cls.__table__  # type: ignore[attr-defined]
        postgres = conn.dialect.name == "postgresql"
        if postgres:
            self._lock_table(session)  # LOCK TABLE ... IN EXCLUSIVE MODE, as the library does
        rows = [
            {
                "originator_id": e.originator_id,
                "originator_version": e.originator_version,
                "topic": e.topic,
                "state": e.state,
            }
            for e in stored_events
        ]
        head: bytes | None = None
        if postgres and len(rows) == 1:
            # The head before the new row, read in the same round trip as the insert.
            # (The new row's id by name: SQLAlchemy cannot correlate into RETURNING.)
            head_link = _head_link(literal_column(f"{table.name}.id"))
            row = conn.execute(table.insert().returning(table.c.id, head_link), rows[0]).one()
            ids = [int(row[0])]
            head = GENESIS if row[1] is None else bytes.fromhex(row[1])
        else:
            ids = [
                int(i)
                for i in conn.execute(
                    table.insert().returning(table.c.id, sort_by_parameter_order=True), rows
                ).scalars()
            ]
        self._sealing.point = seal_events(conn, ids, stored_events, head)
        write_credentials(conn, kwargs.get("credentials") or {})
        return ids

    def credential(self, user_id: UUID) -> str | None:
        """The password hash of a user (None: none stored)."""
        with self.transaction(commit=False) as session:
            return read_credential(session.connection(), self.events_record_cls.__table__, user_id)


class SealingFactory(SQLAlchemyFactory):
    application_recorder_class = SealingApplicationRecorder


def share_engine(app: Any, engine: Engine) -> None:
    """Point the Application's datastore at the store's engine (one pool, one SQLite
    busy timeout). The engine the library made has never connected: nothing to close."""
    datastore = app.recorder.datastore
    own = datastore.engine
    datastore.engine = engine
    datastore.session_maker = sessionmaker(
        bind=engine, autoflush=datastore.session_maker.kw.get("autoflush", True)
    )
    if own is not None and own is not engine:
        own.dispose()
