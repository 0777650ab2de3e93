"""The TUI on a large store: first screen, a filter, a page scroll — each measured
with Pilot (the real app, workers and all) beside the plain query that feeds it,
in the same run, on the same store. Reported as times and ratios; nothing asserted.

The store: N findings over 20 departments and three fiscal years, issued, some
worked on and closed, a fifth overdue on the fixed "today" — made through the
aggregates' own methods and saved in large atomic saves (the `scale` branch's
province generator, when merged, is the richer source; see docs/tui.md).

    .venv/bin/python bench/bench_tui.py --findings 20000
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from eventsourcing.domain import Aggregate
from textual import events

from rectify.bootstrap import open_house
from rectify.domain.application import finding_fields
from rectify.domain.clock import FixedClock
from rectify.domain.department import Department
from rectify.domain.finding import Finding, RectificationClass
from rectify.domain.identity import Principal, Role, acting_as
from rectify.tui.app import make_app
from rectify.tui.backend import PAGE, Backend, ProblemFilter

TODAY = date(2026, 6, 30)
BUREAU = Principal("bench-bureau", Role.BUREAU)
DEPARTMENTS = 20


def populate(house: Any, n: int) -> int:
    """N findings through the domain; returns the number of events saved."""
    app = house.services.app
    events = 0
    with acting_as(BUREAU):
        depts = [
            Department(code=f"D{d:02d}", name=f"第{d}部门", parent_code=None)
            for d in range(DEPARTMENTS)
        ]
        app.save_all(*depts)
        batch: list[Aggregate] = []
        for i in range(n):
            f = Finding(
                **finding_fields(
                    ref=f"P/{2023 + i % 3}/{i:07d}",
                    department_code=f"D{i % DEPARTMENTS:02d}",
                    fiscal_year=2023 + i % 3,
                    category="预算管理",
                    title=f"问题 {i} 预算编制不够精细",
                    description="绩效目标不够细化量化" * 4,
                    amount=None,
                )
            )
            issued = TODAY - timedelta(days=30 + i % 200)
            f.issue(
                rectification_class=RectificationClass.PHASED,
                issued_on=issued,
                due=issued + timedelta(days=90),
                re_review_on=None,
                requirements="细化",
            )
            batch.append(f)
            if len(batch) == 2000:
                events += sum(len(a.pending_events) for a in batch)
                app.save_all(*batch)
                batch.clear()
        events += sum(len(a.pending_events) for a in batch)
        app.save_all(*batch)
    house.catch_up()
    return events + DEPARTMENTS


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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--db", help="reuse this SQLite file (populated on first use)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="rectify-bench-tui-"))
    path = Path(args.db) if args.db else folder / "bench.db"
    fresh = not path.exists()
    house = open_house(
        f"sqlite:///{path}", create=True, clock=FixedClock.on(TODAY), blob_dir=folder / "blobs"
    )
    start = time.perf_counter()
    events = populate(house, args.findings) if fresh else 0
    if fresh:
        print(
            f"store: {args.findings} findings, {events} events, built in {time.perf_counter() - start:.1f}s"
        )
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
    print(f"{'measure':14} {'TUI (Pilot)':>12} {'plain query':>12} {'ratio':>7} {'goal':>6}")
    for name in ("first", "first_full", "filter", "filter_key", "filter_action", "page"):
        print(
            f"{name:14} {tui[name] * 1000:10.1f}ms {plain[name] * 1000:10.1f}ms "
            f"{tui[name] / plain[name]:6.1f}x {goals[name] * 1000:4.0f}ms"
        )
    print()
    print("plain queries behind each filter of the list (live, and as of a date: replayed)")
    as_of = date.today() + timedelta(days=2)  # the whole log (populate stamps wall-clock time)
    for label, flt in FILTERS:
        live = timed(lambda flt=flt: backend.findings_page(flt, None, PAGE + 1), repeat=3)
        past = timed(lambda flt=flt: backend.findings_as_of(as_of, flt, None, PAGE + 1), repeat=1)
        print(f"{label:14} live {live * 1000:8.1f}ms   as of {past * 1000:8.1f}ms")
    house.close()


FILTERS = (
    ("none", ProblemFilter()),
    ("overdue", ProblemFilter(overdue=True)),
    ("year", ProblemFilter(fiscal_year=2024)),
    ("department", ProblemFilter(department="D03")),
    ("status", ProblemFilter(status="issued")),
    ("class", ProblemFilter(rectification_class="phased")),
    ("text", ProblemFilter(text="问题 99")),
)


if __name__ == "__main__":
    main()
