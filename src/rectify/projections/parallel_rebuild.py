"""A rebuild's replay in worker processes, one per group of projectors.

One process replays a million events at about twice the time of a raw read+decode:
its time is spread over decoding, the projectors' Python and SQLite's or PostgreSQL's
inserts, and a second thread cannot share it (the GIL; docs/benchmarks.md). Two
processes can: each replays the log for its own projectors. PostgreSQL lets them
write at once (each runner locks only its projectors: positions.lock_positions); on
SQLite one writes while the other reads and decodes its next batch before asking for
the write lock (`ProjectionRunner.group_worker`).

A group keeps together the projectors that read each other's tables while they apply
(the inbox reads the findings and the monitoring periods). A worker that dies leaves
its projectors' positions where its last batch committed; the rebuilding runner then
applies the rest itself, and restores the text index, in its own last catch-up, and
says why the worker stopped (`warn`: the last line of its error output).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from typing import IO, TYPE_CHECKING

from rectify.projections.positions import read_positions

if TYPE_CHECKING:
    from rectify.projections.runner import Progress, ProjectionRunner

# The evaluation side and the findings side: about equal shares of a rebuild's work
# (measured at 1M events: 16.3 and 17.8 s of CPU on PostgreSQL; on SQLite the findings
# side took 23.1 s against 16.3, so the figures projector, which reads only its own
# tables, moved to the evaluation side: 1M rebuild 1.49–1.55 → 1.44 × raw read+decode).
REBUILD_GROUPS: tuple[frozenset[str], ...] = (
    frozenset(
        {"departments", "evaluations", "budgets", "targets", "comments", "results", "figures"}
    ),
    frozenset({"findings", "finding_timeline", "deadline_watch", "monitoring", "inbox"}),
)
POLL_SECONDS = 0.5
WORKER_URL = "RECTIFY_REBUILD_URL"
WORKER_PARENT = "RECTIFY_REBUILD_PARENT"


def default_workers() -> int:
    """One worker per group, if the machine has a core for each."""
    return min(len(REBUILD_GROUPS), os.cpu_count() or 1)


def replay_in_groups(
    runner: ProjectionRunner,
    batch_size: int,
    progress: Progress | None = None,
    warn: Callable[[str], None] | None = None,
) -> int:
    """Replay the log in one worker process per group; returns, once all have ended,
    the position every projector has reached. A worker that failed is reported to
    `warn`; its projectors are left to the caller's catch-up.

    Each worker is `python -m rectify.projections.parallel_rebuild`: a process of its
    own, which imports nothing of the caller's program. The store's address goes
    through the environment (it may hold a password), never the command line."""
    url = runner.store_url
    mine = {p.name for p in runner.projectors}
    env = {**os.environ, WORKER_URL: url, WORKER_PARENT: str(os.getpid())}
    groups = [sorted(group & mine) for group in REBUILD_GROUPS if group & mine]
    with ExitStack() as files:
        # A file, not a pipe: nobody reads while they run, and a full pipe would block them.
        errors = [files.enter_context(tempfile.TemporaryFile()) for _ in groups]
        workers = [
            subprocess.Popen(
                [sys.executable, "-m", __name__, str(batch_size), *names],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=error,
            )
            for names, error in zip(groups, errors, strict=True)
        ]
        try:
            while any(worker.poll() is None for worker in workers):
                time.sleep(POLL_SECONDS)
                if progress is not None:
                    progress(*_done_and_head(runner, mine))
        finally:
            for worker in workers:
                if worker.poll() is None:  # interrupted: stop them, their batches roll back
                    worker.terminate()
                worker.wait()
        for names, worker, error in zip(groups, workers, errors, strict=True):
            if worker.returncode != 0 and warn is not None:
                warn(failure_message(names, worker.returncode, error))
    return _done_and_head(runner, mine)[0]


def failure_message(names: list[str], returncode: int, error: IO[bytes]) -> str:
    """Which worker stopped, how, and the last line it wrote (a traceback's last line
    names the exception)."""
    error.seek(0)
    lines = [line.strip() for line in error.read().decode("utf-8", "replace").splitlines()]
    said = next((line for line in reversed(lines) if line), "（无输出）")
    if returncode < 0:  # killed by a signal (Popen's convention)
        ended = f"被信号 {signal.Signals(-returncode).name} 终止"
    else:
        ended = f"以退出码 {returncode} 结束"
    return f"重建子进程（{'、'.join(names)}）{ended}，其读模型由本进程接着重放。原因：{said}"


def _done_and_head(runner: ProjectionRunner, names: set[str]) -> tuple[int, int]:
    with runner.engine.connect() as conn:
        positions = read_positions(conn)
        head = runner.head(conn)
    return min((positions.get(n, 0) for n in names), default=head), head


def replay_group(url: str, names: list[str], batch_size: int, parent: int) -> None:
    """In the worker: a runner of this group's projectors, caught up to the head."""
    from rectify.projections.catalog import all_projectors
    from rectify.projections.runner import ProjectionRunner
    from rectify.projections.store import open_store

    store = open_store(url)
    try:
        projectors = [p for p in all_projectors() if p.name in names]
        runner = ProjectionRunner(store.engine, store.events, store.mapper, projectors)
        runner.group_worker = True

        def orphaned(done: int, head: int) -> None:
            # Killed with SIGKILL, the rebuild cannot stop its workers: they stop here.
            if os.getppid() != parent:
                raise SystemExit(1)

        runner.catch_up(batch_size, orphaned)
    finally:
        store.close()


if __name__ == "__main__":
    replay_group(
        os.environ[WORKER_URL], sys.argv[2:], int(sys.argv[1]), int(os.environ[WORKER_PARENT])
    )
