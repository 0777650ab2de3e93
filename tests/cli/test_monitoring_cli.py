"""`rectify monitoring ...` in-process on SQLite and PostgreSQL: a plan with due dates, a
report raising two warnings (execution behind time, a target expected to miss), one
warning turned into a finding with one action, the overdue scan, a late filing
recorded as late; bad input naming what and where, recording nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rectify.bootstrap import House
from tests.cli.cycle_helpers import cli_env, count_events, run, targets_file

__all__ = ["cli_env"]


def report(tmp_path: Path, **changes: Any) -> Path:
    doc: dict[str, Any] = {
        "format": "rectify/monitoring@1",
        "department": "WB-GXJ",
        "fiscal_year": 2024,
        "period": "H1",
        "filed_on": "2024-07-10",
        "execution": {"budget": 533.63, "spent": 180.00},
        "values": [
            {
                "code": "T1",
                "reached": 12,
                "expected": 30,
                "cause": "汛期走访减少",
                "measure": "下半年加密走访",
            },
            {"code": "T2", "reached": 91, "expected": 92},
        ],
    }
    doc.update(changes)
    path = tmp_path / f"report-{len(list(tmp_path.iterdir()))}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_year_of_monitoring(
    cli_env: House,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    house = cli_env
    assert run(capsys, "targets", "declare", str(targets_file(tmp_path)))[0] == 0
    code, _, err = run(
        capsys,
        "monitoring",
        "plan",
        "WB-GXJ",
        "2024",
        "--period",
        "H1:2024-01-01:2024-06-30:2024-06-01",
    )
    assert code != 0 and "早于期间结束日" in err
    code, out, err = run(
        capsys,
        "monitoring",
        "plan",
        "WB-GXJ",
        "2024",
        "--period",
        "H1:2024-01-01:2024-06-30:2024-07-15",
        "--period",
        "Q3:2024-07-01:2024-09-30:2024-10-15",
    )
    assert code == 0, err

    before = count_events(house)
    bad = [
        (report(tmp_path, period="H3"), "没有期间 H3"),
        (report(tmp_path, values=[{"code": "T9", "expected": 1}]), "$.values[0]：指标 'T9' 不在"),
        (
            report(tmp_path, values=[{"code": "T1", "expected": 30}]),
            "$.values[0]：指标 T1 预计偏差 25.00%，须填写偏差原因",
        ),
        (report(tmp_path, execution={"budget": 0, "spent": 1}), "须给出预算数"),
        (
            report(tmp_path, values=[{"code": "T1", "expected": "三十"}]),
            "$.values[0].expected：应为数字",
        ),
    ]
    for path, message in bad:
        code, _, err = run(capsys, "monitoring", "file", str(path))
        assert code != 0 and message in err, err
        assert "Traceback" not in err
    monkeypatch.setenv("RECTIFY_USER", "gxj")
    code, _, err = run(capsys, "monitoring", "file", str(report(tmp_path, department="WB-CZJ")))
    # Another department's plan reads exactly as a missing one (a refusal reveals nothing).
    assert code == 1 and "部门 WB-CZJ 2024 年度尚无监控计划" in err
    assert count_events(house) == before

    # The department files its own report; the rules raise two warnings.
    code, out, err = run(capsys, "monitoring", "file", str(report(tmp_path)))
    assert code == 0, err
    assert "预警 2 条" in out and "WB-GXJ/2024/H1/W1" in out
    code, _, err = run(capsys, "monitoring", "to-finding", "WB-GXJ", "2024", "WB-GXJ/2024/H1/W2")
    assert code != 0 and "不能将预警转为问题" in err

    monkeypatch.setenv("RECTIFY_USER", "admin")
    code, out, _ = run(capsys, "monitoring", "show", "WB-GXJ", "2024", "--json")
    [h1, q3] = json.loads(out)
    assert (h1["status"], h1["late"], h1["execution_rate"], h1["time_elapsed"]) == (
        "filed",
        False,
        "33.73",
        "49.73",
    )
    assert [w["kind"] for w in h1["warnings"]] == ["execution_lag", "target_miss"]
    t1 = next(v for v in h1["values"] if v["code"] == "T1")
    assert (t1["deviation"], t1["cause"]) == ("25.00", "汛期走访减少")
    assert q3["status"] == "owed"

    # One action: the warning becomes a finding on the problem list.
    code, out, err = run(capsys, "monitoring", "to-finding", "WB-GXJ", "2024", "WB-GXJ/2024/H1/W2")
    assert code == 0, err
    ref = "WB-GXJ/2024/H1/预警2"
    code, out, err = run(capsys, "findings", "show", ref, "--json")
    assert code == 0 and json.loads(out)["finding"]["indicator_codes"] == ["T1"]
    code, _, err = run(capsys, "monitoring", "to-finding", "WB-GXJ", "2024", "WB-GXJ/2024/H1/W2")
    assert code != 0 and "已转为问题" in err

    # The scheduler's scan: Q3 is overdue after 2024-10-15, marked once.
    code, out, _ = run(capsys, "monitoring", "overdue", "--today", "2024-10-15", "--json")
    assert json.loads(out) == []
    code, out, _ = run(capsys, "monitoring", "overdue", "--today", "2024-10-16", "--json")
    assert json.loads(out) == [{"department": "WB-GXJ", "fiscal_year": 2024, "period": "Q3"}]
    assert (
        json.loads(run(capsys, "monitoring", "overdue", "--today", "2024-10-17", "--json")[1]) == []
    )
    # A late report is recorded as late, not refused.
    code, out, err = run(
        capsys,
        "monitoring",
        "file",
        str(
            report(
                tmp_path,
                period="Q3",
                filed_on="2024-10-20",
                execution={"budget": 533.63, "spent": 400},
            )
        ),
    )
    assert code == 0, err
    code, out, _ = run(capsys, "monitoring", "show", "WB-GXJ", "2024")
    assert "已报送（逾期报送）" in out and "→ 问题 WB-GXJ/2024/H1/预警2" in out
