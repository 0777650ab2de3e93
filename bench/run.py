"""rectify at province scale: every measure beside a baseline measured in the same run.

    python bench/run.py [--events N] [--backend sqlite|postgresql] [--db PATH] [--json]
                        [--findings-per-evaluation N]

Generates a log of about N events (rectify.bootstrap.generator: the aggregates' own
commands, saved in large atomic saves), then measures: first catch-up and rebuild vs a
raw read+decode of the same log (the mean of one before the catch-up and one after the
rebuild: the machine's speed drifts between them); verify vs a raw read; bulk storing of the same events
through rectify's recorder vs eventsourcing's native SQLite recorder; an interactive
command + catch-up (p50/p95); the problem list's first page and each filter; figures;
CLI start-up vs `python -c pass`; peak RSS of a rebuild at two log sizes (the large
one is the timed rebuild itself, run in a child process: one replay less). It fails
(exit 1) unless the rebuilt read models equal the caught-up ones. With --db the log is
generated once and kept (a SQLite file, or a PostgreSQL database name); later runs with
the same --db measure a fresh copy of it instead of generating. Progress goes to stderr;
with --json, stdout is one JSON object (keys listed in docs/benchmarks.md)."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import func, make_url, select

from rectify.bootstrap import House, open_house
from rectify.bootstrap.generator import BUREAU, PASSWORD, generate
from rectify.domain.application import RectifyApp
from rectify.domain.identity import Principal, Role
from rectify.projections import seal
from rectify.projections.catalog import all_projectors
from rectify.projections.figures import figures
from rectify.projections.queries import list_findings
from rectify.projections.store import Store, open_store

TODAY = date(2026, 6, 30)
ADMIN = "host=127.0.0.1 user=postgres dbname=postgres"


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def best_ms(fn: Callable[[], object], runs: int = 5) -> float:
    return min(timed(fn) for _ in range(runs)) * 1000


@contextmanager
def database(backend: str, tmp: Path, name: str) -> Iterator[str]:
    """A fresh empty database URL, dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp / name}.db"
        return
    import psycopg

    db = f"rectify_bench_{name}_{os.getpid()}"
    with psycopg.connect(ADMIN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{db}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{db}"
    finally:
        with psycopg.connect(ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


def saved_url(backend: str, db: str) -> str:
    if backend == "sqlite":
        return f"sqlite:///{Path(db).resolve()}"
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{db}"


def log_exists(backend: str, db: str) -> bool:
    if backend == "sqlite":
        return Path(db).exists()
    import psycopg

    with psycopg.connect(ADMIN, autocommit=True) as admin:
        found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (db,)).fetchone()
    return found is not None


def copy_log(backend: str, source: str, target: str) -> None:
    """Copy a whole closed store: the file, or a PostgreSQL database used as a template
    (which needs no other session on it: the store must be closed)."""
    source_db, target_db = (make_url(u).database or "" for u in (source, target))
    if backend == "sqlite":
        # Through SQLite's backup API: the store runs in WAL mode, so the file alone
        # may not hold every committed page.
        with closing(sqlite3.connect(source_db)) as src, closing(sqlite3.connect(target_db)) as dst:
            src.backup(dst)
        return
    import psycopg

    with psycopg.connect(ADMIN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{target_db}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{target_db}" TEMPLATE "{source_db}"')


def event_count(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(store.events)).scalar_one())


def read_models_digest(store: Store) -> str:
    """One hash over every rebuildable read model's rows, in key order."""
    digest = hashlib.sha256()
    with store.engine.connect() as conn:
        for projector in all_projectors():
            if projector.rebuildable:
                for table in projector.tables:
                    query = select(table).order_by(*table.primary_key.columns)
                    for row in conn.execute(query).yield_per(5000):
                        digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def raw_read(store: Store, decode: bool) -> int:
    """The baseline: the library's own select_notifications (+ decode), 2000 at a time."""
    count, start = 0, None
    while True:
        batch = store.app.recorder.select_notifications(
            start=start, limit=2000, inclusive_of_start=False
        )
        if not batch:
            return count
        if decode:
            for notification in batch:
                store.app.mapper.to_domain_event(notification)
        count += len(batch)
        start = batch[-1].id


def stored_events(store: Store) -> list[Any]:
    out: list[Any] = []
    start = None
    while True:
        batch = store.app.recorder.select_notifications(
            start=start, limit=5000, inclusive_of_start=False
        )
        if not batch:
            return out
        out.extend(batch)
        start = batch[-1].id


def bulk_store(events: list[Any], app: RectifyApp, chunk: int = 5000) -> float:
    """Store already-encoded events through a recorder, `chunk` per transaction."""

    def run() -> None:
        for i in range(0, len(events), chunk):
            app.recorder.insert_events(events[i : i + chunk])

    return timed(run)


def command_latencies(house: House, refs: list[str], dept_of: dict[str, str]) -> list[float]:
    """A department's command through the House, then the catch-up `acting` does on exit."""
    out = []
    for n, ref in enumerate(refs):
        principal = Principal(f"dept-{dept_of[ref]}".lower(), Role.DEPARTMENT, dept_of[ref])
        start = time.perf_counter()
        with house.acting(principal):
            house.findings.report_progress(ref, f"基准测试进展 {n}", 50, as_of=TODAY)
        out.append((time.perf_counter() - start) * 1000)
    return out


def child_rebuild(url: str) -> tuple[float, float, float]:
    """Rebuild in a fresh process as `rectify rebuild` does (its worker processes, one
    per projector group: parallel_rebuild.py): (seconds the rebuild took, the peak RSS
    in MB of the largest of its processes, the CPU seconds of all of them).

    One replay gives every figure. VmHWM is the child's own address space, not what it
    inherited from this process at fork; the time covers `runner.rebuild()` alone (not
    the child's start-up), as an in-process rebuild would."""
    code = (
        "import time\n"
        "from rectify.projections.store import open_store\n"
        f"s = open_store({url!r}); runner = s.runner\n"
        "import resource\n"
        "from rectify.projections.parallel_rebuild import default_workers\n"
        "def cpu():\n"
        "    own, kids = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))\n"
        "    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime\n"
        "c = cpu(); t = time.perf_counter(); runner.rebuild(workers=default_workers())\n"
        "t = time.perf_counter() - t; c = cpu() - c; s.close()\n"
        "hwm = [ln for ln in open('/proc/self/status') if ln.startswith('VmHWM')][0].split()[1]\n"
        "hwm = max(int(hwm), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "print(t, hwm, c)"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    seconds, hwm_kb, cpu = out.stdout.strip().splitlines()[-1].split()
    return float(seconds), round(int(hwm_kb) / 1024, 1), float(cpu)


def cpu_timed(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of one call."""
    cpu = time.process_time()
    wall = timed(fn)
    return wall, time.process_time() - cpu


def process_ms(argv: list[str], env: dict[str, str] | None = None, runs: int = 5) -> float:
    def run() -> None:
        subprocess.run(argv, check=True, capture_output=True, env=env)

    return best_ms(run, runs)


def queries(store: Store) -> dict[str, float]:
    dept = Principal("dept-d0001", Role.DEPARTMENT, "D0001")
    cases: dict[str, dict[str, Any]] = {
        "first_page": {},
        "year": {"fiscal_year": 2018},
        "department": {"department": "D0002"},
        "status": {"status": "issued"},
        "class": {"rectification_class": "phased"},
        "overdue": {"overdue": True},
        "repeat": {"repeat": True},
        "text": {"text": "资产"},
        "year_overdue": {"fiscal_year": 2019, "overdue": True},
    }
    out: dict[str, float] = {}
    with store.engine.connect() as conn:
        for name, kw in cases.items():
            out[name] = round(
                best_ms(lambda kw=kw: list_findings(conn, principal=BUREAU, today=TODAY, **kw)), 2
            )
        out["department_user_first_page"] = round(
            best_ms(lambda: list_findings(conn, principal=dept, today=TODAY)), 2
        )
    return out


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--findings-per-evaluation",
        type=int,
        default=10,
        help="the province's density: findings per department-year (10: ~60k per 1M "
        "events, the default shape; 120: ~100k, bench/bench_tui.py's store)",
    )
    parser.add_argument(
        "--db",
        metavar="PATH",
        help="keep the generated log (a SQLite file, or a PostgreSQL database name) and, "
        "when it already exists, copy it instead of generating: every run measures a fresh "
        "copy of the log as generated, before any catch-up (--events is then ignored)",
    )
    parser.add_argument(
        "--only-rebuild",
        action="store_true",
        help="stop after the rebuild measures (raw read+decode, first catch-up, rebuild, "
        "its peak RSS, rebuilt = caught up)",
    )
    args = parser.parse_args(argv)
    r: dict[str, Any] = {
        "backend": args.backend,
        "requested_events": args.events,
        "findings_per_evaluation": args.findings_per_evaluation,
        "machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} cpus",
        "python": platform.python_version(),
        "load_avg_start": os.getloadavg(),
    }

    began = time.perf_counter()

    def say(text: str) -> None:
        """Progress on stderr with the elapsed time and this process's peak RSS, so a
        long run can be watched (and --json keeps stdout to the one object)."""
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        elapsed = time.perf_counter() - began
        print(
            f"[{elapsed:7.0f} s, load {os.getloadavg()[0]:.1f}, peak {peak} MB] {text}",
            file=sys.stderr,
            flush=True,
        )

    def generated(count: int) -> None:
        say(f"generating: {count} events stored")

    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        with (
            database(args.backend, tmp, "main") as url,
            database(args.backend, tmp, "small") as small_url,
        ):
            store = open_store(url, create=True)
            if args.db and log_exists(args.backend, args.db):
                store.close()
                copy_log(args.backend, saved_url(args.backend, args.db), url)
                store = open_store(url, create=True)
                r["reused_log"] = args.db
                n = event_count(store)
                say(f"reusing the log saved in {args.db}: {n} events")
            else:
                gen_s = timed(
                    lambda: r.update(
                        generated=vars(
                            generate(
                                store.app,
                                args.events,
                                seed=args.seed,
                                progress=generated,
                                findings_per_evaluation=args.findings_per_evaluation,
                            )
                        )
                    )
                )
                n = r["generated"]["events"]
                r["generate_s"] = round(gen_s, 1)
                r["generate_events_per_s"] = round(n / gen_s)
                say(f"generated {n} events in {gen_s:.1f} s ({n / gen_s:.0f}/s)")
                if args.db:
                    store.close()
                    copy_log(args.backend, url, saved_url(args.backend, args.db))
                    store = open_store(url, create=True)
                    say(f"log saved in {args.db} for later runs (--db {args.db})")
            r["events"] = n

            raw_before = cpu_timed(lambda: raw_read(store, decode=True))
            say(f"raw read+decode {n / raw_before[0]:.0f}/s")
            raw_s = timed(lambda: raw_read(store, decode=False))
            say(f"raw read {n / raw_s:.0f}/s")
            applied: list[int] = []
            first_s = timed(lambda: applied.append(store.catch_up()))
            # A kept log that something else has opened since (a query catches up first)
            # has its read models already: its "first" catch-up measures nothing.
            first_measured = applied[0] >= n
            if first_measured:
                say(f"first catch-up {n / first_s:.0f}/s ({first_s:.1f} s)")
            else:
                say(
                    f"first catch-up not measured: the kept log was caught up ({applied[0]} applied)"
                )
            caught_up = read_models_digest(store)
            say("digest of the caught-up read models taken; rebuilding")
            rebuild_s, r["rebuild_rss_mb"], rebuild_cpu_s = child_rebuild(url)
            r["rebuilt_equals_caught_up"] = read_models_digest(store) == caught_up
            # The baseline again, right after: on a shared machine the same read+decode
            # took from 0.6 to 1.0 of its slowest time within minutes, so the ratios
            # divide by the mean of one run before the catch-up and one after the rebuild.
            raw_after = cpu_timed(lambda: raw_read(store, decode=True))
            say(f"raw read+decode again {n / raw_after[0]:.0f}/s")
            raw_decode_s = (raw_before[0] + raw_after[0]) / 2
            raw_decode_cpu_s = (raw_before[1] + raw_after[1]) / 2
            r["raw_decode_s_before_after"] = [round(raw_before[0], 2), round(raw_after[0], 2)]
            with store.engine.connect() as conn:
                verify_s = timed(lambda: seal.verify(conn, store.events))
            r.update(
                raw_decode_events_per_s=round(n / raw_decode_s),
                raw_read_events_per_s=round(n / raw_s),
                first_catch_up_events_per_s=round(n / first_s) if first_measured else None,
                first_catch_up_ratio=round(first_s / raw_decode_s, 2) if first_measured else None,
                rebuild_events_per_s=round(n / rebuild_s),
                rebuild_s=round(rebuild_s, 2),
                rebuild_ratio=round(rebuild_s / raw_decode_s, 2),
                # CPU seconds of each process: on a shared machine the wall-time ratio
                # moves with the load between the two minutes, this one much less.
                rebuild_cpu_s=round(rebuild_cpu_s, 1),
                raw_decode_cpu_s=round(raw_decode_cpu_s, 1),
                rebuild_cpu_ratio=round(rebuild_cpu_s / raw_decode_cpu_s, 2),
                verify_events_per_s=round(n / verify_s),
                verify_ratio=round(verify_s / raw_s, 2),
            )
            say(
                f"rebuild {n / rebuild_s:.0f}/s vs raw read+decode {n / raw_decode_s:.0f}/s: ratio {r['rebuild_ratio']}"
                f" (CPU {rebuild_cpu_s:.1f} vs {raw_decode_cpu_s:.1f} s: {r['rebuild_cpu_ratio']})"
            )
            if args.only_rebuild:
                store.close()
                return report(r, args.json)

            # Start-up before the bulk stores: measured after them, while the server and
            # the disk still flushed the 2M events they wrote, a query process took
            # 347-484 ms instead of ~311 (PostgreSQL, 1M; docs/benchmarks.md).
            rectify = str(Path(sys.executable).with_name("rectify"))
            env = {
                **os.environ,
                "RECTIFY_DB": url,
                "RECTIFY_USER": "bureau",
                "RECTIFY_PASSWORD": PASSWORD,
            }
            r["python_pass_ms"] = round(process_ms([sys.executable, "-c", "pass"]), 1)
            r["cli_startup_ms"] = round(process_ms([rectify, "--version"]), 1)
            r["cli_startup_ratio"] = round(r["cli_startup_ms"] / r["python_pass_ms"], 1)
            r["cli_help_ms"] = round(process_ms([rectify, "--help"]), 1)
            r["cli_query_ms"] = round(
                process_ms([rectify, "findings", "list", "--limit", "20"], env, runs=3), 1
            )
            say(f"process start-up measured: a query {r['cli_query_ms']} ms")
            events = stored_events(store)
            say(f"verify {n / verify_s:.0f}/s; {len(events)} events read for the bulk store")
            with database(args.backend, tmp, "copy") as copy_url:
                copy = open_store(copy_url, create=True)
                ours_s = bulk_store(events, copy.app)
                copy.close()
            say(f"bulk store through rectify's recorder {n / ours_s:.0f}/s")
            native = RectifyApp(
                env={
                    "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                    "SQLITE_DBNAME": str(tmp / "native.db"),
                    "CREATE_TABLE": "yes",
                }
            )
            native_s = bulk_store(events, native)
            native.close()
            del events
            r.update(
                bulk_store_events_per_s=round(n / ours_s),
                native_store_events_per_s=round(n / native_s),
                bulk_store_ratio=round(ours_s / native_s, 2),
            )

            say(f"native recorder {n / native_s:.0f}/s")
            r["queries_ms"] = queries(store)
            with store.engine.connect() as conn:
                # Beside each, its baseline in the same run: the same figures computed
                # straight from the findings (one GROUP BY over finding_years ⨝ findings).
                for key, year in (("figures", None), ("figures_year", 2020)):
                    for direct in (False, True):
                        name = f"{key}_direct_ms" if direct else f"{key}_ms"
                        r[name] = round(
                            best_ms(
                                partial(
                                    figures,
                                    conn,
                                    principal=BUREAU,
                                    year=year,
                                    today=TODAY,
                                    direct=direct,
                                )
                            ),
                            2,
                        )
                rows = conn.exec_driver_sql(
                    "SELECT ref, department_code FROM findings WHERE status IN ('issued','returned','long_term') "
                    "ORDER BY ref LIMIT 200"
                ).all()
            dept_of = {ref: code for ref, code in rows}
            say("queries and figures measured")
            store.close()
            with open_house(url, blob_dir=tmp / "blobs") as house:
                lat = sorted(command_latencies(house, list(dept_of), dept_of))
            r["command_p50_ms"] = round(statistics.median(lat), 2)
            r["command_p95_ms"] = round(lat[int(len(lat) * 0.95) - 1], 2)
            say(f"command p95 {r['command_p95_ms']} ms")

            say("generating the small store")
            small = open_store(small_url, create=True)
            small_n = generate(
                small.app,
                max(2000, n // 20),
                seed=args.seed,
                findings_per_evaluation=args.findings_per_evaluation,
            ).events
            small.close()
            say(f"small store: {small_n} events; rebuild RSS at that size")
            r["rebuild_rss_small_mb"] = child_rebuild(small_url)[1]
            r["rss_small_events"] = small_n
    return report(r, args.json)


def report(r: dict[str, Any], as_json: bool) -> dict[str, Any]:
    r["load_avg_end"] = os.getloadavg()
    if as_json:
        print(json.dumps(r, ensure_ascii=False, indent=1))
    else:
        for key, value in r.items():
            if key not in ("generated",):
                print(f"{key:<32}{value}")
    return r


if __name__ == "__main__":
    # A check, not only a figure: the run fails if the rebuilt read models differ.
    if not main()["rebuilt_equals_caught_up"]:
        print("FAILED: the rebuilt read models differ from the caught-up ones", file=sys.stderr)
        sys.exit(1)
