"""年度流程 (issue #12 in the TUI), driven with Pilot against a real SQLite store: each
step of one department's year in its tab, the bureau turning a warning into a finding
with one key, the key not offered to a department, and the layout at 80×24."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from textual.widgets import DataTable

from rectify.domain.monitoring import Period
from rectify.scheduler.scan import scan
from rectify.tui.palette import JumpProvider, _candidates
from rectify.tui.screens.cycle import CycleScreen
from tests.tui.conftest import PRINCIPALS, TODAY, World, build_world, settle, sync
from tests.tui.cycle_world import KEY, add_cycle

ROOM = (80, 24)


@pytest.fixture
def cycle_world(tmp_path: Path) -> Iterator[World]:
    w = add_cycle(build_world(f"sqlite:///{tmp_path / 'rectify.db'}", tmp_path))
    try:
        yield w
    finally:
        w.house.close()


def event_count(world: World) -> int:
    store = world.house.store
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(store.events)).scalar_one())


async def open_weibin(pilot: Any) -> CycleScreen:
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CycleScreen)
    choices = screen.query_one("#cycle-choices", DataTable)
    keys = [str(screen.rows_of("cycle-choices")[i][2]) for i in range(choices.row_count)]
    choices.move_cursor(row=next(i for i, t in enumerate(keys) if "卫滨" in t))
    await pilot.press("enter")
    await settle(pilot)
    return screen


@sync
async def test_the_bureau_walks_the_year_and_turns_a_warning_into_a_finding(
    cycle_world: World,
) -> None:
    app = cycle_world.app("bureau", screen="cycle")
    async with app.run_test(size=ROOM) as pilot:
        screen = await open_weibin(pilot)
        assert screen.view is not None and screen.view.evaluation_key == KEY
        # 目标: T1 in force as revised (35, once), beside its declaration and revision.
        targets = screen.rows_of("cy-targets")
        assert (
            targets[0][:4] == ["T1", "企业服务次数", "数量指标", ">=35次"] and targets[0][5] == "1"
        )
        assert [r[1] for r in screen.rows_of("cy-changes")] == ["申报", "申报", "调整"]
        # 监控: the report's deviation and cause, two warnings; `w` is offered here only.
        assert screen.check_action("convert", ()) is False  # not on the 目标 tab
        await pilot.press("m")
        await settle(pilot)
        values = screen.rows_of("cy-values")
        t1 = next(r for r in values if r[1] == "T1")
        assert t1[5].endswith("%") and t1[6] == "汛期走访减少"
        warnings = screen.rows_of("cy-warnings")
        assert len(warnings) == 2 and all(r[2] == "—" for r in warnings)
        assert screen.check_action("convert", ()) is True
        before = event_count(cycle_world)
        table = screen.query_one("#cy-warnings", DataTable)
        assert table.has_focus  # the cursor starts on the warnings
        await pilot.press("down", "w")
        await settle(pilot)
        ref = warnings[1][0].replace("/W", "/预警")
        assert screen.rows_of("cy-warnings")[1][2] == ref
        assert event_count(cycle_world) == before + 2  # the plan's mark and the new finding
        assert cycle_world.house.findings.get_finding(ref).category == "绩效监控预警"
        # 自评复核: review − self per indicator; an indicator not reviewed is 未复核.
        await pilot.press("v")
        await settle(pilot)
        rows = screen.rows_of("cy-deviations")
        assert next(r for r in rows if r[0] == "B1.2")[3:] == ["2.00", "0.50", "-1.50"]
        assert any(r[4] == "未复核" for r in rows)
        # 征求意见: the department's answer and the evaluator's response.
        await pilot.press("c")
        await settle(pilot)
        [reply] = screen.rows_of("cy-replies")
        assert (
            reply[0] == "R1"
            and reply[2] == "有异议"
            and reply[5:] == ["不采纳", "附件未见测算依据"]
        )
        # 结果应用 beside the next year's initial budget and the 整改 figures.
        await pilot.press("a")
        await settle(pilot)
        [decision] = screen.rows_of("cy-decisions")
        assert decision[0] == "2025" and decision[3] == "维持" and "120" in decision[4]
        assert screen.rows_of("cy-rectification")[0][0] == "2024"
        # `d` goes back to the choice of department and year.
        await pilot.press("d")
        await settle(pilot)
        assert screen.query_one("#cycle-choices").display is True


@sync
async def test_a_department_is_not_offered_the_conversion(cycle_world: World) -> None:
    app = cycle_world.app("department", screen="cycle")
    async with app.run_test(size=ROOM) as pilot:
        screen = await open_weibin(pilot)
        assert [r[0] for r in screen.rows_of("cycle-choices")] == ["WB-GXJ"]  # its own only
        await pilot.press("m")
        await settle(pilot)
        assert len(screen.rows_of("cy-warnings")) == 2
        assert screen.check_action("convert", ()) is False
        before = event_count(cycle_world)
        await pilot.press("w")
        await settle(pilot)
        assert event_count(cycle_world) == before
        assert all(r[2] == "—" for r in screen.rows_of("cy-warnings"))


def test_cycle_monitoring_small(cycle_world: World, snap_compare: Any) -> None:
    async def monitoring_tab(pilot: Any) -> None:
        await open_weibin(pilot)
        await pilot.press("m")
        await settle(pilot)

    assert snap_compare(
        cycle_world.app("bureau", screen="cycle"), terminal_size=ROOM, run_before=monitoring_tab
    )


@sync
async def test_a_report_overdue_in_the_inbox_opens_that_years_cycle(cycle_world: World) -> None:
    house = cycle_world.house
    with house.acting(PRINCIPALS["bureau"]):
        house.monitoring.plan_monitoring(
            "WB-GXJ", 2025, [Period("H2", date(2025, 7, 1), date(2025, 12, 31), date(2026, 1, 10))]
        )
    recorded = scan(house, TODAY)
    assert {(r.kind, r.ref) for r in recorded} >= {("monitoring_overdue", "WB-GXJ/2025/H2")}
    app = cycle_world.app("department", screen="inbox")
    async with app.run_test(size=ROOM) as pilot:
        await settle(pilot)
        inbox = app.screen.query_one("#inbox", DataTable)
        rows = [[str(c) for c in inbox.get_row_at(i)] for i in range(inbox.row_count)]
        inbox.move_cursor(row=next(i for i, r in enumerate(rows) if "报告逾期未报" in r))
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CycleScreen) and screen.view is not None
        assert (screen.view.department_code, screen.view.fiscal_year) == ("WB-GXJ", 2025)
        await pilot.press("m")
        await settle(pilot)
        assert screen.rows_of("cy-periods")[0][:4] == ["H2", "绩效监控报告", "2026-01-10", "已逾期"]


@sync
async def test_the_palette_jumps_to_an_evaluations_year(cycle_world: World) -> None:
    backend = cycle_world.backend("bureau")
    found = _candidates(backend, "WB-GXJ/2024")
    cycle = next(c for c in found if c[0] == "cycle")
    assert cycle[1] == f"WB-GXJ|2024|{KEY}" and cycle[2].startswith("年度流程 WB-GXJ 2024")
    app = cycle_world.app("bureau")
    async with app.run_test(size=ROOM) as pilot:
        await settle(pilot)
        provider = JumpProvider(app.screen)
        await provider._jump(*cycle[:2])
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CycleScreen) and screen.view is not None
        assert screen.view.evaluation_key == KEY
        assert screen.rows_of("cy-targets")[0][0] == "T1"
