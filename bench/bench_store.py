"""Append and rebuild throughput of rectify's store, each against a baseline run here.

append:  rectify (eventsourcing-sqlalchemy on a SQLite file, explicit topics,
         transcodings) vs the eventsourcing library's native SQLite recorder
         saving the very same aggregates, one save (transaction) per aggregate.
rebuild: `ProjectionRunner.rebuild` (decode + write every read model + positions)
         vs a raw read-and-decode of the same log with `select_notifications`.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rectify.domain.application import RectifyApp, finding_fields
from rectify.domain.finding import Finding
from rectify.domain.identity import Principal, Role, acting_as
from rectify.projections.store import open_store


def findings(n: int) -> list[Finding]:
    return [
        Finding(
            **finding_fields(
                ref=f"BENCH/{i:06d}",
                department_code="BENCH",
                fiscal_year=2024,
                category="预算管理",
                title=f"问题 {i}",
                description="预算编制不够精细" * 8,
                indicator_codes=("A2.1", "B1.2"),
            )
        )
        for i in range(n)
    ]


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=3000)
    args = parser.parse_args()
    n = args.events
    with tempfile.TemporaryDirectory() as tmp, acting_as(Principal("bench", Role.BUREAU)):
        native = RectifyApp(
            env={
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(Path(tmp) / "native.db"),
                "CREATE_TABLE": "yes",
            }
        )
        native_items = findings(n)
        native_s = timed(lambda: [native.save(a) for a in native_items])  # type: ignore[arg-type]
        native.close()

        store = open_store(f"sqlite:///{Path(tmp) / 'rectify.db'}", create=True)
        ours = findings(n)
        ours_s = timed(lambda: [store.app.save_all(a) for a in ours])  # type: ignore[arg-type]

        def raw_read_decode() -> int:
            count, start = 0, None
            while True:
                batch = store.app.recorder.select_notifications(
                    start=start, limit=500, inclusive_of_start=False
                )
                if not batch:
                    return count
                for notification in batch:
                    store.app.mapper.to_domain_event(notification)
                count += len(batch)
                start = batch[-1].id

        raw_s = timed(raw_read_decode)
        store.catch_up()
        rebuild_s = timed(store.runner.rebuild)
        store.close()

    print(f"events: {n}")
    print(f"{'measure':<34}{'events/s':>12}{'ratio':>10}")
    print(f"{'append, native sqlite (baseline)':<34}{n / native_s:>12.0f}{1:>10.2f}")
    print(f"{'append, rectify':<34}{n / ours_s:>12.0f}{native_s / ours_s:>10.2f}")
    print(f"{'read+decode, raw (baseline)':<34}{n / raw_s:>12.0f}{1:>10.2f}")
    print(f"{'rebuild, rectify':<34}{n / rebuild_s:>12.0f}{raw_s / rebuild_s:>10.2f}")


if __name__ == "__main__":
    main()
