"""`rectify comments ...` in-process on SQLite and PostgreSQL, on the Weibin evaluation:
the draft sent with a deadline, the department's replies (one late, recorded as late),
one finding withdrawn and one score raised on accepted replies, one rejection with its
reason kept, the final stage fixed on close; bad input recording nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rectify.bootstrap import House
from tests.cli.cycle_helpers import cli_env, count_events, run
from tests.conftest import WEIBIN

__all__ = ["cli_env"]
KEY = "WB-GXJ/2024/department"


def test_a_comment_round(
    cli_env: House,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    house = cli_env
    assert run(capsys, "import", "evaluation", str(WEIBIN))[0] == 0
    code, _, err = run(
        capsys, "comments", "open", KEY, "--deadline", "2025-08-01", "--on", "2025-08-10"
    )
    assert code != 0 and "早于发送日期" in err
    assert (
        run(capsys, "comments", "open", KEY, "--deadline", "2025-08-20", "--on", "2025-08-10")[0]
        == 0
    )

    monkeypatch.setenv("RECTIFY_USER", "gxj")
    before = count_events(house)
    for args, message in [
        (("--finding", "WB-GXJ/2024/09", "--agree"), "没有问题 WB-GXJ/2024/09"),
        (("--score", "Z9", "--agree"), "没有末级指标 Z9"),
        (("--score", "B1.2", "--disagree"), "有异议须说明理由"),
    ]:
        code, _, err = run(capsys, "comments", "reply", KEY, *args)
        assert code != 0 and message in err, err
    assert count_events(house) == before
    assert (
        run(
            capsys,
            "comments",
            "reply",
            KEY,
            "--finding",
            "WB-GXJ/2024/02",
            "--disagree",
            "--reasons",
            "绩效目标已按要求细化量化，见附件",
            "--on",
            "2025-08-15",
        )[0]
        == 0
    )
    assert (
        run(
            capsys,
            "comments",
            "reply",
            KEY,
            "--score",
            "B1.2",
            "--disagree",
            "--reasons",
            "调整系上级追加，不属于编制不精细",
            "--proposed",
            "1.00",
            "--on",
            "2025-08-18",
        )[0]
        == 0
    )
    code, out, _ = run(
        capsys,
        "comments",
        "reply",
        KEY,
        "--finding",
        "WB-GXJ/2024/01",
        "--disagree",
        "--reasons",
        "预算编制已按规定",
        "--on",
        "2025-08-22",
    )
    assert code == 0 and "逾期回复" in out
    code, _, err = run(capsys, "comments", "respond", KEY, "R1", "--accept", "--reason", "x")
    assert code != 0 and "不能答复部门意见" in err

    monkeypatch.setenv("RECTIFY_USER", "admin")
    code, _, err = run(capsys, "comments", "close", KEY)
    assert code != 0 and "尚有异议未答复：R1、R2、R3" in err
    assert (
        run(capsys, "comments", "respond", KEY, "R1", "--accept", "--reason", "附件证明目标已细化")[
            0
        ]
        == 0
    )
    assert (
        run(capsys, "comments", "respond", KEY, "R2", "--accept", "--reason", "追加有文件依据")[0]
        == 0
    )
    assert (
        run(
            capsys,
            "comments",
            "respond",
            KEY,
            "R3",
            "--reject",
            "--reason",
            "调整率−37.52%，超出±10%",
        )[0]
        == 0
    )
    code, _, err = run(capsys, "comments", "respond", KEY, "R3", "--accept", "--reason", "改主意")
    assert code != 0 and "已答复" in err
    assert run(capsys, "comments", "close", KEY, "--on", "2025-08-28")[0] == 0

    code, out, _ = run(capsys, "findings", "show", "WB-GXJ/2024/02", "--json")
    assert json.loads(out)["finding"]["status"] == "withdrawn"
    code, out, _ = run(capsys, "evaluation", "show", KEY, "--json")
    shown = json.loads(out)
    assert shown["total"] == "88.66"  # 87.66 + 1.00 on B1.2
    code, out, _ = run(capsys, "evaluation", "show", KEY, "--stage", "final", "--json")
    assert json.loads(out)["total"] == "88.66"
    code, out, _ = run(capsys, "score", "history", KEY, "B1.2", "--json")
    assert "征求意见采纳（R2）：追加有文件依据" in out
    code, out, _ = run(capsys, "comments", "show", KEY, "--json")
    view = json.loads(out)
    assert view["closed_on"] == "2025-08-28"
    assert [(r["reply_id"], r["accepted"], r["late"]) for r in view["replies"]] == [
        ("R1", True, False),
        ("R2", True, False),
        ("R3", False, True),
    ]
    assert view["replies"][2]["response"] == "调整率−37.52%，超出±10%"

    monkeypatch.setenv("RECTIFY_USER", "gxj")
    code, _, err = run(capsys, "comments", "reply", KEY, "--score", "A2.2", "--agree")
    assert code != 0 and "征求意见已于 2025-08-28 结束" in err
