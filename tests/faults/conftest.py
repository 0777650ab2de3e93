"""In-process `rectify` for the fault tests: the real argument parser and store,
without paying for a process per command."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy

from rectify.cli.main import main
from rectify.domain.application import EVENTS_TABLE

ADMIN_PASSWORD = "bureau-secret-1"


@dataclass
class Run:
    code: int
    out: str
    err: str


@dataclass
class InProcess:
    db_url: str
    monkeypatch: pytest.MonkeyPatch
    capsys: pytest.CaptureFixture[str]

    def __call__(self, *args: str, stdin: str = "") -> Run:
        self.capsys.readouterr()
        self.monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(list(args))
        captured = self.capsys.readouterr()
        return Run(code, captured.out, captured.err)

    def ok(self, *args: str, stdin: str = "") -> str:
        run = self(*args, stdin=stdin)
        assert run.code == 0, f"rectify {' '.join(args)} → {run.code}\n{run.out}\n{run.err}"
        return run.out

    def event_count(self) -> int:
        engine = sqlalchemy.create_engine(self.db_url)
        try:
            with engine.connect() as conn:
                return int(
                    conn.execute(
                        sqlalchemy.text(f"select count(*) from {EVENTS_TABLE}")
                    ).scalar_one()
                )
        finally:
            engine.dispose()


@pytest.fixture
def rectify(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[InProcess]:
    for name in ("RECTIFY_USER", "RECTIFY_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RECTIFY_DB", db_url)
    monkeypatch.setenv("RECTIFY_SESSION_FILE", str(tmp_path / "session.json"))
    monkeypatch.setenv("COLUMNS", "200")
    run = InProcess(db_url, monkeypatch, capsys)
    run.ok("init", "--user", "admin", "--password-stdin", stdin=ADMIN_PASSWORD + "\n")
    yield run


def add_user(run: InProcess, name: str, role: str, department: str | None = None) -> str:
    password = f"{name}-password-1"
    args = ["user", "add", name, "--role", role, "--password-stdin"]
    if department:
        args += ["--department", department]
    run.ok(*args, stdin=password + "\n")
    return password


def as_user(run: InProcess, name: str, password: str) -> None:
    run.monkeypatch.setenv("RECTIFY_USER", name)
    run.monkeypatch.setenv("RECTIFY_PASSWORD", password)


def as_admin(run: InProcess) -> None:
    as_user(run, "admin", ADMIN_PASSWORD)
