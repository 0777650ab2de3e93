"""`findings show` prints the timeline in Chinese: labels, detail names, Beijing time."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from rectify.cli import output
from rectify.cli.main import main
from tests.conftest import WEIBIN

REF = "WB-GXJ/2024/01"


def test_timeline_details_have_chinese_labels(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("RECTIFY_USER", "RECTIFY_PASSWORD", "RECTIFY_BLOB_DIR", "RECTIFY_TODAY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RECTIFY_DB", f"sqlite:///{tmp_path / 'r.db'}")
    monkeypatch.setenv("RECTIFY_SESSION_FILE", str(tmp_path / "session.json"))
    monkeypatch.setattr("sys.stdin", io.StringIO("bureau-secret-1\n"))
    monkeypatch.setattr(output.console, "width", 400)
    assert main(["init", "--user", "admin", "--password-stdin"]) == 0
    assert main(["import", "evaluation", str(WEIBIN)]) == 0
    issue = ["findings", "issue", REF, "--class", "phased", "--on", "2025-09-01"]
    assert main([*issue, "--due", "2025-12-31", "--requirements", "完善测算"]) == 0
    capsys.readouterr()

    assert main(["findings", "show", REF]) == 0
    shown = capsys.readouterr().out
    assert "整改时限 2025-12-31" in shown
    assert "整改类别 分阶段整改" in shown
    assert "整改要求 完善测算" in shown
    assert "北京时间" in shown
    for raw in ("rectification_class", "due=", "phased", "requirements"):
        assert raw not in shown, raw
