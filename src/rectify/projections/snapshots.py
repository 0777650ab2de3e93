"""Loading an aggregate from its latest snapshot and the events after it.

The snapshots (the eventsourcing library's snapshot store, table rectify_snapshots,
written by `RectifyApp.save` every `SNAPSHOT_INTERVALS` events) are derived from the
log and not sealed: `verify` and `rebuild` never read them. So a snapshot is only a
shortcut, and the loader trusts it no further than the log agrees:
- every event after its version is applied (a logout, a new password, a disabled user
  after the snapshot still count);
- the aggregate's event at the snapshot's version must exist and carry the snapshot's
  `modified_on` (else the log was cut or restored behind it, or the row belongs to
  another store);
- a snapshot that cannot be decoded is not used.
A snapshot not used means a replay from the first event, as without snapshots.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Mapper, StoredEvent
from sqlalchemy import Column, Connection, LargeBinary, MetaData, Table, Text, select

from rectify.domain.mapping import SNAPSHOTS_TABLE
from rectify.projections.event_table import ID_TYPE, EventUuid, events_table, read_aggregate

# The columns of eventsourcing-sqlalchemy's SnapshotRecord, as migration 0017 creates them.
snapshots_table = Table(
    SNAPSHOTS_TABLE,
    MetaData(),
    Column("originator_id", EventUuid(), primary_key=True),
    Column("originator_version", ID_TYPE, primary_key=True),
    Column("topic", Text(), nullable=False),
    Column("state", LargeBinary(), nullable=False),
)


def read_snapshotted(
    conn: Connection, mapper: Mapper[UUID], aggregate_id: UUID
) -> Aggregate | None:
    """The aggregate as `read_aggregate` replays it, starting from its latest usable
    snapshot."""
    snapshots = snapshots_table.c
    latest = conn.execute(
        select(snapshots.originator_version, snapshots.topic, snapshots.state)
        .where(snapshots.originator_id == aggregate_id)
        .order_by(snapshots.originator_version.desc())
        .limit(1)
    ).first()
    if latest is not None:
        version, topic, state = latest
        found = _after_snapshot(
            conn, mapper, StoredEvent(aggregate_id, int(version), topic, bytes(state))
        )
        if isinstance(found, Aggregate):
            return found
    return read_aggregate(conn, mapper, aggregate_id)


def _after_snapshot(conn: Connection, mapper: Mapper[UUID], stored: StoredEvent) -> Any:
    try:
        aggregate: Any = mapper.to_domain_event(stored).mutate(None)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 — any unreadable snapshot: replay instead
        return None
    events = events_table.c
    rows = conn.execute(
        select(events.originator_version, events.topic, events.state)
        .where(events.originator_id == stored.originator_id)
        .where(events.originator_version >= stored.originator_version)
        .order_by(events.originator_version)
    ).all()
    if not rows or int(rows[0][0]) != stored.originator_version:
        return None
    for index, (version, topic, state) in enumerate(rows):
        event: Any = mapper.to_domain_event(
            StoredEvent(stored.originator_id, int(version), topic, bytes(state))
        )
        if index == 0:
            if event.timestamp != aggregate.modified_on:
                return None
            continue
        aggregate = event.mutate(aggregate)  # no Protocol isinstance: see application.replay
    return aggregate
