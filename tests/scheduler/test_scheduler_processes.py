"""Real `rectify scheduler` processes: two daemons on one PostgreSQL store, a scan killed
with SIGKILL half-way and run again, and a clean stop on SIGTERM.

Nothing here waits on wall time for a result: the daemons run over simulated days, the
kill happens while the test holds the event table's lock (the scan is provably stuck
mid-way), and the SIGTERM test reads the daemon's log lines as they come.
"""

from __future__ import annotations

import signal
import subprocess
import time
from datetime import date
from pathlib import Path

from sqlalchemy import func, select, text

from rectify.bootstrap import House, open_house
from rectify.scheduler.scan import scan
from tests.cli.helpers import RECTIFY, make_cli
from tests.scheduler.scenario import IMM, departments, fiscal_year, issue, record

OCCURRENCE = "rectify/Occurrence.Recorded"


def occurrences(house: House) -> list[tuple[str, int]]:
    events = house.store.events
    with house.store.engine.connect() as conn:
        rows = conn.execute(
            select(events.c.originator_id, events.c.originator_version).where(
                events.c.topic == OCCURRENCE
            )
        ).all()
    return [(str(r[0]), int(r[1])) for r in rows]


def test_two_daemons_on_one_postgresql_store_record_no_duplicate(
    pg_url: str, tmp_path: Path
) -> None:
    with open_house(pg_url, create=True, blob_dir=tmp_path / "blobs") as house:
        fiscal_year(house, tmp_path)
        house.catch_up()
    cli = make_cli(pg_url, tmp_path)
    args = [RECTIFY, "scheduler", "run", "--now", "2025-01-01", "--until", "2025-09-30"]
    daemons = [
        subprocess.Popen(
            args, env=cli.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    for daemon in daemons:
        _, err = daemon.communicate(timeout=300)
        assert daemon.returncode == 0, err
        assert "Traceback" not in err and "模拟运行结束" in err
    with open_house(pg_url) as house:
        recorded = occurrences(house)
        assert all(version == 1 for _, version in recorded)
        assert len({oid for oid, _ in recorded}) == len(recorded)
        assert scan(house, date(2025, 9, 30)) == []  # nothing was missed either
    with open_house(f"sqlite:///{tmp_path / 'jump.db'}", create=True) as jump:
        fiscal_year(jump, tmp_path / "j")
        expected = scan(jump, date(2025, 9, 30))
    assert len(recorded) == len(expected)


def test_a_scan_killed_mid_way_and_run_again_records_each_once(pg_url: str, tmp_path: Path) -> None:
    with open_house(pg_url, create=True, blob_dir=tmp_path / "blobs") as house:
        departments(house)
        for n in range(200):
            record(house, f"K-{n:03d}")
            issue(house, f"K-{n:03d}", IMM, date(2025, 1, 6), date(2025, 2, 5))
        house.catch_up()
        cli = make_cli(pg_url, tmp_path)
        tick = [RECTIFY, "scheduler", "tick", "--now", "2025-12-31"]
        proc = subprocess.Popen(tick, env=cli.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        events = house.store.events
        with house.store.engine.connect() as conn:
            deadline = time.monotonic() + 120
            count = 0
            while count < 20:  # wait for the scan to be under way
                assert proc.poll() is None, "the scan ended before it could be interrupted"
                assert time.monotonic() < deadline
                conn.rollback()
                count = conn.execute(
                    select(func.count()).where(events.c.topic == OCCURRENCE)
                ).scalar_one()
                time.sleep(0.02)
            # Hold the table lock the recorder needs: the scan is now stuck mid-way.
            conn.execute(text(f"LOCK TABLE {events.name} IN EXCLUSIVE MODE"))
            frozen = conn.execute(
                select(func.count()).where(events.c.topic == OCCURRENCE)
            ).scalar_one()
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
            conn.rollback()
        assert proc.returncode == -signal.SIGKILL
        expected_total = 200 * 5  # 2 reminders, overdue, report due, report overdue each
        assert 20 <= frozen < expected_total
        again = subprocess.run(
            tick + ["--json"], env=cli.env, capture_output=True, text=True, timeout=300
        )
        assert again.returncode == 0, again.stderr
        recorded = occurrences(house)
        assert len(recorded) == expected_total == len({oid for oid, _ in recorded})
        assert scan(house, date(2025, 12, 31)) == []


def test_the_daemon_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    with open_house(url, create=True, blob_dir=tmp_path / "blobs") as house:
        departments(house)
        record(house, "T-1")
        issue(house, "T-1", IMM, date(2025, 1, 6), date(2025, 2, 5))
    cli = make_cli(url, tmp_path)
    proc = subprocess.Popen(
        [RECTIFY, "scheduler", "run", "--interval-minutes", "60", "--hour", "3"],
        env=cli.env,
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    seen = []
    for line in proc.stderr:  # the first scan runs at start; its log line tells us it ran
        seen.append(line)
        if "扫描 " in line:
            break
    proc.send_signal(signal.SIGTERM)
    _, rest = proc.communicate(timeout=60)
    log = "".join(seen) + rest
    assert proc.returncode == 0, log
    assert (
        "调度已启动" in log and "SIGTERM" in log and "调度已停止" in log and "Traceback" not in log
    )
