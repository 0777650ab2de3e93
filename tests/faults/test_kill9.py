"""kill -9 in the middle of an import and of a rebuild, on each backend: nothing
half-recorded, every recorded event sealed, read models equal to a rebuild afterwards."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from rectify.bootstrap import open_house
from rectify.projections import seal
from rectify.projections.findings import findings
from tests.conftest import WEIBIN

RECTIFY = str(Path(sys.executable).with_name("rectify"))


def _env(db_url: str, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECTIFY_")}
    env.update(
        RECTIFY_DB=db_url,
        RECTIFY_SESSION_FILE=str(tmp_path / "s.json"),
        RECTIFY_CHECKPOINT_FILE=str(tmp_path / "cp.log"),
        RECTIFY_USER="admin",
        RECTIFY_PASSWORD="admin-password-1",
    )
    return env


def _killed(args: list[str], env: dict[str, str], after: float) -> None:
    proc = subprocess.Popen(
        [RECTIFY, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    time.sleep(after)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)


def test_kill_9_during_import_and_rebuild(db_url: str, tmp_path: Path) -> None:
    env = _env(db_url, tmp_path)
    subprocess.run(
        [RECTIFY, "init", "--user", "admin", "--password-stdin"],
        input="admin-password-1\n",
        env=env,
        text=True,
        check=True,
        capture_output=True,
    )
    with open_house(db_url) as house, house.store.engine.connect() as conn:
        before = conn.execute(select(func.count()).select_from(house.store.events)).scalar_one()
    for delay in (0.8, 1.6, 2.4):
        _killed(["import", "evaluation", str(WEIBIN)], env, delay)
        with open_house(db_url) as house, house.store.engine.connect() as conn:
            count = conn.execute(select(func.count()).select_from(house.store.events)).scalar_one()
            assert count == before or count > before + 40  # all of the import, or none of it
            assert seal.verify(conn, house.store.events).ok
    subprocess.run(
        [RECTIFY, "import", "evaluation", str(WEIBIN)], env=env, check=True, capture_output=True
    )
    _killed(["rebuild", "--batch", "5"], env, 1.5)
    with open_house(db_url) as house:
        house.catch_up()
        with house.store.engine.connect() as conn:
            after_kill = sorted(
                tuple(r) for r in conn.execute(select(findings.c.ref, findings.c.status))
            )
            assert seal.verify(conn, house.store.events).ok
        house.store.runner.rebuild()
        with house.store.engine.connect() as conn:
            rebuilt = sorted(
                tuple(r) for r in conn.execute(select(findings.c.ref, findings.c.status))
            )
    assert after_kill == rebuilt and rebuilt
