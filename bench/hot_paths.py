"""The three hot paths of issue #8's unmet goals, each beside a baseline from the same run.

    python bench/hot_paths.py [--events N] [--db PATH] [--json]

Generates a SQLite store of about N events (default 100,000; seed 1) once into PATH
(reused when it exists, so before/after runs compare on the same log), then measures:
figures (all years, one year) vs a plain COUNT over the join they aggregate; a
department's command + the catch-up after it (p50/p95) vs the command alone; and
`rectify findings list` as a process vs `python -c pass`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from run import TODAY, best_ms, process_ms

from rectify.bootstrap import open_house
from rectify.bootstrap.generator import BUREAU, PASSWORD, generate
from rectify.domain.identity import Principal, Role
from rectify.projections.figures import figures
from rectify.projections.store import open_store


def prepare(path: Path, events: int) -> str:
    url = f"sqlite:///{path}"
    if not path.exists():
        store = open_store(url, create=True)
        generate(store.app, events, seed=1)
        store.catch_up()
        store.close()
    return url


def command_latencies(url: str, blobs: Path, count: int = 200) -> tuple[list[float], list[float]]:
    """(command alone, command + catch-up) in ms for `count` progress reports."""
    store = open_store(url)
    with store.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT ref, department_code FROM findings WHERE status IN ('issued','returned','long_term') "
            f"ORDER BY ref LIMIT {count}"
        ).all()
    store.close()
    alone, total = [], []
    with open_house(url, blob_dir=blobs) as house:
        for n, (ref, dept) in enumerate(rows):
            principal = Principal(f"dept-{dept}".lower(), Role.DEPARTMENT, dept)
            start = time.perf_counter()
            with house.acting(principal):
                house.findings.report_progress(ref, f"基准测试进展 {n}", 50, as_of=TODAY)
                alone.append((time.perf_counter() - start) * 1000)
            total.append((time.perf_counter() - start) * 1000)
    return sorted(alone), sorted(total)


def p95(values: list[float]) -> float:
    return round(values[int(len(values) * 0.95) - 1], 2)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=Path("/tmp/rectify-hot-paths.db"))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    url = prepare(args.db, args.events)
    r: dict[str, Any] = {"load_avg_start": os.getloadavg()}
    store = open_store(url)
    with store.engine.connect() as conn:
        r["findings"] = conn.exec_driver_sql("SELECT count(*) FROM findings").scalar_one()
        r["join_count_ms"] = round(
            best_ms(
                lambda: conn.exec_driver_sql(
                    "SELECT count(*) FROM finding_years JOIN findings ON findings.id = finding_years.finding_id"
                ).scalar_one()
            ),
            2,
        )
        r["figures_ms"] = round(best_ms(lambda: figures(conn, principal=BUREAU, today=TODAY)), 2)
        r["figures_year_ms"] = round(
            best_ms(lambda: figures(conn, principal=BUREAU, year=2020, today=TODAY)), 2
        )
    store.close()
    r["figures_ratio"] = round(r["figures_ms"] / r["join_count_ms"], 2)
    alone, total = command_latencies(url, args.db.with_suffix(".blobs"))
    r.update(
        command_alone_p50_ms=round(statistics.median(alone), 2),
        command_alone_p95_ms=p95(alone),
        command_p50_ms=round(statistics.median(total), 2),
        command_p95_ms=p95(total),
    )
    r["command_ratio_p95"] = round(r["command_p95_ms"] / r["command_alone_p95_ms"], 2)
    env = {**os.environ, "RECTIFY_DB": url, "RECTIFY_USER": "bureau", "RECTIFY_PASSWORD": PASSWORD}
    r["python_pass_ms"] = round(process_ms([sys.executable, "-c", "pass"]), 1)
    r["query_process_ms"] = round(
        process_ms(
            [sys.executable, "-m", "rectify.cli.main", "findings", "list", "--limit", "20"], env
        ),
        1,
    )
    r["query_process_ratio"] = round(r["query_process_ms"] / r["python_pass_ms"], 1)
    r["load_avg_end"] = os.getloadavg()
    print(json.dumps(r, indent=None if args.json else 1, ensure_ascii=False))
    return r


if __name__ == "__main__":
    main()
