"""Writers and a rebuild at once, as real processes, on each backend: no traceback, no
command reported failed whose events were recorded, nothing lost or duplicated, and a
seal that still verifies."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from rectify.bootstrap import House, open_house
from rectify.bootstrap.catching_up import LAGGING, catch_up_after_save
from rectify.domain.identity import Principal, Role, acting_as
from tests.faults.writers_run import run_writers_and_rebuild

PROCS = Path(__file__).parent / "procs"
RECTIFY = str(Path(sys.executable).with_name("rectify"))
WRITERS, COMMANDS, REBUILDS = 3, 12, 3


def test_writers_during_rebuilds(house: House, db_url: str, tmp_path: Path) -> None:
    with acting_as(Principal("局", Role.BUREAU)):
        house.services.app.save_all(house.findings.register_department("D1", "甲局", None))
    house.catch_up()
    run = run_writers_and_rebuild(db_url, tmp_path, WRITERS, COMMANDS, REBUILDS)
    assert run.clean, run
    assert run.reported_ok == WRITERS * COMMANDS  # nothing else writes: every command succeeds
    assert run.rebuilds >= REBUILDS


def test_a_recorded_command_whose_views_cannot_catch_up_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RECTIFY_SQLITE_BUSY_MS", "20")
    path = tmp_path / "busy.db"
    with open_house(f"sqlite:///{path}", create=True, blob_dir=tmp_path / "b") as house:
        with house.acting(Principal("局", Role.BUREAU), catch_up=False):
            house.services.app.save_all(house.findings.register_department("D1", "甲局", None))
        blocker = sqlite3.connect(path, timeout=0)
        blocker.execute("BEGIN IMMEDIATE")  # another writer holds the lock throughout
        try:
            assert catch_up_after_save(house.catch_up, pause=lambda _s: None) is False
        finally:
            blocker.rollback()
            blocker.close()
        assert LAGGING in capsys.readouterr().err
        assert house.catch_up() == 1  # the recorded event, applied once the lock is free


def test_concurrent_inits_one_creates_the_others_wait_and_say_so(
    db_url: str, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECTIFY_")}
    procs = []
    for i in range(4):
        run_env = {
            **env,
            "RECTIFY_DB": db_url,
            "RECTIFY_SESSION_FILE": str(tmp_path / f"s{i}.json"),
            "RECTIFY_CHECKPOINT_FILE": str(tmp_path / "cp.log"),
            "COLUMNS": "200",
        }
        password = tmp_path / f"password{i}"
        password.write_text(f"admin-password-{i}\n", encoding="utf-8")
        with password.open("rb") as stdin:  # a file, so no process waits on another's pipe
            procs.append(
                subprocess.Popen(
                    [RECTIFY, "init", "--user", f"admin{i}", "--password-stdin"],
                    env=run_env,
                    text=True,
                    stdin=stdin,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                )
            )
    results = [(p, *p.communicate(timeout=300)) for p in procs]
    for proc, out, err in results:
        assert proc.returncode == 0 and "Traceback" not in err, (out, err)
    created = [out for _, out, _ in results if "已创建首个财政局用户" in out]
    told = [out for _, out, _ in results if "库中已有用户，未创建用户" in out]
    assert len(created) == 1 and len(told) == 3, [out for _, out, _ in results]
    with open_house(db_url) as house:
        assert house.people.has_users()
