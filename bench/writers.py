"""Concurrent writers on PostgreSQL: N processes, commands/s in total, and lost updates.

    python bench/writers.py [--writers 20] [--commands 100] [--same-commands 10] [--warm-up 5]

Each process opens its own House and reports progress (a department command) on
findings of a generated store: first each on its own share of the findings
(throughput), then all on the same finding, retrying on a version conflict as a user
would. Afterwards the shared finding must hold exactly writers × (warm-up +
same-commands) progress reports (0 lost updates).
Baseline: one process doing the same number of commands alone, in the same run.
Each process first runs --warm-up commands before the clock starts: a long-lived writer
(the TUI, a scheduler) has its connection, its compiled statements and psycopg's
prepared statements (prepared after five executions) in place; the first commands of a
cold process measure start-up, which `bench/run.py` measures on its own.
With --catch-up, one more round on separate findings where every command also catches
the read models up (as the CLI does after a command).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rectify.bootstrap import open_house
from rectify.bootstrap.generator import generate
from rectify.domain.errors import ConcurrencyConflict
from rectify.domain.finding import Finding
from rectify.domain.identity import Principal, Role

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import TODAY, database  # noqa: E402


def _writer(
    url: str,
    blobs: str,
    refs: list[str],
    commands: int,
    start: Any,
    ready: Any,
    out: Any,
    catch_up: bool = False,
    warm_up: int = 0,
) -> None:
    with open_house(url, blob_dir=Path(blobs)) as house:

        def command(n: int) -> int:
            """One progress report, retried on a version conflict; returns the conflicts."""
            conflicts = 0
            ref = refs[n % len(refs)]
            principal = Principal(
                f"dept-{ref.split('-')[0]}".lower(), Role.DEPARTMENT, ref.split("-")[0]
            )
            while True:
                try:
                    with house.acting(principal, catch_up=catch_up):
                        house.findings.report_progress(
                            ref, f"并发进展 {os.getpid()}/{n}", 60, as_of=TODAY
                        )
                    return conflicts
                except ConcurrencyConflict:
                    conflicts += 1

        for n in range(warm_up):
            command(n)
        ready.put(os.getpid())
        start.wait()
        began = time.perf_counter()
        conflicts = sum(command(warm_up + n) for n in range(commands))
        out.put((commands, conflicts, time.perf_counter() - began))


def _round(
    url: str,
    blobs: str,
    plan: list[list[str]],
    commands: int,
    warm_up: int,
    catch_up: bool = False,
) -> tuple[float, int, int]:
    ctx = mp.get_context("spawn")
    start, ready, out = ctx.Event(), ctx.Queue(), ctx.Queue()
    procs = [
        ctx.Process(
            target=_writer,
            args=(url, blobs, refs, commands, start, ready, out, catch_up, warm_up),
        )
        for refs in plan
    ]
    for p in procs:
        p.start()
    for _ in procs:
        ready.get()  # every process has imported and opened its House
    began = time.perf_counter()
    start.set()
    results = [out.get() for _ in procs]
    elapsed = time.perf_counter() - began
    for p in procs:
        p.join()
    return elapsed, sum(r[0] for r in results), sum(r[1] for r in results)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--commands", type=int, default=100)
    parser.add_argument(
        "--same-commands",
        type=int,
        default=10,
        help="commands per process on the one shared finding (each conflict reloads a history"
        " that grows by one event per command, so this round is slow by nature)",
    )
    parser.add_argument(
        "--warm-up", type=int, default=5, help="commands per process before the clock starts"
    )
    parser.add_argument(
        "--catch-up",
        action="store_true",
        help="also a round where each command catches the read models up, as the CLI does",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, database("postgresql", Path(tmp), "writers") as url:
        blobs = str(Path(tmp) / "blobs")
        with open_house(url, create=True, blob_dir=Path(blobs)) as house:
            generate(house.store.app, 8000, seed=2)
            house.catch_up()
            with house.store.engine.connect() as conn:
                refs = [
                    r
                    for (r,) in conn.exec_driver_sql(
                        "SELECT ref FROM findings WHERE status IN ('issued','returned','long_term') ORDER BY ref"
                    )
                ]
        n, k, w = args.writers, args.commands, args.warm_up
        assert len(refs) >= n + 1, "the generated store has too few open findings"
        # Each writer on its own share of the open findings, as departments would be:
        # one finding hammered a hundred times would measure its growing replay instead.
        spread = [refs[i::n] for i in range(n)]
        alone_s, _, _ = _round(url, blobs, [refs[:n]], k, w)
        spread_s, spread_done, _ = _round(url, blobs, spread, k, w)
        if args.catch_up:
            caught_s, caught_done, _ = _round(url, blobs, spread, k, w, catch_up=True)
        shared = refs[n]
        with open_house(url, blob_dir=Path(blobs)) as house:
            before = len(house.store.app.repository.get(Finding.create_id(shared)).progress)
        same_s, same_done, conflicts = _round(url, blobs, [[shared]] * n, args.same_commands, w)
        with open_house(url, blob_dir=Path(blobs)) as house:
            after = len(house.store.app.repository.get(Finding.create_id(shared)).progress)
    result = {
        "writers": n,
        "commands_each": k,
        "one_writer_commands_per_s": round(k / alone_s, 1),
        "concurrent_commands_per_s": round(spread_done / spread_s, 1),
        "concurrent_vs_one_writer": round((spread_done / spread_s) / (k / alone_s), 2),
        "same_finding_commands_per_s": round(same_done / same_s, 1),
        **(
            {"concurrent_with_catch_up_commands_per_s": round(caught_done / caught_s, 1)}
            if args.catch_up
            else {}
        ),
        "same_finding_conflicts_retried": conflicts,
        "same_finding_commands_each": args.same_commands,
        # warm-ups count too
        "same_finding_lost_updates": n * (args.same_commands + w) - (after - before),
        "warm_up_each": w,
        "load_avg": os.getloadavg(),
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
