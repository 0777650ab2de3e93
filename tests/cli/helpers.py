"""Running the real `rectify` command as a separate process."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

RECTIFY = str(Path(sys.executable).with_name("rectify"))
ADMIN_PASSWORD = "bureau-secret-1"


@dataclass
class Cli:
    env: dict[str, str]

    def run(
        self, *args: str, input: str | None = None, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [RECTIFY, *args],
            input=input,
            capture_output=True,
            text=True,
            env={**self.env, **(env or {})},
            timeout=120,
            check=False,
        )
        assert "Traceback" not in result.stderr, result.stderr
        return result

    def ok(self, *args: str, input: str | None = None, env: dict[str, str] | None = None) -> str:
        result = self.run(*args, input=input, env=env)
        assert result.returncode == 0, (
            f"rectify {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        )
        return result.stdout


def make_cli(db_url: str, tmp_path: Path) -> Cli:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECTIFY_")}
    env.update(
        RECTIFY_DB=db_url,
        RECTIFY_SESSION_FILE=str(tmp_path / "session.json"),
        COLUMNS="200",
    )
    return Cli(env)


def in_process_env(
    monkeypatch: pytest.MonkeyPatch, db_url: str, tmp_path: Path, **more: str
) -> None:
    """The environment for `rectify.cli.main.main([...])` in this process: no RECTIFY_*
    left over from the caller, the store `db_url`, blobs and session under `tmp_path`,
    then `more` (RECTIFY_USER=..., COLUMNS=...)."""
    for key in list(os.environ):
        if key.startswith("RECTIFY_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("RECTIFY_DB", db_url)
    monkeypatch.setenv("RECTIFY_BLOB_DIR", str(tmp_path / "blobs"))
    monkeypatch.setenv("RECTIFY_SESSION_FILE", str(tmp_path / "session.json"))
    for key, value in more.items():
        monkeypatch.setenv(key, value)
