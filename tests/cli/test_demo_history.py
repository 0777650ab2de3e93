"""`rectify demo` seeds a small deterministic history through the project's generator
beside the shipped packages: several departments over three fiscal years, findings in
every state, overdue, carried over, repeats, score revisions and budget adjustments;
a second `demo` records nothing."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rectify.bootstrap import open_house
from rectify.cli.main import main
from rectify.domain.clock import FixedClock
from rectify.domain.identity import Principal, Role, acting_as
from rectify.domain.vocabulary import FindingStatus


def test_demo_history_is_rich_and_recorded_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("RECTIFY_USER", "RECTIFY_PASSWORD", "RECTIFY_NOW"):
        monkeypatch.delenv(name, raising=False)
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    monkeypatch.setenv("RECTIFY_DB", url)
    monkeypatch.setenv("RECTIFY_SESSION_FILE", str(tmp_path / "session.json"))
    assert main(["demo", "--no-tui"]) == 0
    first = capsys.readouterr().out
    assert "示例历史（4 个部门，2023–2025 年度，由生成器产生）：新增事件" in first
    with open_house(url, clock=FixedClock.on(__import__("datetime").date(2026, 6, 30))) as house:
        events = house.store.events
        with house.store.engine.connect() as conn:
            before = conn.execute(select(func.count()).select_from(events)).scalar_one()
            topics = Counter(t for (t,) in conn.execute(select(events.c.topic)).all())
        with acting_as(Principal("admin", Role.BUREAU)):
            rows = house.queries.list_findings(limit=10_000)
    assert main(["demo", "--no-tui"]) == 0
    assert "已存在，未新增" in capsys.readouterr().out
    with open_house(url) as house, house.store.engine.connect() as conn:
        assert (
            conn.execute(select(func.count()).select_from(house.store.events)).scalar_one()
            == before
        )
    generated = [r for r in rows if r.department_code.startswith("D0")]
    assert {r.department_code for r in generated} == {"D0001", "D0002", "D0003", "D0004"}
    assert {r.fiscal_year for r in generated} == {2023, 2024, 2025}
    statuses = {r.status for r in generated}
    assert statuses >= {s.value for s in FindingStatus} - {FindingStatus.RECORDED.value}, statuses
    assert any(r.overdue for r in generated)
    assert any(r.carried_years for r in generated) and any(r.repeat_of for r in generated)
    assert topics["rectify/Evaluation.ScoreRevised"] > 0 and topics["rectify/Budget.Adjusted"] > 0
