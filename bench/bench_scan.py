"""The deadline scan against a plain indexed SELECT of the due rows, in the same run.

The scan's selection cost should follow what is due, not how many findings are open.
The deadline-watch read model (what the scan reads) is filled in bulk with N open
findings of which D fall due today (D = 1% of the largest N by default, the same D at
every size), then one `scan` is timed: it selects the due rows by index, plans them,
records one overdue each through the application (one transaction per occurrence, as
the `system` actor), and catches the inbox up. Baseline: the bare
`SELECT ... WHERE next_on <= today` over the same table (best of five). Also shown:
the scan's own selection and planning without writing (`select+plan`).

    .venv/bin/python bench/bench_scan.py [--sizes 10000,50000,100000] [--url URL]
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from rectify.bootstrap import open_house
from rectify.domain.deadlines import HolidayCalendar
from rectify.domain.schedule import plan
from rectify.projections.deadline_queries import due_rows, facts_of
from rectify.projections.deadline_watch import deadline_cursor, deadline_watch
from rectify.scheduler.scan import scan

TODAY = date(2025, 6, 30)


def rows(n: int, due: int) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for i in range(n):
        is_due = i < due
        out.append(
            {
                "finding_id": str(uuid.uuid4()),
                "ref": f"B/{i:07d}",
                "department_code": f"D{i % 50:02d}",
                "unit_code": None,
                "title": f"问题 {i}",
                "status": "issued",
                "rectification_class": "phased",
                "issued_on": TODAY - timedelta(days=60),
                "due": TODAY - timedelta(days=1)
                if is_due
                else TODAY + timedelta(days=20 + i % 200),
                "re_review_on": None,
                "report_dates": "",
                "version": 2,
                # Not due: the next look is the first report or a reminder, weeks away.
                "next_on": TODAY if is_due else TODAY + timedelta(days=1 + i % 25),
            }
        )
    return out


def one_size(url: str, n: int, due: int) -> tuple[float, float, float, int]:
    with open_house(url, create=True) as house:
        with house.store.engine.begin() as conn:
            batch = rows(n, due)
            for start in range(0, n, 10_000):
                conn.execute(insert(deadline_watch), batch[start : start + 10_000])
                conn.execute(
                    insert(deadline_cursor),
                    [
                        {"finding_id": r["finding_id"], "watched_until": TODAY - timedelta(days=1)}
                        for r in batch[start : start + 10_000]
                    ],
                )
        house.catch_up()
        query = select(deadline_watch).where(deadline_watch.c.next_on <= TODAY)
        select_s = float("inf")
        with house.store.engine.connect() as conn:
            for _ in range(5):  # the best of five: the baseline at its fastest
                t0 = time.perf_counter()
                selected = conn.execute(query).all()
                select_s = min(select_s, time.perf_counter() - t0)
        policy, calendar = house.schedule.policy(), HolidayCalendar()
        t0 = time.perf_counter()
        with house.store.engine.connect() as conn:
            planned = [plan(facts_of(r), policy, calendar, TODAY) for r in due_rows(conn, TODAY)]
        plan_s = time.perf_counter() - t0
        assert len(planned) == due
        t0 = time.perf_counter()
        recorded = scan(house, TODAY)
        scan_s = time.perf_counter() - t0
        assert len(selected) == due and len(recorded) == due, (len(selected), len(recorded))
    return scan_s, plan_s, select_s, len(recorded)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,50000,100000")
    parser.add_argument(
        "--due", type=int, help="due findings at every size (default 1%% of the largest)"
    )
    parser.add_argument(
        "--url",
        help="a PostgreSQL base URL (one fresh database per size is NOT made: "
        "give an empty database); default a temporary SQLite file per size",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    due = args.due or max(sizes) // 100
    print(
        f"{'open':>8} {'due':>6} {'SELECT s':>9} {'select+plan s':>14} {'ratio':>6}"
        f" {'whole scan s':>13} {'ratio':>7}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for run, n in enumerate(sizes):
            url = args.url or f"sqlite:///{Path(tmp) / f'scan-{run}-{n}.db'}"
            scan_s, plan_s, select_s, recorded = one_size(url, n, due)
            print(
                f"{n:>8} {recorded:>6} {select_s:>9.4f} {plan_s:>14.4f} {plan_s / select_s:>5.1f}x"
                f" {scan_s:>13.3f} {scan_s / select_s:>6.0f}x"
            )


if __name__ == "__main__":
    main()
