"""The problem list as of a moment: findings replayed from the log to their last
version before it (statuses then, not now), scoped like today's list; and in the TUI
the `t` date field lists the past from the log."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from textual.widgets import Input

from rectify.domain.clock import FixedClock
from rectify.domain.finding import FindingStatus, RectificationClass
from rectify.projections.finding_history import STATUS_EVENTS
from rectify.tui import backend as backend_module
from rectify.tui.problem_filter import ProblemFilter
from rectify.tui.row_table import RowTable
from tests.tui.conftest import PRINCIPALS, R1, R2, R3, TODAY, World, record_r3, settle, sync


def statuses(rows: list) -> dict[str, str]:  # type: ignore[type-arg]
    return {r.ref: r.status for r in rows}


def test_the_list_at_a_moment_is_replayed_from_the_log(any_world: World) -> None:
    world = any_world
    bureau = world.backend("bureau")
    clock = world.house.clock
    assert isinstance(clock, FixedClock)  # events carry the house clock's time
    before = clock.now() + timedelta(minutes=30)
    clock.advance(hours=1)
    with world.house.acting(PRINCIPALS["bureau"]):
        world.house.findings.withdraw_finding(R2, "重复登记")
    after = clock.now() + timedelta(minutes=30)
    then = statuses(bureau.findings_at(before, TODAY, ProblemFilter(), None, 500))
    now = statuses(bureau.findings_at(after, TODAY, ProblemFilter(), None, 500))
    assert then[R1] == "issued" and then[R2] == "issued"
    assert now[R2] == "withdrawn" and now[R1] == "issued"
    # Before anything was recorded: nothing. Overdue is judged on the day asked.
    assert bureau.findings_at(before - timedelta(days=3650), TODAY, ProblemFilter(), None, 50) == []
    [r1_then] = [
        r for r in bureau.findings_at(before, TODAY, ProblemFilter(), None, 500) if r.ref == R1
    ]
    assert r1_then.overdue  # due 2025-11-30, judged on TODAY 2026-01-15
    # Scope: the department sees only its own, as in today's list.
    dept = world.backend("department")
    assert {r.ref for r in dept.findings_at(after, TODAY, ProblemFilter(), None, 500)} == {R1, R2}
    today_list = bureau.findings_page(ProblemFilter(), None, 500)
    # Rows name their department as today's list does.
    names = {r.ref: r.department_name for r in today_list}
    assert {
        r.ref: r.department_name
        for r in bureau.findings_at(after, TODAY, ProblemFilter(), None, 500)
    } == names
    assert statuses(bureau.findings_at(after, TODAY, ProblemFilter(), None, 500)) == statuses(
        today_list
    )


def test_every_filter_applies_to_the_findings_as_they_were(
    any_world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Year (with carried years), status, class, overdue, repeat and text as of a moment:
    R2 withdrawn, R1 carried into 2025 and accepted as long-term, R3 linked as a repeat,
    all after `before`. One candidate per round: the page fills across rounds."""
    monkeypatch.setattr(backend_module, "SCAN", 1)
    world, house = any_world, any_world.house
    clock = house.clock
    assert isinstance(clock, FixedClock)
    record_r3(world)
    before = clock.now() + timedelta(minutes=30)
    clock.advance(hours=1)
    with house.acting(PRINCIPALS["bureau"]):
        house.findings.withdraw_finding(R2, "重复登记")
        house.findings.carry_over_finding(R1, 2025, "跨年整改")
        house.findings.accept_long_term(R1, date(2026, 6, 30), "持续整改")
        house.findings.link_repeat(R3, R1)
    after = clock.now() + timedelta(minutes=30)
    bureau = world.backend("bureau")

    def refs(moment: datetime, **only: object) -> set[str]:
        flt = ProblemFilter(department="WB-GXJ", **only)  # type: ignore[arg-type]
        return {r.ref for r in bureau.findings_at(moment, TODAY, flt, None, 500)}

    assert refs(before) == refs(after) == {R1, R2, R3}
    assert refs(before, status="issued") == {R1, R2}
    assert refs(after, status="issued") == set()
    assert refs(after, status="withdrawn") == {R2}
    assert refs(before, fiscal_year=2025) == {R3}
    assert refs(after, fiscal_year=2025) == {R1, R3}
    assert refs(before, rectification_class=RectificationClass.LONG_TERM.value) == set()
    assert refs(after, rectification_class=RectificationClass.LONG_TERM.value) == {R1}
    phased = RectificationClass.PHASED.value  # R1's class until it became long-term
    assert refs(before, rectification_class=phased) == {R1, R2}
    assert refs(after, rectification_class=phased) == {R2}
    assert refs(after, status="closed") == set()
    assert set(STATUS_EVENTS) == {s.value for s in FindingStatus}
    assert refs(before, overdue=True) == {R1, R2}  # due 2025-11-30, judged on TODAY
    assert refs(after, overdue=True) == set()  # withdrawn, long-term
    assert refs(before, repeat=True) == set()
    assert refs(after, repeat=True) == {R3}
    assert refs(before, text="再次发现") == refs(after, text="再次发现") == {R3}
    # Paged by ref: a page of one, then the rest after it.
    first = bureau.findings_at(after, TODAY, ProblemFilter(department="WB-GXJ"), None, 1)
    rest = bureau.findings_at(after, TODAY, ProblemFilter(department="WB-GXJ"), first[0].ref, 9)
    assert [r.ref for r in first + rest] == sorted({R1, R2, R3})


@sync
async def test_t_shows_the_list_as_of_a_day(world: World) -> None:
    app = world.app("bureau", screen="problems")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        field = app.screen.query_one("#f-as-of", Input)
        assert field.has_focus
        field.value = "2020-01-01"  # before anything was recorded
        await pilot.press("enter")
        await settle(pilot)
        table = app.screen.query_one("#findings", RowTable)
        assert table.row_count == 0
        assert "截至 2020-01-01 的清单" in str(app.screen.query_one("#problems-status").render())
        field.value = "2020-02-30"
        await pilot.press("t", "enter")
        await settle(pilot)
        assert table.row_count == 0  # refused, nothing changed
        field.value = datetime.now().date().isoformat()
        field.focus()
        await pilot.press("enter")
        await settle(pilot)
        refs = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert R1 in refs and R2 in refs
        # The live list's filters apply to the past list too: only overdue, as of that day.
        await pilot.press("o")
        await settle(pilot)
        refs = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert sorted(refs) == [R1, R2]
        assert "截至" in str(app.screen.query_one("#problems-status").render())
