"""A long catch-up reads and decodes its next batch while the current one commits.

A batch's commit (SQLite writing its WAL pages, PostgreSQL's round trip) releases the
GIL for its whole length: it runs in a thread while this thread reads the next batch
on a second connection and decodes it. Only for catch-ups with at least one more full
batch to go (a rebuild, a store far behind): a catch-up after a command never starts
the thread.

The batch read ahead is used only if, under the positions lock, the positions are
exactly those it was read for (so it starts where they say, and every projector is
where the decode assumed) and it is full; otherwise, or if the commit failed, it is
thrown away and the batch read again on the locked connection. The event table is
append-only and its ids commit in order (SQLite has one writer; eventsourcing's
PostgreSQL recorder locks the table to insert), so the full batch after a position
holds the same rows on any connection.

Why not a reader thread beside the batch: SQLite's executemany releases the GIL for
each row's step, and a thread busy decoding then holds it for the switch interval
(5 ms) each time; measured, that design cost more CPU and wall than it saved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import Connection, Engine, RootTransaction

Positions = dict[str, int]
Read = Callable[[Connection, int, int], Sequence[Any]]  # (conn, after, size) -> rows
Decode = Callable[[Sequence[Any], Positions], Any]  # (rows, positions) -> decoded work
Prefetched = tuple[Sequence[Any], Any]  # (rows, decoded work)


def can_prefetch(conn: Connection) -> bool:
    """A second connection reads beside a committing batch: PostgreSQL, or SQLite in
    WAL mode (with a rollback journal the read would wait for the commit)."""
    if conn.dialect.name == "postgresql":
        return True
    raw = conn.connection.driver_connection
    assert raw is not None
    return bool(raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal")


class Prefetcher:
    """A committing thread and a reading connection, for the length of one catch-up."""

    def __init__(self, engine: Engine, read: Read, decode: Decode) -> None:
        self._engine = engine
        self._read = read
        self._decode = decode
        self._pool: ThreadPoolExecutor | None = None
        self._conn: Connection | None = None
        self._ready: tuple[Positions, int, Prefetched] | None = None
        self.usable: bool | None = None  # decided on the first batch that could use it

    def commit_and_read(
        self, transaction: RootTransaction, after: int, positions: Positions, size: int
    ) -> None:
        """Commit in the thread; meanwhile read the `size` events after `after` and
        decode them for `positions` (the ones this commit leaves). The commit's error
        is raised here, and then nothing read is kept."""
        self._ready = None
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rectify-commit")
        committing = self._pool.submit(transaction.commit)
        ready: Prefetched | None = None
        try:
            ready = self._fetch(after, positions, size)
        except Exception:  # noqa: BLE001 - the locked read repeats it and raises what it raises
            ready = None
        finally:
            committing.result()
        if ready is not None:
            self._ready = (dict(positions), size, ready)

    def take(self, positions: Positions, size: int) -> Prefetched | None:
        """The batch read for exactly these positions, or None (then read it again)."""
        ready, self._ready = self._ready, None
        if ready is None:
            return None
        wanted, wanted_size, (rows, work) = ready
        if wanted != positions or wanted_size != size or len(rows) != size:
            return None
        return rows, work

    def close(self) -> None:
        self._ready = None
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _fetch(self, after: int, positions: Positions, size: int) -> Prefetched:
        if self._conn is None:
            self._conn = self._engine.connect()
        try:
            rows = self._read(self._conn, after, size)
        finally:
            # End the read transaction at once: an open one would hold back SQLite's
            # checkpoints and PostgreSQL's vacuum for the length of the catch-up.
            self._conn.rollback()
        return rows, self._decode(rows, positions)
