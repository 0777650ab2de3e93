"""Writers and a rebuild at once, as real processes, on each backend: no traceback, no
command reported failed whose events were recorded, nothing lost or duplicated, and a
seal that still verifies."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rectify.bootstrap import House, open_house
from rectify.bootstrap.catching_up import LAGGING, catch_up_after_save
from rectify.domain.identity import Principal, Role, acting_as
from rectify.projections import seal
from rectify.projections.findings import findings

PROCS = Path(__file__).parent / "procs"
RECTIFY = str(Path(sys.executable).with_name("rectify"))
WRITERS, COMMANDS, REBUILDS = 3, 12, 3


def test_writers_during_rebuilds(house: House, db_url: str, tmp_path: Path) -> None:
    with acting_as(Principal("局", Role.BUREAU)):
        house.services.app.save_all(house.findings.register_department("D1", "甲局", None))
    house.catch_up()
    outs = [tmp_path / f"w{i}.json" for i in range(WRITERS)]
    procs = [
        subprocess.Popen(
            [sys.executable, str(PROCS / "writer.py"), db_url, f"W{i}", str(COMMANDS), str(out)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i, out in enumerate(outs)
    ]
    procs.append(
        subprocess.Popen(
            [sys.executable, str(PROCS / "rebuilder.py"), db_url, str(REBUILDS)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    )
    for proc in procs:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0 and "Traceback" not in err, err
    done = [ref for out in outs for ref in json.loads(out.read_text())["done"]]
    assert len(done) == len(set(done)) == WRITERS * COMMANDS  # every command reported success
    with open_house(db_url) as fresh:
        fresh.catch_up()
        with fresh.store.engine.connect() as conn:
            refs = [
                r for (r,) in conn.execute(select(findings.c.ref).where(findings.c.ref.like("W%")))
            ]
            assert sorted(refs) == sorted(done)  # none lost, none duplicated, views caught up
            events = conn.execute(select(func.count()).select_from(fresh.store.events)).scalar_one()
            assert events == 1 + len(done)  # the department, then one event per command
            assert seal.verify(conn, fresh.store.events).ok


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
