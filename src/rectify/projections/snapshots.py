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
from sqlalchemy import (
    Column,
    Connection,
    LargeBinary,
    MetaData,
    Table,
    Text,
    func,
    literal,
    select,
    union_all,
)

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
    snapshot: the snapshot and the events from its version on in one statement (one
    round trip on PostgreSQL); a second read only when the snapshot is not used."""
    snapshots, events = snapshots_table.c, events_table.c
    latest = (
        select(func.max(snapshots.originator_version))
        .where(snapshots.originator_id == aggregate_id)
        .scalar_subquery()
    )
    rows = conn.execute(
        union_all(
            select(
                literal(0).label("part"),
                snapshots.originator_version,
                snapshots.topic,
                snapshots.state,
            ).where(
                snapshots.originator_id == aggregate_id, snapshots.originator_version == latest
            ),
            select(literal(1), events.originator_version, events.topic, events.state).where(
                events.originator_id == aggregate_id,
                events.originator_version >= func.coalesce(latest, 0),
            ),
        ).order_by("part", "originator_version")
    ).all()
    stored = [StoredEvent(aggregate_id, int(v), topic, bytes(state)) for _, v, topic, state in rows]
    if rows and rows[0][0] == 0:
        found = _after_snapshot(mapper, stored[0], stored[1:])
        if isinstance(found, Aggregate):
            return found
        return read_aggregate(conn, mapper, aggregate_id)
    aggregate: Any = None  # no snapshot: these are all its events
    for item in stored:
        aggregate = mapper.to_domain_event(item).mutate(aggregate)  # type: ignore[attr-defined]
    return aggregate if isinstance(aggregate, Aggregate) else None


def _after_snapshot(mapper: Mapper[UUID], snapshot: StoredEvent, events: list[StoredEvent]) -> Any:
    try:
        aggregate: Any = mapper.to_domain_event(snapshot).mutate(None)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 — any unreadable snapshot: replay instead
        return None
    if not events or events[0].originator_version != snapshot.originator_version:
        return None
    first: Any = mapper.to_domain_event(events[0])
    if first.timestamp != aggregate.modified_on:
        return None
    for item in events[1:]:
        event: Any = mapper.to_domain_event(item)
        aggregate = event.mutate(aggregate)  # no Protocol isinstance: see application.replay
    return aggregate
