"""A rebuild in worker processes, one per projector group (parallel_rebuild.py), on
both backends: it yields the rows one process yields; the groups cover every
projector once; runners of disjoint groups hold their locks at once (PostgreSQL); a
group worker's batch read before the lock is dropped when another runner moved its
positions meanwhile; a worker that fails leaves its projectors to the rebuild itself,
which says why it stopped;
a rebuild killed with SIGKILL stops its workers, and the next catch-up completes."""

from __future__ import annotations

import io
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from rectify.bootstrap import House
from rectify.bootstrap.generator import PASSWORD
from rectify.cli.main import main
from rectify.projections import parallel_rebuild
from rectify.projections import runner as runner_module
from rectify.projections.catalog import all_projectors
from rectify.projections.parallel_rebuild import REBUILD_GROUPS
from rectify.projections.positions import PROJECTOR_NAMES, lock_positions, save_positions
from rectify.projections.runner import ProjectionRunner
from rectify.projections.store import open_store
from tests.cli.helpers import in_process_env
from tests.projections.test_store import snapshot


def test_the_groups_hold_every_rebuildable_projector_once() -> None:
    rebuildable = {p.name for p in all_projectors() if p.rebuildable}
    assert sorted(n for group in REBUILD_GROUPS for n in group) == sorted(rebuildable)


def test_two_workers_rebuild_what_one_process_builds(
    province: House, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runner_module, "PARALLEL_FROM", 0)
    caught_up = snapshot(province)
    seen: list[tuple[int, int]] = []
    province.store.runner.rebuild(
        batch_size=400, workers=2, progress=lambda d, h: seen.append((d, h))
    )
    assert snapshot(province) == caught_up
    assert seen and seen[-1][0] == seen[-1][1]  # the progress reached the head
    assert province.store.up_to_date()


def test_a_failed_worker_leaves_its_projectors_to_the_rebuild(
    province: House, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(runner_module, "PARALLEL_FROM", 0)
    caught_up = snapshot(province)
    runner = province.store.runner
    monkeypatch.setattr(runner, "store_url", f"sqlite:///{tmp_path / 'absent.db'}")
    warnings: list[str] = []
    runner.rebuild(workers=2, warn=warnings.append)  # both workers fail to open that store
    assert snapshot(province) == caught_up
    assert len(warnings) == len(REBUILD_GROUPS)  # each says which group and why
    reasons = {said.split("原因：")[1] for said in warnings}
    assert all("absent.db" in reason and "不存在" in reason for reason in reasons), reasons
    for group in REBUILD_GROUPS:
        assert any("、".join(sorted(group)) in said and "退出码 1" in said for said in warnings)


def test_the_command_says_why_a_worker_stopped_and_still_rebuilds(
    province: House,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(runner_module, "PARALLEL_FROM", 0)
    caught_up = snapshot(province)
    url = province.store.url.render_as_string(hide_password=False)
    in_process_env(monkeypatch, url, tmp_path, RECTIFY_USER="bureau", RECTIFY_PASSWORD=PASSWORD)
    # The workers look for their parent's pid under the real name: they stop at once.
    monkeypatch.setattr(parallel_rebuild, "WORKER_PARENT", "RECTIFY_REBUILD_ELSEWHERE")
    assert main(["rebuild", "--workers", "2"]) == 0
    out, err = capsys.readouterr()
    assert "已重放" in out
    assert err.count("警告") == len(REBUILD_GROUPS), err
    assert "KeyError: 'RECTIFY_REBUILD_PARENT'" in err and "Traceback" not in err
    assert snapshot(province) == caught_up


def test_a_batch_read_before_the_lock_is_dropped_if_the_positions_moved(
    province: House, monkeypatch: pytest.MonkeyPatch
) -> None:
    caught_up = snapshot(province)
    store = province.store
    store.runner.rebuild()  # a whole rebuild, then one group is replayed again:
    group = [p for p in all_projectors() if p.name in REBUILD_GROUPS[1]]
    worker = ProjectionRunner(store.engine, store.events, store.mapper, group)
    worker.group_worker = True
    second = open_store(store.url.render_as_string(hide_password=False))  # another process
    other = second.runner
    other._index_checked = True
    with store.engine.begin() as conn:  # this group back to the start
        for p in group:
            for table in reversed(p.tables):
                conn.execute(table.delete())
        save_positions(conn, {p.name: 0 for p in group})
    moved: list[int] = []

    def lock_after_another_runner(conn: Any, names: list[str], *, wait: bool = True) -> Any:
        if not moved:  # between this worker's early read and its lock, another runner
            moved.append(0)  # applies the same projectors (its own locks pass through)
            moved[0] = other.catch_up(batch_size=500)
        return lock_positions(conn, names, wait=wait)

    monkeypatch.setattr(runner_module, "lock_positions", lock_after_another_runner)
    try:
        worker.catch_up(batch_size=500)
    finally:
        second.close()
    assert moved[0] > 0
    assert snapshot(province) == caught_up  # nothing applied twice, nothing missed


def test_runners_of_disjoint_groups_lock_at_once_and_a_whole_runner_waits(pg_url: str) -> None:
    store = open_store(pg_url, create=True)
    first, second = (sorted(g) for g in REBUILD_GROUPS)
    try:
        with store.engine.connect() as a, store.engine.connect() as b:
            with a.begin():
                assert lock_positions(a, first) is not None
                with b.begin():
                    assert lock_positions(b, second, wait=False) is not None
                with b.begin():
                    assert lock_positions(b, list(PROJECTOR_NAMES), wait=False) is None
                with b.begin():
                    assert lock_positions(b, [first[0]], wait=False) is None
            with b.begin():
                assert lock_positions(b, list(PROJECTOR_NAMES), wait=False) is not None
    finally:
        store.close()


REBUILD_THEN_WAIT = """
import sys, time
from rectify.projections import runner
from rectify.projections.store import open_store
runner.PARALLEL_FROM = 0
store = open_store(sys.argv[1])
print("started", flush=True)
store.runner.rebuild(batch_size=20, workers=2)
"""


def test_a_killed_rebuild_stops_its_workers_and_the_next_catch_up_completes(
    province: House,
) -> None:
    caught_up = snapshot(province)
    url = province.store.url.render_as_string(hide_password=False)
    proc = subprocess.Popen(
        [sys.executable, "-c", REBUILD_THEN_WAIT, url], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "started"
    workers: list[str] = []
    for _ in range(300):  # until both workers run (tiny batches: they take seconds)
        workers = _workers_of(proc.pid)
        if len(workers) == 2:
            break
        time.sleep(0.02)
    assert len(workers) == 2
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    for _ in range(500):  # each stops after its current batch
        if not any(Path(f"/proc/{pid}").exists() for pid in workers):
            break
        time.sleep(0.02)
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)
    assert not province.store.up_to_date()  # killed half-way
    province.store.runner.catch_up()
    assert snapshot(province) == caught_up


def _workers_of(parent: int) -> list[str]:
    children = Path(f"/proc/{parent}/task/{parent}/children")
    return children.read_text().split() if children.exists() else []


def test_a_worker_killed_by_a_signal_is_named_so() -> None:
    said = parallel_rebuild.failure_message(["findings", "inbox"], -15, io.BytesIO(b""))
    assert said.startswith("重建子进程（findings、inbox）被信号 SIGTERM 终止")
    assert said.endswith("原因：（无输出）")
    last = io.BytesIO("Traceback …\n  File x\nKeyError: 'x'\n\n".encode())
    assert parallel_rebuild.failure_message(["a"], 1, last).endswith(
        "以退出码 1 结束，其读模型由本进程接着重放。原因：KeyError: 'x'"
    )
