"""The problem list as of a moment: findings replayed from the log to their last
version before it (statuses then, not now), scoped like today's list; and in the TUI
the `t` date field lists the past from the log."""

from __future__ import annotations

from datetime import datetime, timedelta

from textual.widgets import DataTable, Input

from rectify.domain.clock import FixedClock
from rectify.tui.backend import ProblemFilter
from tests.tui.conftest import PRINCIPALS, R1, R2, TODAY, World, settle, sync


def statuses(rows: list) -> dict[str, str]:  # type: ignore[type-arg]
    return {r.ref: r.status for r in rows}


def test_the_list_at_a_moment_is_replayed_from_the_log(world: World) -> None:
    bureau = world.backend("bureau")
    clock = world.house.clock
    assert isinstance(clock, FixedClock)  # events carry the house clock's time
    before = clock.now() + timedelta(minutes=30)
    clock.advance(hours=1)
    with world.house.acting(PRINCIPALS["bureau"]):
        world.house.findings.withdraw_finding(R2, "重复登记")
    after = clock.now() + timedelta(minutes=30)
    then = statuses(bureau.findings_at(before, TODAY, None, None, 500))
    now = statuses(bureau.findings_at(after, TODAY, None, None, 500))
    assert then[R1] == "issued" and then[R2] == "issued"
    assert now[R2] == "withdrawn" and now[R1] == "issued"
    # Before anything was recorded: nothing. Overdue is judged on the day asked.
    assert bureau.findings_at(before - timedelta(days=3650), TODAY, None, None, 50) == []
    [r1_then] = [r for r in bureau.findings_at(before, TODAY, None, None, 500) if r.ref == R1]
    assert r1_then.overdue  # due 2025-11-30, judged on TODAY 2026-01-15
    # Scope: the department sees only its own, as in today's list.
    dept = world.backend("department")
    assert {r.ref for r in dept.findings_at(after, TODAY, None, None, 500)} == {R1, R2}
    today_list = bureau.findings_page(ProblemFilter(), None, 500)
    assert statuses(bureau.findings_at(after, TODAY, None, None, 500)) == statuses(today_list)


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
        table = app.screen.query_one("#findings", DataTable)
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
