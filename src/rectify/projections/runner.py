"""The catch-up runner: applies new events to every read model, in batches.

SQLite has no LISTEN/NOTIFY, so the runner polls the event table after its tracked
positions: on start, after each command, on a timer, on demand. Each batch is one
transaction holding the rows written and the new positions together.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from uuid import UUID

from eventsourcing.persistence import Mapper, StoredEvent
from sqlalchemy import Connection, Engine, Table, delete, func, select

from rectify.projections.positions import lock_positions, save_positions
from rectify.projections.projector import Projector, RawEvent, as_bytes

Progress = Callable[[int, int], None]  # (applied so far, head position)

DEFAULT_BATCH = 500


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
            handlers = [(p, p.handlers()) for p in self.projectors]
            for projector in self.projectors:
                projector.begin_batch(conn)
            for row in rows:
                raw = RawEvent(
                    notification_id=int(row.id),
                    originator_id=row.originator_id,
                    originator_version=int(row.originator_version),
                    topic=row.topic,
                    state=as_bytes(row.state),
                )
                event = None
                for projector, table in handlers:
                    if raw.notification_id <= positions[projector.name]:
                        continue
                    if projector.wants_raw:
                        projector.apply_raw(conn, raw)
                    handler = table.get(raw.topic)
                    if handler is not None:
                        if event is None:
                            event = self.mapper.to_domain_event(
                                StoredEvent(
                                    originator_id=raw.originator_id,
                                    originator_version=raw.originator_version,
                                    topic=raw.topic,
                                    state=raw.state,
                                )
                            )
                        handler(conn, event)
            last = int(rows[-1].id)
            save_positions(conn, {p.name: max(positions[p.name], last) for p in self.projectors})
            return len(rows), head
