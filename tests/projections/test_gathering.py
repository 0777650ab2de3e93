"""The gathering projectors (`Projector.gathers`): a parallel rebuild's group worker
runs their batch, all but `end_batch`, before it takes the write lock. So what they
run then must only read, and only their own tables; and batches gathered before the
lock must write what batches applied under it write, on both backends."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import event

from rectify.bootstrap import House
from rectify.projections import runner as runner_module
from rectify.projections.catalog import all_projectors
from rectify.projections.metadata import metadata
from rectify.projections.positions import lock_positions, projection_positions
from rectify.projections.projector import Projector
from rectify.projections.runner import ProjectionRunner
from tests.projections.test_store import snapshot

GATHERING = sorted(p.name for p in all_projectors() if p.gathers)


def test_the_gathering_projectors_are_the_bulk_ones() -> None:
    # Those whose handlers write at once, or read another read model, stay under the lock.
    bulk = {"budgets", "deadline_watch", "departments", "evaluations", "figures"}
    assert set(GATHERING) == bulk | {"finding_timeline", "findings"}


def _names(statement: str) -> set[str]:
    words = set(re.findall(r"[a-z_]+", statement.lower()))
    return {t for t in metadata.tables if t in words}


def _back_to_the_start(house: House) -> ProjectionRunner:
    """Every read model emptied and at position 0, and a group worker of them all."""
    store = house.store
    projectors = all_projectors()
    with store.engine.begin() as conn:
        for p in projectors:
            for table in reversed(p.tables):
                conn.execute(table.delete())
        conn.execute(projection_positions.update().values(position=0))
    worker = ProjectionRunner(store.engine, store.events, store.mapper, projectors)
    worker.group_worker = True
    return worker


def test_before_the_lock_a_gathering_projector_only_reads_its_own_tables(
    province: House, monkeypatch: pytest.MonkeyPatch
) -> None:
    caught_up = snapshot(province)
    worker = _back_to_the_start(province)
    current = ["runner"]  # whose statements these are: the runner's, or a projector's
    seen: dict[str, list[str]] = {}
    locked = [False]

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not locked[0]:
            seen.setdefault(current[0], []).append(statement)

    def watch(projector: Projector) -> None:
        begin = projector.begin_batch

        def begin_batch(conn: Any, events: Any) -> None:
            current[0] = projector.name
            begin(conn, events)

        monkeypatch.setattr(projector, "begin_batch", begin_batch)

    for projector in worker.projectors:
        watch(projector)
    real_early = worker._read_early

    def early(*args: Any, **kwargs: Any) -> Any:
        locked[0], current[0] = False, "runner"
        return real_early(*args, **kwargs)

    def lock(conn: Any, names: list[str], *, wait: bool = True) -> Any:
        locked[0], current[0] = True, "runner"
        return lock_positions(conn, names, wait=wait)

    monkeypatch.setattr(worker, "_read_early", early)
    monkeypatch.setattr(runner_module, "lock_positions", lock)
    event.listen(province.store.engine, "before_cursor_execute", record)
    try:
        worker.catch_up(batch_size=300)
    finally:
        event.remove(province.store.engine, "before_cursor_execute", record)

    assert set(seen) == {"runner", *GATHERING}  # every gathering projector ran early
    owned = {p.name: {t.name for t in p.tables} for p in worker.projectors}
    for name in GATHERING:
        for statement in seen[name]:
            assert statement.lstrip().upper().startswith("SELECT"), (name, statement)
            assert _names(statement) <= owned[name], (name, statement)
    for statement in seen["runner"]:  # the positions and the log
        assert statement.lstrip().upper().startswith("SELECT"), statement
    assert snapshot(province) == caught_up
