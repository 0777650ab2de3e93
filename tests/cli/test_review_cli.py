"""`rectify review ...` in-process on SQLite and PostgreSQL, on the Weibin evaluation:
the department's self-evaluation (its own only), the bureau's review with a note, the
deviation per indicator and across years, an unreviewed indicator shown as such, the
self-evaluation report owed by a due date (late recorded, overdue by the scan)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rectify.bootstrap import House
from tests.cli.cycle_helpers import cli_env, count_events, run
from tests.conftest import WEIBIN

__all__ = ["cli_env"]
KEY = "WB-GXJ/2024/department"


def test_self_evaluation_review_and_deviation(
    cli_env: House,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    house = cli_env
    assert run(capsys, "import", "evaluation", str(WEIBIN))[0] == 0
    assert (
        run(
            capsys,
            "monitoring",
            "plan",
            "WB-GXJ",
            "2024",
            "--period",
            "H1:2024-01-01:2024-06-30:2024-07-15",
            "--self-evaluation-due",
            "2025-03-31",
        )[0]
        == 0
    )

    monkeypatch.setenv("RECTIFY_USER", "gxj")
    assert run(capsys, "review", "self", KEY, "B1.2", "2.00")[0] == 0
    assert run(capsys, "review", "self", KEY, "A1.1", "3.00")[0] == 0
    before = count_events(house)
    code, _, err = run(capsys, "review", "record", KEY, "B1.2", "1.00")
    assert code != 0 and "Traceback" not in err and err.strip()
    code, _, err = run(capsys, "review", "deviation", "--department", "WB-CZJ")
    assert code != 0
    assert count_events(house) == before
    assert run(capsys, "review", "submit", "WB-GXJ", "2024", "--on", "2025-04-02")[0] == 0

    monkeypatch.setenv("RECTIFY_USER", "admin")
    code, _, err = run(capsys, "review", "record", KEY, "Z9", "1")
    assert code != 0 and "Z9" in err and "不存在" in err
    code, _, err = run(capsys, "review", "record", KEY, "B1.2", "9")
    assert code != 0 and "超出范围" in err
    assert count_events(house) == before + 1  # only the submission
    assert (
        run(
            capsys, "review", "record", KEY, "B1.2", "0.50", "--note", "调整率超出±10%，按规则扣分"
        )[0]
        == 0
    )

    code, out, _ = run(capsys, "review", "deviation", KEY, "--json")
    rows = {r["code"]: r for r in json.loads(out)}
    assert (
        rows["B1.2"]["self_score"],
        rows["B1.2"]["review_score"],
        rows["B1.2"]["deviation"],
    ) == ("2.00", "0.50", "-1.50")
    assert (
        rows["A1.1"]["review_score"] is None and rows["A1.1"]["deviation"] is None
    )  # not reviewed: no deviation
    code, out, _ = run(
        capsys, "review", "deviation", "--department", "WB-GXJ", "--indicator", "B1.2", "--json"
    )
    assert [(r["fiscal_year"], r["deviation"]) for r in json.loads(out)] == [(2024, "-1.50")]
    code, out, _ = run(capsys, "review", "deviation", KEY)
    assert "未复核" in out and "-1.50" in out
    code, out, _ = run(capsys, "score", "history", KEY, "B1.2", "--json")
    assert "调整率超出±10%" in out

    code, out, _ = run(capsys, "monitoring", "show", "WB-GXJ", "2024", "--json")
    own = {p["period"]: p for p in json.loads(out)}
    assert (own["自评"]["kind"], own["自评"]["status"], own["自评"]["late"]) == (
        "self_evaluation",
        "filed",
        True,
    )
    code, _, err = run(capsys, "review", "submit", "WB-GXJ", "2024")
    assert code != 0 and "已报送" in err
