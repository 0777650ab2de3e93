"""The catch-up runner: applies new events to every read model, in batches.

SQLite has no LISTEN/NOTIFY, so the runner polls the event table after its tracked
positions: on start, after each command, on a timer, on demand. Each batch is one
transaction holding the rows written and the new positions together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Mapper, StoredEvent
from sqlalchemy import Connection, Engine, Table, bindparam, delete, func, select

from rectify.projections import planner_statistics, text_index
from rectify.projections.batch import DriverQuery
from rectify.projections.cycles import no_cycle_collection
from rectify.projections.positions import lock_positions, read_positions, save_positions
from rectify.projections.projector import Handler, Projector, as_bytes


class EventId(UUID):
    """A decoded event's originator id that keeps its text: the projectors key their
    rows by `str(event.originator_id)`, several times per event."""

    __slots__ = ("_text",)
    _text: str

    def __str__(self) -> str:
        try:
            return self._text
        except AttributeError:
            text = UUID.__str__(self)
            object.__setattr__(self, "_text", text)
            return text

    def __repr__(self) -> str:
        return f"UUID({str(self)!r})"


def _uuid(value: Any) -> UUID:
    """An originator id as the driver returns it: a UUID (psycopg) or 16 bytes (SQLite)."""
    return EventId(int=value.int) if isinstance(value, UUID) else EventId(bytes=bytes(value))


# Pages a batch's commit may leave in the WAL before this connection checkpoints them
# (SQLite's default is 1,000: at a million events every batch of a rebuild dirtied more,
# so each commit also copied its pages into the database file and synced it). Measured,
# first catch-up of 1M events (with the cache in store.py): writes 4.4 -> 3.4 GB, wall
# -7 to -11%, CPU unchanged (docs/benchmarks.md, branch `rebuild`).
BATCH_WAL_PAGES = 16384


@contextmanager
def _relaxed_sync(conn: Connection) -> Iterator[None]:
    """On a SQLite store in WAL mode, commit the batch without waiting for the disk,
    and checkpoint less often.

    A WAL database stays consistent at synchronous=NORMAL; only the last commits may
    be lost to a power cut, and a batch holds its rows and its positions together, so
    a lost batch is applied again by the next catch-up (the events themselves are
    recorded by the application at the store's own setting, FULL). Both settings are
    per connection and restored before the connection goes back to the pool."""
    if conn.dialect.name != "sqlite":
        yield
        return
    raw = conn.connection.driver_connection
    assert raw is not None
    wal = raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    if not wal:
        yield
        return
    before = int(raw.execute("PRAGMA synchronous").fetchone()[0])
    pages = int(raw.execute("PRAGMA wal_autocheckpoint").fetchone()[0])
    if before > 1:
        raw.execute("PRAGMA synchronous = NORMAL")
    raw.execute(f"PRAGMA wal_autocheckpoint = {max(pages, BATCH_WAL_PAGES)}")
    try:
        yield
    finally:
        if before > 1:
            raw.execute(f"PRAGMA synchronous = {before}")
        raw.execute(f"PRAGMA wal_autocheckpoint = {pages}")


Progress = Callable[[int, int], None]  # (applied so far, head position)
Work = dict[str, list[tuple[Handler, Any]]]  # projector name -> its (handler, event)s

# Measured (20k-event SQLite rebuild, CPU s): 0.90 / 0.83 / 0.71 / 0.70 at batches of
# 1,000 / 2,000 / 5,000 / 10,000: larger ones stop paying off here, and the
# rows a batch holds in memory stay small.
DEFAULT_BATCH = 5000
# A parallel rebuild's group worker hands SQLite's write lock over once per batch, and
# the other's commit empties its page cache: measured back to back at 1M events, 10,000
# took 61.6 and 44.3 s where 5,000 took 67.2 and 55.9 (largest process ~100 MB, not ~85).
GROUP_BATCH = 10_000
# A worker process costs ~0.5 s to start (importing rectify): below this many events
# one process rebuilds faster (20k events: 0.6 s alone, 1.1 s with two workers).
PARALLEL_FROM = 50_000


@dataclass
class ProjectionRunner:
    engine: Engine
    events: Table
    mapper: Mapper[UUID]
    projectors: Sequence[Projector]
    _index: dict[str, list[tuple[Projector, Handler]]] | None = field(default=None, init=False)
    _batch_query: DriverQuery = field(init=False)
    # Whether this runner has seen the text index with its triggers: a rebuild drops
    # them, and the batch that brings the read models to the head restores them in
    # its transaction, so a store at the head always has them (text_index.py).
    _index_checked: bool = field(default=False, init=False)
    # A parallel rebuild's group worker (parallel_rebuild.py): reads and decodes each
    # batch before taking the write lock, so the other group applies meanwhile, and
    # leaves the text index to the rebuild's last catch-up.
    group_worker: bool = False
    # The store's address as opened (the engine's may be rewritten, e.g. SQLite's
    # `file:…?mode=rw`): a parallel rebuild's workers open the store by it.
    store_url: str = ""

    def __post_init__(self) -> None:
        # Rows come back as the driver's tuples: ids are converted only when used.
        e = self.events.c
        self._batch_query = DriverQuery(
            select(e.id, e.originator_id, e.originator_version, e.topic, e.state)
            .where(e.id > bindparam("after"))
            .order_by(e.id)
            .limit(bindparam("size"))
        )

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

    def rebuild(
        self,
        batch_size: int | None = None,
        progress: Progress | None = None,
        workers: int = 1,
        warn: Callable[[str], None] | None = None,
    ) -> int:
        """Drop every rebuildable read model's rows and replay the whole log; with
        `workers` > 1 and a log of PARALLEL_FROM events or more, each group of
        projectors replays it in a worker process of its own first (one per group,
        whatever the number above 1: parallel_rebuild.py), and this runner then applies
        whatever they left. Batches of `batch_size` events, by default DEFAULT_BATCH in
        this process and GROUP_BATCH in a worker. A worker that fails is reported to
        `warn` (its projectors are replayed here). On PostgreSQL the rebuilt tables are
        analysed at the end (planner_statistics.py)."""
        self._reset()
        if workers > 1 and self.store_url and self.head_now() >= PARALLEL_FROM:
            from rectify.projections.parallel_rebuild import replay_in_groups

            reached = replay_in_groups(self, batch_size or GROUP_BATCH, progress, warn)

            def rest(done: int, head: int) -> None:
                if progress is not None:
                    progress(min(head, reached + done), head)

            self.catch_up(batch_size or DEFAULT_BATCH, rest)  # what a worker left, the text index
            done = self.head_now()
        else:
            done = self.catch_up(batch_size or DEFAULT_BATCH, progress)
        planner_statistics.refresh(
            self.engine, [t for p in self.projectors if p.rebuildable for t in p.tables]
        )
        return done

    def head_now(self) -> int:
        with self.engine.connect() as conn:
            return self.head(conn)

    def _reset(self) -> None:
        names = [p.name for p in self.projectors if p.rebuildable]
        with self.engine.begin() as conn:
            lock_positions(conn, [p.name for p in self.projectors])  # waits: never None
            # One fill at the end instead of a trigger per finding row.
            text_index.suspend(conn)
            self._index_checked = False
            for projector in self.projectors:
                if projector.rebuildable:
                    # Children before parents, in case tables reference each other.
                    for table in reversed(projector.tables):
                        conn.execute(delete(table))
            save_positions(conn, {name: 0 for name in names})

    def _topic_index(self) -> dict[str, list[tuple[Projector, Handler]]]:
        """Event topic -> the projectors that handle it, with their handlers (built once)."""
        if self._index is None:
            self._index = {}
            for projector in self.projectors:
                for topic, handler in projector.handlers().items():
                    self._index.setdefault(topic, []).append((projector, handler))
        return self._index

    def _decode(self, rows: Sequence[Any], positions: dict[str, int]) -> Work:
        """Decode each event once (only if a projector still behind it handles it: a
        reseal after forgery must not choke on an event no read model needs again),
        sorted by projector. `rows` are the driver's (id, originator_id,
        originator_version, topic, state) tuples."""
        index = self._topic_index()
        work: Work = {p.name: [] for p in self.projectors}
        to_domain = self.mapper.to_domain_event
        slowest = min(positions.values(), default=0)
        everyone = {p.name for p in self.projectors if positions[p.name] == slowest}
        for notification_id, originator, version, topic, state in rows:
            handlers = index.get(topic)
            if not handlers:
                continue
            if len(everyone) < len(self.projectors):  # someone is ahead (a new read model)
                handlers = [(p, h) for p, h in handlers if notification_id > positions[p.name]]
                if not handlers:
                    continue
            event = to_domain(StoredEvent(_uuid(originator), version, topic, as_bytes(state)))
            for projector, handler in handlers:
                work[projector.name].append((handler, event))
        return work

    def _gather(self, conn: Connection, projector: Projector, work: Work) -> None:
        """A projector's batch up to its writes: what it reads, then its handlers."""
        mine = work[projector.name]
        projector.begin_batch(conn, [event for _, event in mine])
        for handler, event in mine:
            handler(conn, event)

    def _apply(self, conn: Connection, work: Work, gathered: frozenset[str]) -> None:
        """Hand each projector its decoded events as one batch (`gathered`: the
        projectors whose batch ran before the lock, which only write theirs)."""
        for projector in self.projectors:
            if projector.name not in gathered:
                self._gather(conn, projector, work)
            projector.end_batch(conn)

    def _read_early(
        self, conn: Connection, names: list[str], batch_size: int
    ) -> tuple[dict[str, int], Sequence[Any], Work, frozenset[str]]:
        """The next batch read, decoded and gathered before the write lock: SQLite runs
        these SELECTs outside any transaction, PostgreSQL takes no lock for them. Used
        only if the positions are still these once locked: then no other runner has
        written these projectors' tables since (a batch moves them together), so what
        the gathering projectors read is still so, and only their writes are left."""
        stored = read_positions(conn)
        seen = {name: stored.get(name, 0) for name in names}
        rows = self._batch_query.rows(conn, after=min(seen.values(), default=0), size=batch_size)
        work = self._decode(rows, seen)
        gathered = [p for p in self.projectors if p.gathers] if rows else []
        for projector in gathered:
            self._gather(conn, projector, work)
        return seen, rows, work, frozenset(p.name for p in gathered)

    def _one_batch(self, batch_size: int, *, wait: bool = True) -> tuple[int, int] | None:
        with (
            no_cycle_collection(),
            self.engine.connect() as conn,
            _relaxed_sync(conn),
            conn.begin(),
        ):
            names = [p.name for p in self.projectors]
            early = self._read_early(conn, names, batch_size) if self.group_worker else None
            positions = lock_positions(conn, names, wait=wait)
            if positions is None:
                return None  # another runner holds the lock (wait=False only)
            start = min(positions.values(), default=0)
            head = self.head(conn)
            gathered: frozenset[str] = frozenset()
            if early is not None and early[0] == positions:
                _, rows, work, gathered = early
            else:  # nothing read early, or another runner moved these positions since
                rows = self._batch_query.rows(conn, after=start, size=batch_size)
                work = self._decode(rows, positions)
            if rows:
                self._apply(conn, work, gathered)
                last = int(rows[-1][0])
                save_positions(
                    conn, {p.name: last for p in self.projectors if positions[p.name] < last}
                )
            at_head = not rows or int(rows[-1][0]) >= head
            if at_head and not self._index_checked and not self.group_worker:
                text_index.restore(conn)
        # Only once committed: a failed commit leaves the positions behind, checked again.
        self._index_checked = self._index_checked or at_head
        return len(rows), head
