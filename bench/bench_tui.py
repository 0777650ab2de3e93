"""The TUI on a large store: first screen, a filter, a page scroll — each measured
with Pilot (the real app, workers and all) beside the plain query that feeds it,
in the same run, on the same store. Reported as times and ratios; nothing asserted.

The store comes from the project's own generator (rectify.bootstrap.generator, the
one the demo and bench/run.py use): about --events events at --findings-per-evaluation
findings per department-year (120 gives ~100k findings per 1M events). With --db the
store is generated once, caught up, and reused by later runs (the TUI only reads):

    .venv/bin/python bench/bench_tui.py --events 1000000 --db /tmp/tui-1m.db
    .venv/bin/python bench/bench_tui.py --backend postgresql --db tuiperf_1m

Every role's home is measured too (bureau, evaluator, a department, auditor): to its
first screen, to its first evaluation lines and to complete; --homes-only measures
nothing else.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, make_url, select
from textual import events

from rectify.bootstrap import House, open_house
from rectify.bootstrap.generator import BUREAU, EVALUATOR, generate
from rectify.domain.clock import FixedClock
from rectify.domain.identity import Principal, Role
from rectify.projections.findings import findings
from rectify.tui.app import make_app
from rectify.tui.backend import PAGE, Backend
from rectify.tui.home_data import evaluation_batches, first_parts, gather
from rectify.tui.problem_filter import ProblemFilter

TODAY = date(2026, 6, 30)
ADMIN = "host=127.0.0.1 user=postgres dbname=postgres"
# Whose home is measured: the generator's users (a department: its third, D0003).
ROLES = {
    "bureau": BUREAU,
    "evaluator": EVALUATOR,
    "department": Principal("dept-d0003", Role.DEPARTMENT, "D0003"),
    "auditor": Principal("auditor", Role.AUDITOR),
}


def store_url(backend: str, db: str | None, folder: Path) -> tuple[str, bool]:
    """The store's URL and whether it must be generated (it does not exist yet)."""
    if backend == "sqlite":
        path = Path(db) if db else folder / "bench.db"
        return f"sqlite:///{path.resolve()}", not path.exists()
    import psycopg

    name = db or f"tuiperf_bench_{os.getpid()}"
    with psycopg.connect(ADMIN, autocommit=True) as admin:
        fresh = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if fresh is None:
            admin.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", fresh is None


def populate(house: House, events: int, density: int, seed: int) -> str:
    start = time.perf_counter()
    stats = generate(
        house.services.app,
        events,
        seed=seed,
        findings_per_evaluation=density,
        progress=lambda n: print(f"  generating: {n} events", file=sys.stderr, flush=True),
    )
    generated = time.perf_counter() - start
    house.catch_up()
    return (
        f"generated {stats.events} events, {stats.findings} findings in {generated:.0f}s, "
        f"caught up in {time.perf_counter() - start - generated:.0f}s"
    )


def store_shape(house: House) -> str:
    with house.store.engine.connect() as conn:
        events = conn.execute(select(func.count()).select_from(house.store.events)).scalar_one()
        found = conn.execute(select(func.count()).select_from(findings)).scalar_one()
    return f"{events} events, {found} findings"


def timed(fn: Callable[[], object], repeat: int = 5) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


async def settle(pilot: Any) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def shown(app: Any, pages: int) -> None:
    """Until the problem list has put `pages` pages on screen (polled every ms)."""
    while getattr(app.screen, "pages_shown", 0) < pages:
        await asyncio.sleep(0.001)


async def home_times(backend: Backend, repeat: int) -> tuple[float, float, float]:
    """A role's home from app start: to its first screen (the counts, lists and figures
    SQL answers: `first_shown` is set when all are on screen), to its first evaluation
    lines (the first batch of replayed scorecards, for the roles that have them), and
    to complete (every batch: `home_complete`)."""
    first, lines, complete = [], [], []
    for _ in range(repeat):
        start = time.perf_counter()
        app = make_app(backend)
        async with app.run_test(size=(80, 24)) as pilot:
            screen: Any = app.screen
            while not getattr(screen, "first_shown", False):
                await asyncio.sleep(0.001)
            first.append(time.perf_counter() - start)
            table = screen.query_one("#home-evaluations")
            while not table.row_count and not screen.home_complete:
                await asyncio.sleep(0.001)
            lines.append(time.perf_counter() - start)
            while not screen.home_complete:
                await asyncio.sleep(0.001)
            complete.append(time.perf_counter() - start)
            await settle(pilot)
    return statistics.median(first), statistics.median(lines), statistics.median(complete)


async def pilot_times(backend: Backend, repeat: int) -> dict[str, float]:
    """From key press (or app start) to the rows being in the table."""
    out: dict[str, list[float]] = {
        "first": [],
        "first_full": [],
        "filter": [],
        "filter_key": [],
        "filter_action": [],
        "page": [],
    }
    for _ in range(repeat):
        start = time.perf_counter()
        app = make_app(backend, screen="problems")
        async with app.run_test(size=(80, 24)) as pilot:
            await shown(app, 1)
            out["first"].append(time.perf_counter() - start)
            while not app.screen.query("#f-year"):  # the filter bars (mounted lazily)
                await asyncio.sleep(0.001)
            out["first_full"].append(time.perf_counter() - start)
            await settle(pilot)
            screen = app.screen
            for _flip in range(2):  # overdue on, then off again
                target = screen.pages_shown + 1
                start = time.perf_counter()
                await pilot.press("o")
                await shown(app, target)
                out["filter"].append(time.perf_counter() - start)
                await settle(pilot)
            for _flip in range(2):  # the key as a terminal sends it, without Pilot's idle wait
                target = screen.pages_shown + 1
                start = time.perf_counter()
                app.post_message(events.Key("o", "o"))
                await shown(app, target)
                out["filter_key"].append(time.perf_counter() - start)
                await settle(pilot)
            for _flip in range(
                2
            ):  # the same filter from the action itself, without Pilot's key wait
                target = screen.pages_shown + 1
                start = time.perf_counter()
                screen.action_flip("overdue")
                await shown(app, target)
                out["filter_action"].append(time.perf_counter() - start)
                await settle(pilot)
            table = screen.query_one("#findings")
            for _page in range(3):
                target = screen.pages_shown + 1
                start = time.perf_counter()
                table.move_cursor(row=table.row_count - 1)
                await shown(app, target)
                out["page"].append(time.perf_counter() - start)
                await settle(pilot)
            assert table.row_count > PAGE, "the next page was not loaded"
    return {k: statistics.median(v) for k, v in out.items()}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--findings-per-evaluation", type=int, default=120)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--db",
        help="a SQLite file or PostgreSQL database name: generated on first use, then reused",
    )
    parser.add_argument(
        "--homes-only", action="store_true", help="measure the roles' homes and nothing else"
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="rectify-bench-tui-"))
    url, fresh = store_url(args.backend, args.db, folder)
    try:
        measure(args, url, fresh, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # blobs (and the store, without --db)
        if args.db is None and args.backend == "postgresql":
            import psycopg

            with psycopg.connect(ADMIN, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


def measure(args: argparse.Namespace, url: str, fresh: bool, folder: Path) -> None:
    house = open_house(url, create=True, clock=FixedClock.on(TODAY), blob_dir=folder / "blobs")
    if fresh:
        print(populate(house, args.events, args.findings_per_evaluation, args.seed))
    else:  # a log kept by another run (or bench/run.py --db) may be behind its head
        house.catch_up()
    if args.backend == "postgresql":  # what autovacuum does after a bulk load, at once
        with house.store.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    print(f"store: {store_shape(house)} ({args.backend}); load average {os.getloadavg()}")
    if args.homes_only:
        measure_homes(house, args.repeat)
        print(f"load average at the end {os.getloadavg()}")
        house.close()
        return
    backend = Backend(house, BUREAU)
    flt = ProblemFilter()
    first = backend.findings_page(flt, None, PAGE + 1)
    plain = {
        "first": timed(lambda: backend.findings_page(flt, None, PAGE + 1)),
        "filter": timed(lambda: backend.findings_page(ProblemFilter(overdue=True), None, PAGE + 1)),
        "page": timed(lambda: backend.findings_page(flt, first[PAGE - 1].ref, PAGE + 1)),
    }
    tui = asyncio.run(pilot_times(backend, args.repeat))
    plain["filter_action"] = plain["filter_key"] = plain["filter"]
    plain["first_full"] = plain["first"]
    goals = {
        "first": 0.5,
        "first_full": 0.5,
        "filter": 0.1,
        "filter_key": 0.1,
        "filter_action": 0.1,
        "page": 0.05,
    }
    print("the problem list")
    print(f"{'measure':14} {'TUI (Pilot)':>12} {'plain query':>12} {'ratio':>7} {'goal':>6}")
    for name in ("first", "first_full", "filter", "filter_key", "filter_action", "page"):
        print(
            f"{name:14} {tui[name] * 1000:10.1f}ms {plain[name] * 1000:10.1f}ms "
            f"{tui[name] / plain[name]:6.1f}x {goals[name] * 1000:4.0f}ms"
        )
    print()
    measure_homes(house, args.repeat)
    print()
    print("plain queries behind each filter of the list (live, and as of a date: replayed)")
    as_of = date.today() + timedelta(days=2)  # the whole log (the generator stamps wall-clock time)
    for label, flt in FILTERS:
        live = timed(lambda flt=flt: backend.findings_page(flt, None, PAGE + 1), repeat=3)
        past = timed(lambda flt=flt: backend.findings_as_of(as_of, flt, None, PAGE + 1), repeat=1)
        print(f"{label:14} live {live * 1000:8.1f}ms   as of {past * 1000:8.1f}ms")
    print(f"load average at the end {os.getloadavg()}")
    house.close()


def measure_homes(house: House, repeat: int) -> None:
    """Each role's home in the TUI beside the plain calls that feed it, one after
    another (first_parts: counts, lists, figures; then the evaluation lines), in the
    same run."""
    print("each role's home: first screen (goal 500 ms) and complete, TUI / plain query")
    for role, principal in ROLES.items():
        backend = Backend(house, principal)
        first, first_lines, complete = asyncio.run(home_times(backend, repeat))
        parts = first_parts(backend).values()
        plain_first = timed(lambda parts=parts: [call() for call in parts], repeat=repeat)
        plain_all = timed(lambda backend=backend: gather(backend), repeat=repeat)
        batch = timed(lambda backend=backend: next(evaluation_batches(backend), None), repeat)
        print(
            f"{role:11} first {first * 1000:7.1f} / {plain_first * 1000:6.1f}ms "
            f"({first / plain_first:4.1f}x)   first lines {first_lines * 1000:7.1f} / "
            f"{(plain_first + batch) * 1000:6.1f}ms   complete {complete * 1000:7.1f} / "
            f"{plain_all * 1000:6.1f}ms ({complete / plain_all:4.1f}x)"
        )
        if role == "bureau":
            for label, call in (
                ("deadline counts", backend.deadline_counts),
                ("most urgent", lambda backend=backend: backend.most_urgent(limit=10)),
                ("figures", backend.figures),
            ):
                print(f"  {label:16} {timed(call, repeat=repeat) * 1000:8.1f}ms")


FILTERS = (
    ("none", ProblemFilter()),
    ("overdue", ProblemFilter(overdue=True)),
    ("year", ProblemFilter(fiscal_year=2020)),
    ("department", ProblemFilter(department="D0003")),
    ("status", ProblemFilter(status="issued")),
    ("class", ProblemFilter(rectification_class="phased")),
    ("text", ProblemFilter(text="问题 99")),
    ("text (rare)", ProblemFilter(text="D0042-2019-07")),
    ("text (none)", ProblemFilter(text="没有这句话")),
)


if __name__ == "__main__":
    main()
