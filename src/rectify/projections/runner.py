"""The catch-up runner: applies new events to every read model, in batches.

SQLite has no LISTEN/NOTIFY, so the runner polls the event table after its tracked
positions: on start, after each command, on a timer, on demand. Each batch is one
transaction holding the rows written and the new positions together.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Mapper, StoredEvent
from sqlalchemy import Connection, Engine, Table, delete, func, select

from rectify.projections.positions import lock_positions, save_positions
from rectify.projections.projector import Handler, Projector, RawEvent, as_bytes

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
    _index: dict[str, list[tuple[Projector, Handler]]] | None = field(default=None, init=False)

    def head(self, conn: Connection) -> int:
        return int(conn.execute(select(func.coalesce(func.max(self.events.c.id), 0))).scalar_one())

    def catch_up(self, batch_size: int = DEFAULT_BATCH, progress: Progress | None = None) -> int:
        """Apply every event not yet applied; returns how many events were read."""
        done = 0
        while True:
            batch = self._one_batch(batch_size)
            assert batch is not None  # waiting for the lock always gets it
            applied, head = batch
            done += applied
            if progress is not None:
                progress(done, head)
            if applied < batch_size:
                return done

    def try_catch_up(self, batch_size: int = DEFAULT_BATCH) -> int | None:
        """`catch_up`, unless another runner is at work (PostgreSQL): then None at once.

        After a command: the runner at work, or the next reader (every query catches up
        first, waiting), applies this command's events; waiting here only queues
        writers behind one another."""
        done = 0
        while True:
            batch = self._one_batch(batch_size, wait=False)
            if batch is None:
                return None if done == 0 else done
            done += batch[0]
            if batch[0] < batch_size:
                return done

    def rebuild(self, batch_size: int = DEFAULT_BATCH, progress: Progress | None = None) -> int:
        """Drop every rebuildable read model's rows and replay the whole log."""
        names = [p.name for p in self.projectors if p.rebuildable]
        with self.engine.begin() as conn:
            lock_positions(conn, [p.name for p in self.projectors])  # waits: never None
            for projector in self.projectors:
                if projector.rebuildable:
                    # Children before parents, in case tables reference each other.
                    for table in reversed(projector.tables):
                        conn.execute(delete(table))
            save_positions(conn, {name: 0 for name in names})
        return self.catch_up(batch_size, progress)

    def _topic_index(self) -> dict[str, list[tuple[Projector, Handler]]]:
        """Event topic -> the projectors that handle it, with their handlers (built once)."""
        if self._index is None:
            self._index = {}
            for projector in self.projectors:
                for topic, handler in projector.handlers().items():
                    self._index.setdefault(topic, []).append((projector, handler))
        return self._index

    def _apply(self, conn: Connection, rows: Sequence[Any], positions: dict[str, int]) -> None:
        """Decode each event once (only if a projector still behind it handles it: a
        reseal after forgery must not choke on an event no read model needs again),
        then hand each projector its events as one batch."""
        index = self._topic_index()
        work: dict[str, list[tuple[Handler, Any]]] = {p.name: [] for p in self.projectors}
        raws: list[RawEvent] = []
        to_domain = self.mapper.to_domain_event
        for row in rows:
            raw = RawEvent(
                notification_id=int(row.id),
                originator_id=row.originator_id,
                originator_version=int(row.originator_version),
                topic=row.topic,
                state=as_bytes(row.state),
            )
            raws.append(raw)
            behind = [
                (p, h)
                for p, h in index.get(raw.topic, ())
                if raw.notification_id > positions[p.name]
            ]
            if behind:
                event = to_domain(
                    StoredEvent(raw.originator_id, raw.originator_version, raw.topic, raw.state)
                )
                for projector, handler in behind:
                    work[projector.name].append((handler, event))
        for projector in self.projectors:
            mine = work[projector.name]
            projector.begin_batch(conn, [event for _, event in mine])
            if projector.wants_raw:
                after = positions[projector.name]
                for raw in raws:
                    if raw.notification_id > after:
                        projector.apply_raw(conn, raw)
            for handler, event in mine:
                handler(conn, event)
            projector.end_batch(conn)

    def _one_batch(self, batch_size: int, *, wait: bool = True) -> tuple[int, int] | None:
        with self.engine.begin() as conn:
            positions = lock_positions(conn, [p.name for p in self.projectors], wait=wait)
            if positions is None:
                return None  # another runner holds the lock (wait=False only)
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
            moved = {p.name: last for p in self.projectors if positions[p.name] < last}
            save_positions(conn, moved)
            return len(rows), head
