"""`rectify results ...` bad input, in-process on SQLite and PostgreSQL: overlapping grade
bands, a cut with no share, an unknown consequence, a department setting the policy,
deciding twice or without a policy — each a clear Chinese error, nothing recorded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rectify.bootstrap import House
from tests.cli.cycle_helpers import cli_env, count_events, run
from tests.conftest import WEIBIN

__all__ = ["cli_env"]
KEY = "WB-GXJ/2024/department"


def test_result_policy_and_decision_refusals(
    cli_env: House,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    house = cli_env
    assert run(capsys, "import", "evaluation", str(WEIBIN))[0] == 0
    before = count_events(house)
    code, _, err = run(capsys, "results", "decide", KEY, "--reason", "x")
    assert code != 0 and "尚未设定结果应用政策" in err
    for bands, message in [
        (["优:90::priority", "良:80:95:keep"], "等级 良 [80, 95) 与 优 [90, ∞) 分数段重叠"),
        (["中:60:80:cut"], "--band[0]：核减须给出比例 share"),
        (["优:90::reward"], "--band[0]：后果 'reward' 未知"),
        (["优:九十::priority"], "--band[0].min：'九十' 不是数字"),
        (["优:90"], "--band[0] '优:90' 应为"),
    ]:
        args = [a for b in bands for a in ("--band", b)]
        code, _, err = run(capsys, "results", "policy", *args, "--reason", "文件")
        assert code != 0 and message in err, err
        assert "Traceback" not in err
    monkeypatch.setenv("RECTIFY_USER", "gxj")
    code, _, err = run(capsys, "results", "policy", "--band", "优:0::priority", "--reason", "文件")
    assert code != 0 and "只有财政局可以" in err
    assert count_events(house) == before

    monkeypatch.setenv("RECTIFY_USER", "admin")
    assert (
        run(
            capsys,
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
        )[0]
        == 0
    )
    code, _, err = run(
        capsys, "results", "decide", KEY, "--consequence", "cut", "--reason", "执行率低于要求"
    )
    assert code != 0 and "核减须给出比例 --share" in err
    assert (
        run(
            capsys,
            "results",
            "decide",
            KEY,
            "--consequence",
            "cut",
            "--share",
            "5",
            "--reason",
            "预算调整率过高，酌情核减",
        )[0]
        == 0
    )
    code, _, err = run(capsys, "results", "decide", KEY, "--reason", "again")
    assert code != 0 and "已决定" in err
    code, out, _ = run(capsys, "results", "show", "WB-GXJ", "2025", "--json")
    [d] = json.loads(out)["decisions"]
    assert (d["consequence"], d["share"], d["reason"]) == ("cut", "5", "预算调整率过高，酌情核减")
