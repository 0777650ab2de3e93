"""The next batch read ahead in a thread (projections/prefetch.py), on a SQLite file and
on PostgreSQL: what it reads is used only where the locked positions say it belongs."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from sqlalchemy import delete, text, update

from rectify.bootstrap import House
from rectify.projections.positions import RUNNER_LOCK_KEY, projection_positions
from rectify.projections.prefetch import Prefetcher
from rectify.projections.runner import ProjectionRunner
from rectify.projections.store import open_store
from tests.conftest import _open_test_house
from tests.projections.test_store import record_sample, snapshot

EVENTS = 9  # record_sample(house, 8): a department and eight findings


def _spy(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Count the prefetched batches used and those thrown away (the real methods run)."""
    seen = {"requested": 0, "used": 0, "discarded": 0}
    request, take = Prefetcher.commit_and_read, Prefetcher.take

    def counting_request(self: Prefetcher, *args: Any) -> None:
        seen["requested"] += 1
        request(self, *args)

    def counting_take(self: Prefetcher, *args: Any) -> Any:
        pending = self._ready is not None
        got = take(self, *args)
        if pending:
            seen["used" if got is not None else "discarded"] += 1
        return got

    monkeypatch.setattr(Prefetcher, "commit_and_read", counting_request)
    monkeypatch.setattr(Prefetcher, "take", counting_take)
    return seen


def _prefetch_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("rectify-commit")]


def _positions(house: House) -> dict[str, int]:
    with house.store.engine.connect() as conn:
        rows = conn.execute(text("select name, position from projection_positions"))
        return {name: int(at) for name, at in rows.tuples()}


def test_long_catch_up_uses_prefetched_batches_and_equals_serial(
    house: House, bureau: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_sample(house, 8)
    runner = house.store.runner
    runner.pipelined = False
    runner.catch_up(batch_size=2)
    serial = snapshot(house)
    seen = _spy(monkeypatch)
    runner.pipelined = True
    assert runner.rebuild(batch_size=2) == EVENTS
    assert snapshot(house) == serial
    assert seen["used"] >= 2  # batches 2, 3 and 4 of 5 come from the thread
    assert not _prefetch_threads()


def test_a_short_catch_up_starts_no_thread(
    house: House, bureau: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_sample(house, 2)
    seen = _spy(monkeypatch)
    assert house.store.catch_up() == 3
    assert seen["requested"] == 0
    assert not _prefetch_threads()


def test_a_failed_batch_discards_what_was_read_ahead(
    house: House, bureau: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_sample(house, 8)
    runner = house.store.runner
    runner.catch_up(batch_size=2)
    expected = snapshot(house)
    seen = _spy(monkeypatch)
    victim = next(p for p in runner.projectors if p.name == "findings")
    end_batch, calls = victim.end_batch, []

    def failing_second(conn: Any) -> None:
        calls.append(1)
        if len(calls) == 2:  # batch 2 of 5: its next batch is being read meanwhile
            raise RuntimeError("injected")
        end_batch(conn)

    monkeypatch.setattr(victim, "end_batch", failing_second)
    with pytest.raises(RuntimeError, match="injected"):
        runner.rebuild(batch_size=2)
    assert min(_positions(house).values()) == 2  # batch 2 rolled back with its rows
    assert seen["requested"] == 1  # batch 1 committed while batch 2 was read
    assert not _prefetch_threads()
    monkeypatch.setattr(victim, "end_batch", end_batch)
    assert runner.catch_up(batch_size=2) == EVENTS - 2
    assert snapshot(house) == expected


def test_positions_moved_by_another_runner_discard_the_prefetch(
    house: House, bureau: object, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_sample(house, 8)
    runner = house.store.runner
    seen = _spy(monkeypatch)
    other = open_store(db_url)
    try:
        with runner._prefetcher() as prefetch:
            assert runner._one_batch(2, prefetch=prefetch) == (2, EVENTS)
            assert seen["requested"] == 1  # events 3 and 4, read for positions at 2
            assert other.runner.catch_up() == EVENTS - 2
            # The positions now say 9: nothing read ahead is applied again.
            assert runner._one_batch(2, prefetch=prefetch) == (0, EVENTS)
        assert seen == {"requested": 1, "used": 0, "discarded": 1}
    finally:
        other.close()
    expected = snapshot(house)
    runner.rebuild(batch_size=EVENTS)
    assert snapshot(house) == expected


def test_projectors_at_different_positions(
    house: House, bureau: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read model behind the others (new, or emptied): the thread decodes only what
    the ones behind need, as the serial batch does."""
    record_sample(house, 8)
    runner = house.store.runner
    runner.catch_up()
    expected = snapshot(house)
    behind = next(p for p in runner.projectors if p.name == "findings")
    with house.store.engine.begin() as conn:
        for table in reversed(behind.tables):
            conn.execute(delete(table))
        conn.execute(
            update(projection_positions)
            .where(projection_positions.c.name == behind.name)
            .values(position=0)
        )
    seen = _spy(monkeypatch)
    assert runner.catch_up(batch_size=2) == EVENTS
    assert snapshot(house) == expected
    assert seen["used"] >= 2
    assert set(_positions(house).values()) == {EVENTS}


def test_try_catch_up_while_another_runner_holds_the_lock(
    pg_url: str, tmp_path: Any, bureau: object
) -> None:
    with _open_test_house(pg_url, tmp_path) as house:
        record_sample(house, 8)
        with house.store.engine.connect() as holder, holder.begin():
            holder.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": RUNNER_LOCK_KEY})
            assert house.store.runner.try_catch_up(batch_size=2) is None
            assert not _prefetch_threads()
        assert house.store.runner.try_catch_up(batch_size=2) == EVENTS


def test_sqlite_catch_up_waits_for_the_lock_then_completes(
    sqlite_house: House, bureau: object
) -> None:
    record_sample(sqlite_house, 8)
    runner: ProjectionRunner = sqlite_house.store.runner
    holder = sqlite_house.store.engine.raw_connection()
    try:
        raw = holder.driver_connection
        assert raw is not None
        raw.execute("BEGIN IMMEDIATE")  # another writer: the runner's lock waits
        releaser = threading.Timer(0.3, raw.rollback)
        releaser.start()
        started = time.monotonic()
        assert runner.catch_up(batch_size=2) == EVENTS
        assert time.monotonic() - started >= 0.25
        releaser.join()
    finally:
        holder.close()
    assert set(_positions(sqlite_house).values()) == {EVENTS}
    assert not _prefetch_threads()
