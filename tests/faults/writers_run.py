"""Writers and a rebuild at once, as real processes: the run and its figures.

Used by tests/faults/test_concurrency.py (small) and bench/writers_rebuild.py (2,000
commands). The store must hold department D1 and no W-findings yet.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from rectify.bootstrap import open_house
from rectify.projections import seal
from rectify.projections.findings import findings

PROCS = Path(__file__).parent / "procs"


@dataclass(frozen=True)
class WritersRun:
    commands: int  # commands started
    reported_ok: int
    reported_failed: int
    failed_but_recorded: int  # reported failed although its events were recorded
    lost: int  # reported ok, not recorded
    duplicated: int
    lagging: int  # recorded, views caught up later (said so)
    tracebacks: int
    rebuilds: int
    views_match: bool  # the findings view lists exactly the recorded findings
    seal_ok: bool

    @property
    def clean(self) -> bool:
        return (
            self.reported_ok + self.reported_failed == self.commands
            and self.failed_but_recorded == self.lost == self.duplicated == self.tracebacks == 0
            and self.views_match
            and self.seal_ok
        )


def run_writers_and_rebuild(
    url: str, tmp: Path, writers: int, commands: int, rebuilds: int
) -> WritersRun:
    outs = [tmp / f"w{i}.json" for i in range(writers)]
    stop = tmp / "writers-done"

    def spawn(*args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )

    procs = [
        spawn(str(PROCS / "writer.py"), url, f"W{i}", str(commands), str(out))
        for i, out in enumerate(outs)
    ]
    rebuilder = spawn(str(PROCS / "rebuilder.py"), url, str(rebuilds), str(stop))
    tracebacks = 0
    for proc in procs:
        _, err = proc.communicate(timeout=3600)
        tracebacks += proc.returncode != 0 or "Traceback" in err
    stop.touch()
    out, err = rebuilder.communicate(timeout=3600)
    tracebacks += rebuilder.returncode != 0 or "Traceback" in err
    reports = [json.loads(o.read_text()) for o in outs if o.exists()]
    done = [ref for r in reports for ref in r["done"]]
    failed = {ref for r in reports for ref in r["failed"]}
    with open_house(url) as fresh:
        fresh.catch_up()
        with fresh.store.engine.connect() as conn:
            viewed = [
                r for (r,) in conn.execute(select(findings.c.ref).where(findings.c.ref.like("W%")))
            ]
            events = conn.execute(select(func.count()).select_from(fresh.store.events)).scalar_one()
            seal_ok = seal.verify(conn, fresh.store.events).ok
    recorded = set(viewed)
    return WritersRun(
        commands=writers * commands,
        reported_ok=len(done),
        reported_failed=len(failed),
        failed_but_recorded=len(failed & recorded),
        lost=len(set(done) - recorded),
        duplicated=len(done) - len(set(done)) + len(viewed) - len(recorded),
        lagging=sum(r["lagging"] for r in reports),
        tracebacks=tracebacks,
        rebuilds=int(out.strip() or 0),
        # one event for the department, then one per recorded finding
        views_match=recorded == set(done) and events == 1 + len(recorded),
        seal_ok=seal_ok,
    )
