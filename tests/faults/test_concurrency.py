"""Writers and a rebuild at once, as real processes, on each backend: no traceback, no
command reported failed whose events were recorded, nothing lost or duplicated, and a
seal that still verifies."""

from __future__ import annotations

import json
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
WRITERS, COMMANDS, REBUILDS = 3, 12, 3


def test_writers_during_rebuilds(house: House, db_url: str, tmp_path: Path) -> None:
    with acting_as(Principal("局", Role.BUREAU)):
        house.services.app.save_all(house.findings.register_department("D1", "甲局", None))
    house.catch_up()
    outs = [tmp_path / f"w{i}.json" for i in range(WRITERS)]
    procs = [
        subprocess.Popen([sys.executable, str(PROCS / "writer.py"), db_url, f"W{i}", str(COMMANDS), str(out)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i, out in enumerate(outs)
    ]
    procs.append(subprocess.Popen([sys.executable, str(PROCS / "rebuilder.py"), db_url, str(REBUILDS)],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    for proc in procs:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode == 0 and "Traceback" not in err, err
    done = [ref for out in outs for ref in json.loads(out.read_text())["done"]]
    assert len(done) == len(set(done)) == WRITERS * COMMANDS  # every command reported success
    with open_house(db_url) as fresh:
        fresh.catch_up()
        with fresh.store.engine.connect() as conn:
            refs = [r for (r,) in conn.execute(select(findings.c.ref).where(findings.c.ref.like("W%")))]
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
