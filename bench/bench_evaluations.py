"""Benchmark: score history on an evaluation revised 10,000 times; import of a
generated 1,000-leaf package. Each figure is also given as a ratio against a
baseline measured in the same run: reading and decoding the same events straight
from the event table (`select_notifications` + the application's mapper).

Run: .venv/bin/python bench/bench_evaluations.py [--url sqlite:///...] [--revisions N]
Not run by pytest.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from rectify.bootstrap import open_house
from rectify.domain.evaluation import ScoreStage
from rectify.domain.identity import Principal, Role, acting_as
from rectify.projections import evaluations as ev
from rectify.projections.store import Store
from rectify.reports.checker import check_package
from rectify.reports.importer import import_package
from rectify.reports.package import parse_package


def timed(fn: Callable[[], Any], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def decode_all(store: Store, start: int = 1) -> int:
    """Baseline: read every notification from `start` and decode it to a domain event."""
    app = store.app
    n = 0
    while True:
        batch = app.recorder.select_notifications(start=start, limit=1000)
        if not batch:
            return n
        for note in batch:
            app.mapper.to_domain_event(note)
            n += 1
        start = batch[-1].id + 1


def package(key: str, leaves: int) -> dict[str, Any]:
    roots = 10
    per_root = leaves // roots
    weight = Decimal(100) / roots
    leaf_weight = weight / per_root
    indicators: list[dict[str, Any]] = []
    for r in range(roots):
        indicators.append({"code": f"R{r}", "name": f"一级{r}", "weight": weight})
        for i in range(per_root):
            indicators.append(
                {
                    "code": f"R{r}.{i}",
                    "parent": f"R{r}",
                    "name": f"指标{r}.{i}",
                    "weight": leaf_weight,
                    "awarded": leaf_weight * Decimal("0.9"),
                    "rule": {"kind": "manual"},
                    "inputs": {},
                    "scores": [{"stage": "self", "awarded": leaf_weight}],
                }
            )
    return {
        "format": "rectify/evaluation@1",
        "department": {"code": "BENCH", "name": "基准部门"},
        "evaluation": {
            "key": key,
            "fiscal_year": 2024,
            "subject": "department",
            "stage": "third_party",
            "title": "基准评价",
        },
        "indicators": indicators,
        "findings": [],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url")
    parser.add_argument("--revisions", type=int, default=10_000)
    parser.add_argument("--leaves", type=int, default=1_000)
    args = parser.parse_args()
    url = args.url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    house = open_house(url, create=True)
    store = house.store
    rows: list[tuple[str, float, float]] = []
    with acting_as(Principal("bench", Role.BUREAU)):
        # 1. Import of a generated package (events written per leaf and stage).
        document = package("BENCH/2024/big", args.leaves)
        pkg = parse_package(document, "generated")
        # `rectify check` of the same package; baseline: its strict validation alone.
        validation = timed(lambda: parse_package(document, "generated"))
        rows.append(
            (
                f"check {args.leaves}-leaf package (baseline: validate)",
                timed(lambda: check_package(pkg)),
                validation,
            )
        )
        start = time.perf_counter()
        result = import_package(house.services, pkg)
        imported = time.perf_counter() - start
        with store.engine.connect() as conn:
            head = store.runner.head(conn)
        baseline = timed(lambda: decode_all(store))
        rows.append(
            (f"import {args.leaves}-leaf package ({result.events} events)", imported, baseline)
        )
        start = time.perf_counter()
        store.catch_up()
        rows.append(
            (f"project those {head} events (catch-up)", time.perf_counter() - start, baseline)
        )

        # 2. One small evaluation revised N times.
        small = parse_package(package("BENCH/2024/small", 10), "generated")
        import_package(house.services, small)
        with store.engine.connect() as conn:
            first = store.runner.head(conn) + 1
        evaluation = house.evaluations.get_evaluation("BENCH/2024/small")
        for n in range(args.revisions):
            value = Decimal(n % 100) / 100
            evaluation.revise_score("R0.0", ScoreStage.THIRD_PARTY, value, reason=f"第{n}次修改")
            if n % 500 == 499:
                store.app.save_all(evaluation)
        store.app.save_all(evaluation)
        store.catch_up()
        baseline = timed(lambda: decode_all(store, first))

        def history() -> int:
            with store.engine.connect() as conn:
                return len(ev.score_history_of(conn, "BENCH/2024/small", "R0.0"))

        def page() -> int:
            with store.engine.connect() as conn:
                return len(
                    ev.score_history_of(
                        conn, "BENCH/2024/small", "R0.0", after_version=5000, limit=200
                    )
                )

        n_hist = history()
        rows.append((f"score history, all {n_hist} changes (read model)", timed(history), baseline))
        rows.append(("score history, one page of 200 (keyset)", timed(page), baseline))
        rows.append(
            (
                "scorecard, current (replay all events)",
                timed(lambda: house.evaluations.scorecard("BENCH/2024/small"), 1),
                baseline,
            )
        )
        rows.append(
            (
                "scorecard --version 5000 (replay to 5000)",
                timed(lambda: house.evaluations.scorecard("BENCH/2024/small", version=5000), 1),
                baseline,
            )
        )
    house.close()
    print(
        f"store: {url.split(':')[0]}; baseline = select_notifications + decode of the same events"
        " (the check row: strict validation of the same package)"
    )
    print(f"{'measurement':<52} {'seconds':>9} {'baseline':>9} {'ratio':>7}")
    for name, secs, base in rows:
        print(f"{name:<52} {secs:>9.4f} {base:>9.4f} {secs / base:>7.2f}")


if __name__ == "__main__":
    main()
