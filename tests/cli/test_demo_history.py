"""`rectify demo` seeds a small deterministic history through the project's generator
beside the shipped packages: several departments over three fiscal years, findings in
every state, overdue, carried over, repeats, score revisions and budget adjustments;
a second `demo` records nothing."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rectify.bootstrap import open_house
from rectify.cli.main import main
from rectify.domain.clock import BEIJING, FixedClock
from rectify.domain.identity import Principal, Role, acting_as
from rectify.domain.vocabulary import FindingStatus
from rectify.projections.timeline import finding_timeline


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
    with open_house(url, clock=FixedClock.on(date(2026, 6, 30))) as house:
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


def test_demo_history_is_dated_within_its_years_and_never_after_today(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each generated event is stamped on its step's day (a finding recorded when its
    year is evaluated, the next spring), in order along each timeline, and none after
    the house clock's today (RECTIFY_TODAY here, so the cap is reached); a second demo
    still records nothing."""
    for name in ("RECTIFY_USER", "RECTIFY_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    monkeypatch.setenv("RECTIFY_DB", url)
    monkeypatch.setenv("RECTIFY_SESSION_FILE", str(tmp_path / "session.json"))
    monkeypatch.setenv("RECTIFY_TODAY", "2026-06-30")
    assert main(["demo", "--no-tui"]) == 0
    capsys.readouterr()
    until = datetime.combine(date(2026, 6, 30), time(9, 0), tzinfo=BEIJING)
    t = finding_timeline
    with open_house(url) as house, house.store.engine.connect() as conn:
        rows = conn.execute(
            select(t.c.ref, t.c.version, t.c.at)
            .where(t.c.ref.like("D0%"))
            .order_by(t.c.ref, t.c.version)
        ).all()
        count = conn.execute(select(func.count()).select_from(house.store.events)).scalar_one()
    assert rows
    by_ref: dict[str, list[datetime]] = {}
    for ref, _version, at in rows:
        at = at if at.tzinfo else at.replace(tzinfo=UTC)  # SQLite: UTC
        by_ref.setdefault(ref, []).append(at.astimezone(BEIJING))
    for ref, times in by_ref.items():
        year = int(ref.split("-")[1])
        assert times[0].date() == date(year + 1, 3, 1), ref  # recorded when evaluated
        assert times == sorted(times), ref  # the timeline reads in order
        assert times[-1] <= until, ref
    assert any(times[-1] == until for times in by_ref.values())  # capped at today
    assert len({at.date() for times in by_ref.values() for at in times}) > 100
    assert main(["demo", "--no-tui"]) == 0
    assert "已存在，未新增" in capsys.readouterr().out
    with open_house(url) as house, house.store.engine.connect() as conn:
        assert (
            conn.execute(select(func.count()).select_from(house.store.events)).scalar_one() == count
        )
