"""`rectify budget open`, in-process on SQLite and PostgreSQL: the next year's 年初预算
opened from the CLI and shown beside the result decision for that year; bad input
refused with a clear message naming what and where, nothing recorded."""

from __future__ import annotations

import json

import pytest

from rectify.bootstrap import House
from tests.cli.cycle_helpers import cli_env, count_events, run
from tests.conftest import WEIBIN

__all__ = ["cli_env"]
KEY = "WB-GXJ/2024/department"
LINES = ["--line", "basic:基本支出:120:basic", "--line", "p1:企业服务专项:30.5:project"]


def _decide(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "import", "evaluation", str(WEIBIN))[0] == 0
    bands = ["优:90::priority", "良:80:90:keep", "中:60:80:cut:10", "差:0:60:suspend"]
    args = [a for b in bands for a in ("--band", b)]
    assert run(capsys, "results", "policy", *args, "--reason", "卫财〔2025〕8号")[0] == 0
    code, _, err = run(capsys, "results", "decide", KEY, "--reason", "按政策")
    assert code == 0, err


def test_the_next_years_budget_opens_beside_its_result_decision(
    cli_env: House, capsys: pytest.CaptureFixture[str]
) -> None:
    _decide(capsys)
    code, out, err = run(capsys, "budget", "open", "WB-GXJ", "2025", *LINES, "--json")
    assert code == 0, err
    shown = json.loads(out)
    assert (shown["initial"], shown["unit"]) == ("150.5", "万元")
    assert [ln["initial"] for ln in shown["lines"]] == ["120", "30.5"]
    [decision] = shown["decisions"]
    assert (decision["evaluation_key"], decision["budget_year"]) == (KEY, 2025)
    # `results show` (the query) has the same budget beside the same decision.
    code, out, _ = run(capsys, "results", "show", "WB-GXJ", "2025", "--json")
    view = json.loads(out)
    assert view["budget"]["initial"] == "150.5" and len(view["decisions"]) == 1
    # A year with no decision yet says so, in Chinese.
    code, out, _ = run(capsys, "budget", "open", "WB-GXJ", "2026", "--line", "basic:基本支出:1")
    assert code == 0 and "已登记 WB-GXJ 2026 年度年初预算 1万元（1 行）" in out
    assert "尚无结果应用决定" in out


def test_bad_budgets_are_refused_and_nothing_is_recorded(
    cli_env: House, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    house = cli_env
    assert run(capsys, "budget", "open", "WB-GXJ", "2025", *LINES)[0] == 0
    before = count_events(house)
    for args, message in [
        (["WB-GXJ", "2025", *LINES], "预算 WB-GXJ/2025 已登记：调整请用 rectify budget adjust"),
        (["WB-XXX", "2026", *LINES], "部门 WB-XXX 不存在"),
        (["WB-GXJ", "2026", "--line", "basic:基本支出"], "--line[1] 'basic:基本支出' 应为"),
        (
            ["WB-GXJ", "2026", "--line", "basic:基本支出:一百"],
            "--line[1] 'basic:基本支出:一百' 的金额",
        ),
        (["WB-GXJ", "2026", "--line", "a:甲:1", "--line", "a:乙:2"], "预算行 a 重复"),
        (["WB-GXJ", "2026", "--line", "a::1"], "预算行 a 没有名称"),
        (["WB-GXJ", "2026", "--line", "a:甲:-1"], "预算行 a 的金额 -1 超出范围"),
        (["WB-GXJ", "2026", "--line", "a:甲:1:other"], "性质 'other' 应为 basic 或 project"),
        (["WB-GXJ", "2026", "--line", "a:甲:1", "--unit", "亿元"], "金额单位 '亿元' 应为 万元或元"),
    ]:
        code, _, err = run(capsys, "budget", "open", *args)
        assert code != 0 and message in err, (args, err)
        assert "Traceback" not in err
    monkeypatch.setenv("RECTIFY_USER", "gxj")
    code, _, err = run(capsys, "budget", "open", "WB-GXJ", "2026", "--line", "a:甲:1")
    assert code != 0 and "登记年初预算" in err, err
    assert count_events(house) == before
