"""`rectify targets ...` in-process through rectify.cli.main.main, on SQLite and PostgreSQL:
declare from a file, revise with a reason, the other version of seed 004, show --as-of,
history, and bad input (no unit, unknown operator, another department) recording nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rectify.bootstrap import House
from tests.cli.cycle_helpers import cli_env, count_events, run, targets_file

__all__ = ["cli_env"]


def test_targets_declared_revised_and_shown_as_of(
    cli_env: House,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    house = cli_env
    # Bad input first: nothing is recorded, a Chinese message names the file and JSON path.
    before = count_events(house)
    code, _, err = run(
        capsys, "targets", "declare", str(targets_file(tmp_path, rows={0: {"unit": None}}))
    )
    assert code != 0 and "$.targets[0]：定量指标须有计量单位" in err and "Traceback" not in err
    code, _, err = run(
        capsys, "targets", "declare", str(targets_file(tmp_path, rows={1: {"operator": "约"}}))
    )
    assert code != 0 and "$.targets[1]：运算符 '约' 未知" in err
    code, _, err = run(
        capsys, "targets", "declare", str(targets_file(tmp_path, rows={1: {"unti": "%"}}))
    )
    assert code != 0 and "$.targets[1].unti：未知字段" in err
    assert count_events(house) == before

    assert run(capsys, "targets", "declare", str(targets_file(tmp_path)))[0] == 0
    code, out, _ = run(
        capsys,
        "targets",
        "revise",
        "WB-GXJ",
        "2024",
        "T1",
        "--value",
        "30",
        "--reason",
        "新财预〔2024〕12号调减",
        "--effective",
        "2024-07-01",
    )
    assert code == 0 and ">=30次" in out and "新财预〔2024〕12号调减" in out
    code, _, err = run(
        capsys, "targets", "revise", "WB-GXJ", "2024", "T1", "--value", "25", "--reason", "  "
    )
    assert code != 0 and "须说明理由" in err
    # Seed 004: the narrative states another target than the table.
    assert (
        run(
            capsys,
            "targets",
            "note",
            "WB-GXJ",
            "2024",
            "T2",
            "--source",
            "报告正文",
            "--operator",
            "≥",
            "--value",
            "95",
            "--unit",
            "%",
        )[0]
        == 0
    )

    def shown(day: str | None) -> dict[str, Any]:
        extra = ["--as-of", day] if day else []
        code, out, err = run(capsys, "targets", "show", "WB-GXJ", "2024", *extra, "--json")
        assert code == 0, err
        return {t["code"]: t for t in json.loads(out)["targets"]}

    assert shown("2024-06-30")["T1"]["value"] == "40"
    july = shown("2024-07-01")
    assert (
        july["T1"]["value"] == "30"
        and july["T1"]["revisions"] == 1
        and "12号" in july["T1"]["reason"]
    )
    assert july["T2"]["other_versions"] == ["报告正文：>=95%"]
    assert shown("2024-01-14") == {}
    code, out, _ = run(capsys, "targets", "show", "WB-GXJ", "2024", "--as-of", "2024-07-01")
    assert code == 0 and "企业服务次数" in out and "数量指标" in out
    code, out, _ = run(capsys, "targets", "history", "WB-GXJ", "2024", "--json")
    kinds = [(h["code"], h["kind"]) for h in json.loads(out)]
    assert kinds == [("T1", "declared"), ("T2", "declared"), ("T1", "revised"), ("T2", "version")]
    code, _, err = run(capsys, "targets", "show", "WB-GXJ", "2024", "--as-of", "2024-13-01")
    assert code != 0 and "2024-13-01" in err and "不存在" in err

    # A department user: its own department only, for reading and for writing.
    monkeypatch.setenv("RECTIFY_USER", "gxj")
    assert run(capsys, "targets", "show", "WB-GXJ", "2024", "--json")[0] == 0
    before = count_events(house)
    code, _, err = run(
        capsys, "targets", "declare", str(targets_file(tmp_path, department="WB-CZJ"))
    )
    assert code == 1 and "部门 WB-CZJ 不存在" in err  # as a missing department: reveals nothing
    code, _, err = run(capsys, "targets", "show", "WB-CZJ", "2024")
    assert code == 1 and "部门 WB-CZJ 2024 年度尚未申报绩效目标" in err
    assert count_events(house) == before
