"""The figures (整改统计) from their read model beside the same figures computed straight
from the findings, in the same run, on a log that bench/run.py --db keeps.

    python bench/bench_figures.py --backend sqlite|postgresql --db PATH_OR_NAME [--runs N]

Copies the kept log, catches every read model up, checks that both ways give equal
figures, then times each (interleaved, best and median of --runs): all departments and
years, one year, one department, a department user. Then the cost of keeping the read
model: the figures projector rebuilt alone beside the findings projector rebuilt alone.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import copy_log, database, saved_url  # noqa: E402

from rectify.bootstrap.generator import BUREAU  # noqa: E402
from rectify.domain.identity import Principal, Role  # noqa: E402
from rectify.projections.figure_counts import FiguresProjector, figure_counts  # noqa: E402
from rectify.projections.figures import figures  # noqa: E402
from rectify.projections.findings import FindingsProjector, findings  # noqa: E402
from rectify.projections.runner import ProjectionRunner  # noqa: E402
from rectify.projections.store import open_store  # noqa: E402

TODAY = date(2026, 6, 30)


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    r: dict[str, Any] = {"backend": args.backend, "load_avg_start": os.getloadavg()}
    with tempfile.TemporaryDirectory() as tmp, database(args.backend, Path(tmp), "fig") as url:
        copy_log(args.backend, saved_url(args.backend, args.db), url)
        store = open_store(url, create=True)
        r["catch_up_s"] = round(timed(store.catch_up) / 1000, 1)
        dept = Principal("dept-d0001", Role.DEPARTMENT, "D0001")
        cases: dict[str, dict[str, Any]] = {
            "all departments and years": {"principal": BUREAU},
            "one year": {"principal": BUREAU, "year": 2020},
            "one department": {"principal": BUREAU, "department": "D0001"},
            "a department user": {"principal": dept},
        }
        with store.engine.connect() as conn:
            r["findings"] = conn.execute(select(func.count()).select_from(findings)).scalar()
            r["figure_counts_rows"] = conn.execute(
                select(func.count()).select_from(figure_counts)
            ).scalar()
            for name, kw in cases.items():
                new = figures(conn, today=TODAY, **kw)
                old = figures(conn, today=TODAY, direct=True, **kw)
                assert new == old, name
                times: dict[bool, list[float]] = {False: [], True: []}
                for _ in range(args.runs):
                    for direct in (False, True):
                        times[direct].append(
                            timed(lambda: figures(conn, today=TODAY, direct=direct, **kw))  # noqa: B023
                        )
                r[name] = {
                    "rows": len(new),
                    "read model best / median ms": (
                        round(min(times[False]), 2),
                        round(statistics.median(times[False]), 2),
                    ),
                    "direct (baseline) best / median ms": (
                        round(min(times[True]), 2),
                        round(statistics.median(times[True]), 2),
                    ),
                }
        for projector in (FiguresProjector(), FindingsProjector()):
            alone = ProjectionRunner(store.engine, store.events, store.runner.mapper, [projector])
            r[f"rebuild {projector.name} alone s"] = round(timed(alone.rebuild) / 1000, 1)
        with store.engine.connect() as conn:
            assert figures(conn, principal=BUREAU, today=TODAY) == figures(
                conn, principal=BUREAU, today=TODAY, direct=True
            )
        store.close()
    r["load_avg_end"] = os.getloadavg()
    print(json.dumps(r, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
