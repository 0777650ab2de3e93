"""One department through a whole fiscal year on the Weibin data, through the CLI
(in-process, rectify.cli.main.main), on SQLite and PostgreSQL, the clock moved day to
day: targets declared; monitoring filed, a warning turned into a finding; the
self-evaluation entered and submitted; the review recorded with a deviation; a comment
round withdrawing one finding and raising one score; the final stage fixed; the
problem list issued; the result applied to the next year's budget. Then
`evaluation show --as-of` gives each date's state."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rectify.bootstrap import House
from tests.cli.cycle_helpers import cli_env, run, targets_file
from tests.cli.test_monitoring_cli import report
from tests.conftest import WEIBIN

__all__ = ["cli_env"]
KEY = "WB-GXJ/2024/department"


def test_a_fiscal_year(
    cli_env: House,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def on(day: str, user: str, *args: str) -> str:
        monkeypatch.setenv("RECTIFY_TODAY", day)  # the house clock, and so the events' dates
        monkeypatch.setenv("RECTIFY_USER", user)
        code, out, err = run(capsys, *args)
        assert code == 0, f"{day} {user} {' '.join(args)}:\n{out}\n{err}"
        return out

    def total(day: str) -> tuple[int, dict[str, object]]:
        code, out, err = run(capsys, "evaluation", "show", KEY, "--as-of", day, "--json")
        return code, (json.loads(out) if code == 0 else {"error": err})

    # 目标申报 with the budget; 绩效监控 planned by the bureau.
    on("2024-01-15", "gxj", "targets", "declare", str(targets_file(tmp_path)))
    on(
        "2024-01-20",
        "admin",
        "monitoring",
        "plan",
        "WB-GXJ",
        "2024",
        "--period",
        "H1:2024-01-01:2024-06-30:2024-07-15",
        "--self-evaluation-due",
        "2025-03-31",
    )
    out = on("2024-07-10", "gxj", "monitoring", "file", str(report(tmp_path)))
    assert "预警 2 条" in out
    on(
        "2024-07-20",
        "admin",
        "monitoring",
        "to-finding",
        "WB-GXJ",
        "2024",
        "WB-GXJ/2024/H1/W2",
        "--title",
        "企业服务次数预计完不成年度目标",
    )
    # The evaluation is registered with its tree (the Weibin package), then 自评 and 复核.
    on("2025-03-05", "admin", "import", "evaluation", str(WEIBIN))
    on("2025-03-10", "gxj", "review", "self", KEY, "B1.2", "2.00")
    on("2025-03-20", "gxj", "review", "submit", "WB-GXJ", "2024")
    on(
        "2025-04-15",
        "admin",
        "review",
        "record",
        KEY,
        "B1.2",
        "0.50",
        "--note",
        "调整率−37.52%，超出±10%",
    )
    deviation = json.loads(
        on("2025-04-16", "admin", "review", "deviation", KEY, "--indicator", "B1.2", "--json")
    )
    assert deviation[0]["deviation"] == "-1.50"
    # 征求意见: one finding withdrawn, one score raised; the final stage fixed.
    on("2025-08-10", "admin", "comments", "open", KEY, "--deadline", "2025-08-20")
    on(
        "2025-08-15",
        "gxj",
        "comments",
        "reply",
        KEY,
        "--finding",
        "WB-GXJ/2024/02",
        "--disagree",
        "--reasons",
        "目标已细化量化，见附件",
    )
    on(
        "2025-08-18",
        "gxj",
        "comments",
        "reply",
        KEY,
        "--score",
        "B1.2",
        "--disagree",
        "--reasons",
        "调整系上级追加",
        "--proposed",
        "1.00",
    )
    on("2025-08-25", "admin", "comments", "respond", KEY, "R1", "--accept", "--reason", "附件属实")
    on(
        "2025-08-25",
        "admin",
        "comments",
        "respond",
        KEY,
        "R2",
        "--accept",
        "--reason",
        "追加有文件依据",
    )
    on("2025-08-28", "admin", "comments", "close", KEY)
    # 问题清单 issued; 结果应用 to the next year's budget.
    for ref in ("WB-GXJ/2024/01", "WB-GXJ/2024/H1/预警2"):
        on(
            "2025-09-05",
            "admin",
            "findings",
            "issue",
            ref,
            "--class",
            "immediate",
            "--requirements",
            "按期整改",
        )
    on("2025-09-08", "admin", "budget", "open", "WB-GXJ", "2026", "--line", "basic:基本支出:120.00")
    on(
        "2025-09-10",
        "admin",
        "results",
        "policy",
        "--band",
        "优:90::priority",
        "--band",
        "良:80:90:keep",
        "--band",
        "中:60:80:cut:10",
        "--band",
        "差:0:60:suspend",
        "--reason",
        "卫财〔2025〕8号",
    )
    on(
        "2025-09-12",
        "admin",
        "results",
        "decide",
        KEY,
        "--budget-year",
        "2026",
        "--reason",
        "良，按政策维持",
    )
    shown = json.loads(on("2025-09-12", "gxj", "results", "show", "WB-GXJ", "2026", "--json"))
    assert shown["budget"]["initial"] == "120.00"
    [decision] = shown["decisions"]
    assert (decision["grade"], decision["consequence"], decision["actor"]) == (
        "良",
        "keep",
        "admin",
    )
    [rectification] = shown["rectification"]
    assert (rectification["total"], rectification["withdrawn"]) == (3, 1)

    # `evaluation show --as-of` gives each date's state.
    code, before = total("2025-03-04")
    assert code != 0 and "尚未登记" in str(before["error"])
    assert total("2025-03-05")[1]["total"] == "87.66"
    assert total("2025-08-24")[1]["total"] == "87.66"
    assert total("2025-08-25")[1]["total"] == "88.66"
    code, out, _ = run(
        capsys, "evaluation", "show", KEY, "--as-of", "2025-03-12", "--stage", "self", "--json"
    )
    assert next(n for n in json.loads(out)["nodes"] if n["code"] == "B1.2")["score"] == "2.00"
    code, out, _ = run(
        capsys, "evaluation", "show", KEY, "--as-of", "2025-08-27", "--stage", "final", "--json"
    )
    assert code == 0 and json.loads(out)["total"] != "88.66"  # not yet fixed
    code, out, _ = run(
        capsys, "evaluation", "show", KEY, "--as-of", "2025-08-28", "--stage", "final", "--json"
    )
    assert json.loads(out)["total"] == "88.66"
    # And the targets and monitoring state on their dates.
    code, out, _ = run(
        capsys, "targets", "show", "WB-GXJ", "2024", "--as-of", "2024-01-14", "--json"
    )
    assert json.loads(out)["targets"] == []
    code, out, _ = run(capsys, "monitoring", "show", "WB-GXJ", "2024", "--json")
    periods = {p["period"]: p for p in json.loads(out)}
    assert (periods["自评"]["status"], periods["自评"]["late"]) == ("filed", False)
