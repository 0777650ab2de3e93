"""The catch-up runner: applies new events to every read model, in batches.

SQLite has no LISTEN/NOTIFY, so the runner polls the event table after its tracked
positions: on start, after each command, on a timer, on demand. Each batch is one
transaction holding the rows written and the new positions together.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Mapper, StoredEvent
from sqlalchemy import Connection, Engine, Table, delete, func, select

from rectify.projections.positions import lock_positions, save_positions
from rectify.projections.projector import Projector, RawEvent, as_bytes

Progress = Callable[[int, int], None]  # (applied so far, head position)

# Measured with bench/run.py: larger batches stop paying off around here, and the
# rows a batch holds in memory stay small.
DEFAULT_BATCH = 2000


@dataclass
class ProjectionRunner:
    engine: Engine
    events: Table
    mapper: Mapper[UUID]
    projectors: Sequence[Projector]

    def head(self, conn: Connection) -> int:
        return int(conn.execute(select(func.coalesce(func.max(self.events.c.id), 0))).scalar_one())

    def catch_up(self, batch_size: int = DEFAULT_BATCH, progress: Progress | None = None) -> int:
        """Apply every event not yet applied; returns how many events were read."""
        done = 0
        while True:
            applied, head = self._one_batch(batch_size)
            done += applied
            if progress is not None:
                progress(done, head)
            if applied < batch_size:
                return done

    def rebuild(self, batch_size: int = DEFAULT_BATCH, progress: Progress | None = None) -> int:
        """Drop every rebuildable read model's rows and replay the whole log."""
        names = [p.name for p in self.projectors if p.rebuildable]
        with self.engine.begin() as conn:
            lock_positions(conn, [p.name for p in self.projectors])
            for projector in self.projectors:
                if projector.rebuildable:
                    # Children before parents, in case tables reference each other.
                    for table in reversed(projector.tables):
                        conn.execute(delete(table))
            save_positions(conn, {name: 0 for name in names})
        return self.catch_up(batch_size, progress)

    def _apply(self, conn: Connection, rows: Sequence[Any], positions: dict[str, int]) -> None:
        """Decode each event once, then hand each projector its events in one batch."""
        tables = {p.name: p.handlers() for p in self.projectors}
        # Only what a projector still behind it will read is decoded (a reseal after
        # forgery must not choke on an event no read model needs again).
        wanted = [(positions[name], table.keys()) for name, table in tables.items() if table]
        decoded: list[tuple[RawEvent, Any]] = []
        for row in rows:
            raw = RawEvent(
                notification_id=int(row.id),
                originator_id=row.originator_id,
                originator_version=int(row.originator_version),
                topic=row.topic,
                state=as_bytes(row.state),
            )
            event = None
            if any(raw.notification_id > after and raw.topic in topics for after, topics in wanted):
                event = self.mapper.to_domain_event(
                    StoredEvent(
                        originator_id=raw.originator_id,
                        originator_version=raw.originator_version,
                        topic=raw.topic,
                        state=raw.state,
                    )
                )
            decoded.append((raw, event))
        for projector in self.projectors:
            after = positions[projector.name]
            table = tables[projector.name]
            mine = [(raw, event) for raw, event in decoded if raw.notification_id > after]
            projector.begin_batch(conn, [e for raw, e in mine if raw.topic in table])
            for raw, event in mine:
                if projector.wants_raw:
                    projector.apply_raw(conn, raw)
                handler = table.get(raw.topic)
                if handler is not None:
                    handler(conn, event)
            projector.end_batch(conn)

    def _one_batch(self, batch_size: int) -> tuple[int, int]:
        with self.engine.begin() as conn:
            positions = lock_positions(conn, [p.name for p in self.projectors])
            start = min(positions.values(), default=0)
            head = self.head(conn)
            rows = conn.execute(
                select(
                    self.events.c.id,
                    self.events.c.originator_id,
                    self.events.c.originator_version,
                    self.events.c.topic,
                    self.events.c.state,
                )
                .where(self.events.c.id > start)
                .order_by(self.events.c.id)
                .limit(batch_size)
            ).all()
            if not rows:
                return 0, head
            self._apply(conn, rows, positions)
            last = int(rows[-1].id)
            save_positions(conn, {p.name: max(positions[p.name], last) for p in self.projectors})
            return len(rows), head
