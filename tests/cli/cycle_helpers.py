"""Shared set-up for the yearly-cycle CLI tests, run in-process through
rectify.cli.main.main: a house with two departments, a bureau admin and a department
user, and the environment pointing the CLI at it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rectify.bootstrap import House
from rectify.cli.main import main
from rectify.domain.identity import Role

PASSWORD = "bureau-secret-1"


@pytest.fixture
def cli_env(
    house: House, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[House]:
    admin = house.people.bootstrap_first_user("admin", PASSWORD, "管理员")
    with house.acting(admin):
        for code in ("WB-GXJ", "WB-CZJ"):
            house.findings.app.save_all(house.findings.register_department(code, code, None))
        house.people.add_user("gxj", Role.DEPARTMENT, PASSWORD, "工信局", department_code="WB-GXJ")
    monkeypatch.setenv("RECTIFY_DB", db_url)
    monkeypatch.setenv("RECTIFY_SESSION_FILE", str(tmp_path / "session.json"))
    monkeypatch.setenv("RECTIFY_BLOB_DIR", str(tmp_path / "blobs"))
    monkeypatch.setenv("RECTIFY_USER", "admin")
    monkeypatch.setenv("RECTIFY_PASSWORD", PASSWORD)
    monkeypatch.setenv("COLUMNS", "200")
    yield house


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def targets_file(tmp_path: Path, **changes: Any) -> Path:
    doc = {
        "format": "rectify/targets@1",
        "department": "WB-GXJ",
        "fiscal_year": 2024,
        "project": None,
        "effective": "2024-01-15",
        "targets": [
            {
                "code": "T1",
                "name": "企业服务次数",
                "category": "quantity",
                "operator": "≥",
                "value": 40,
                "unit": "次",
                "source": "目标表",
            },
            {
                "code": "T2",
                "name": "企业满意度",
                "category": "satisfaction",
                "operator": "≥",
                "value": 90,
                "unit": "%",
            },
        ],
    }
    for i, row in changes.pop("rows", {}).items():
        doc["targets"][i].update(row)  # type: ignore[index]
    doc.update(changes)
    path = tmp_path / f"targets-{len(list(tmp_path.iterdir()))}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def count_events(house: House) -> int:
    return house.store.app.recorder.max_notification_id() or 0
