"""Opening evidence: written to a private temporary file with its own name and bytes,
opened with the system's program when a desktop is there (a real program on PATH
here), else the TUI says where the file is."""

from __future__ import annotations

import os
import time
from datetime import date
from pathlib import Path

import pytest

from rectify.tui.opener import open_file, private_copy, system_opener
from tests.tui.conftest import PRINCIPALS, R1, World, settle, sync


def test_which_program_opens_a_file() -> None:
    assert system_opener({}, "linux") is None  # no desktop (e.g. over SSH)
    assert system_opener({"DISPLAY": ":0"}, "darwin") == ["open"]
    assert system_opener({}, "darwin") == ["open"]


def test_a_real_opener_is_started_with_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    seen = tmp_path / "seen.txt"
    opener = bin_dir / "xdg-open"
    opener.write_text(f"#!/bin/sh\nprintf '%s' \"$1\" > {seen}\n")
    opener.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    copy = private_copy("../报告.pdf", b"%PDF")
    assert copy.name == "报告.pdf" and copy.read_bytes() == b"%PDF"
    assert oct(copy.parent.stat().st_mode & 0o777) == "0o700"
    assert open_file(copy, {"DISPLAY": ":0"}) is True
    for _ in range(200):
        if seen.exists() and seen.read_text():
            break
        time.sleep(0.02)
    assert seen.read_text() == str(copy)
    assert open_file(copy, {}) is False


@sync
async def test_v_on_evidence_writes_the_file_and_names_it(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    source = tmp_path / "整改报告.pdf"
    source.write_bytes(b"%PDF-1.4 evidence")
    with world.house.acting(PRINCIPALS["department"]):
        eid = world.house.evidence.submit_evidence(
            source, effective_date=date(2026, 1, 10), finding_ref=R1
        )
        world.house.findings.attach_evidence(R1, eid)
    app = world.app("department", finding=R1)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        [note] = [n.message for n in app._notifications]
        assert "没有可用的系统打开程序" in note
        written = Path(note.split()[-1])
        assert written.name == "整改报告.pdf" and written.read_bytes() == b"%PDF-1.4 evidence"
