"""`rectify targets ...` in-process through rectify.cli.main.main, on SQLite and PostgreSQL:
declare from a file, revise with a reason, the other version of seed 004, show --as-of,
history, and bad input (no unit, unknown operator, another department) recording nothing."""

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
def cli_env(house: House, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[House]:
    admin = house.people.bootstrap_first_user("admin", PASSWORD, "管理员")
    with house.acting(admin):
        for code in ("WB-GXJ", "WB-CZJ"):
            house.findings.save_all(house.findings.department_for(code, code, None))
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
        "format": "rectify/targets@1", "department": "WB-GXJ", "fiscal_year": 2024, "project": None,
        "effective": "2024-01-15",
        "targets": [
            {"code": "T1", "name": "企业服务次数", "category": "quantity", "operator": "≥", "value": 40, "unit": "次", "source": "目标表"},
            {"code": "T2", "name": "企业满意度", "category": "satisfaction", "operator": "≥", "value": 90, "unit": "%"},
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


def test_targets_declared_revised_and_shown_as_of(
    cli_env: House, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    house = cli_env
    # Bad input first: nothing is recorded, a Chinese message names the file and JSON path.
    before = count_events(house)
    code, _, err = run(capsys, "targets", "declare", str(targets_file(tmp_path, rows={0: {"unit": None}})))
    assert code != 0 and "$.targets[0]：定量指标须有计量单位" in err and "Traceback" not in err
    code, _, err = run(capsys, "targets", "declare", str(targets_file(tmp_path, rows={1: {"operator": "约"}})))
    assert code != 0 and "$.targets[1]：运算符 '约' 未知" in err
    code, _, err = run(capsys, "targets", "declare", str(targets_file(tmp_path, rows={1: {"unti": "%"}})))
    assert code != 0 and "$.targets[1].unti：未知字段" in err
    assert count_events(house) == before

    assert run(capsys, "targets", "declare", str(targets_file(tmp_path)))[0] == 0
    code, out, _ = run(capsys, "targets", "revise", "WB-GXJ", "2024", "T1", "--value", "30",
                       "--reason", "新财预〔2024〕12号调减", "--effective", "2024-07-01")
    assert code == 0 and ">=30次" in out and "新财预〔2024〕12号调减" in out
    code, _, err = run(capsys, "targets", "revise", "WB-GXJ", "2024", "T1", "--value", "25", "--reason", "  ")
    assert code != 0 and "须说明理由" in err
    # Seed 004: the narrative states another target than the table.
    assert run(capsys, "targets", "note", "WB-GXJ", "2024", "T2", "--source", "报告正文",
               "--operator", "≥", "--value", "95", "--unit", "%")[0] == 0

    def shown(day: str | None) -> dict[str, Any]:
        extra = ["--as-of", day] if day else []
        code, out, err = run(capsys, "targets", "show", "WB-GXJ", "2024", *extra, "--json")
        assert code == 0, err
        return {t["code"]: t for t in json.loads(out)["targets"]}

    assert shown("2024-06-30")["T1"]["value"] == "40"
    july = shown("2024-07-01")
    assert july["T1"]["value"] == "30" and july["T1"]["revisions"] == 1 and "12号" in july["T1"]["reason"]
    assert july["T2"]["other_versions"] == ["报告正文：>=95%"]
    assert shown("2024-01-14") == {}
    code, out, _ = run(capsys, "targets", "show", "WB-GXJ", "2024", "--as-of", "2024-07-01")
    assert code == 0 and "企业服务次数" in out and "数量指标" in out
    code, out, _ = run(capsys, "targets", "history", "WB-GXJ", "2024", "--json")
    kinds = [(h["code"], h["kind"]) for h in json.loads(out)]
    assert kinds == [("T1", "declared"), ("T2", "declared"), ("T1", "revised"), ("T2", "version")]
    code, _, err = run(capsys, "targets", "show", "WB-GXJ", "2024", "--as-of", "2024-13-01")
    assert code != 0 and "不是 YYYY-MM-DD" in err

    # A department user: its own department only, for reading and for writing.
    monkeypatch.setenv("RECTIFY_USER", "gxj")
    assert run(capsys, "targets", "show", "WB-GXJ", "2024", "--json")[0] == 0
    before = count_events(house)
    code, _, err = run(capsys, "targets", "declare", str(targets_file(tmp_path, department="WB-CZJ")))
    assert code != 0 and "只能操作本部门 WB-GXJ" in err
    code, _, err = run(capsys, "targets", "show", "WB-CZJ", "2024")
    assert code != 0 and "只能查看本部门" in err
    assert count_events(house) == before
