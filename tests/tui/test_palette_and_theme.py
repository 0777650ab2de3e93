"""Ctrl+P jumps to a finding, a department's problem list and an evaluation; the
light and the dark theme (`--light`, Ctrl+T)."""

from __future__ import annotations

from typing import Any

from textual.command import CommandPalette
from textual.widgets import Input, OptionList

from rectify.tui.palette import JumpProvider, _candidates
from rectify.tui.row_table import RowTable
from rectify.tui.screens.evaluations import EvaluationsScreen
from rectify.tui.screens.finding import FindingScreen
from rectify.tui.screens.problems import ProblemsScreen
from tests.tui.conftest import R1, R2, World, settle, sync

ROOM = (80, 24)


async def open_by_palette(world: World, typed: str) -> str | None:
    """Ctrl+P, `typed`, Enter on the first hit: the ref of the finding opened."""
    app = world.app("department")
    async with app.run_test(size=ROOM) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*typed)
        for _ in range(40):  # the search runs in a thread; its hits arrive when done
            await pilot.pause(0.05)
            if app.screen.query("CommandList Option"):
                break
        await pilot.press("enter")
        await settle(pilot)
        return app.screen.ref if isinstance(app.screen, FindingScreen) else None


@sync
async def test_ctrl_p_typed_ref_opens_the_finding(world: World) -> None:
    assert await open_by_palette(world, R1) == R1


@sync
async def test_ctrl_p_finds_a_finding_by_part_of_its_number(world: World) -> None:
    """`2024/02` (or `/02`) names WB-GXJ/2024/02: the whole ref was needed before."""
    assert [i for k, i, _ in _candidates(world.backend("bureau"), "/02") if k == "finding"] == [R2]
    assert await open_by_palette(world, "2024/02") == R2


@sync
async def test_palette_jumps_to_a_department_and_an_evaluation(world: World) -> None:
    backend = world.backend("bureau")
    assert any(kind == "finding" for kind, _, _ in _candidates(backend, "预算编制"))
    found = _candidates(backend, "WB-GXJ")
    assert {"department", "evaluation"} <= {kind for kind, _, _ in found}, found
    department = next(c for c in found if c[0] == "department")
    evaluation = next(c for c in found if c[0] == "evaluation")
    app = world.app("bureau")
    async with app.run_test(size=ROOM) as pilot:
        await settle(pilot)
        provider = JumpProvider(app.screen)
        await provider._jump(*department[:2])
        screen: Any = app.screen
        assert isinstance(screen, ProblemsScreen)
        # (Not `settle`: the filter replaces the first page's worker, which waiting on
        # all workers reports as cancelled.)
        for _ in range(100):
            await pilot.pause(0.05)
            if screen.query_one("#findings", RowTable).row_count == 2:
                break
        assert screen.query_one("#findings", RowTable).row_count == 2
        assert screen.query_one("#f-dept", Input).value == "WB-GXJ"
        await provider._jump(*evaluation[:2])
        # (Polled too: leaving the list cancels its workers, which `settle` reports.)
        for _ in range(100):
            await pilot.pause(0.05)
            screen = app.screen
            if isinstance(screen, EvaluationsScreen) and screen.card is not None:
                break
        assert isinstance(screen, EvaluationsScreen) and screen.card is not None
        assert screen.card.key == evaluation[1]


def test_a_department_finds_only_its_own_in_the_palette(world: World) -> None:
    """The Zhengzhou package's evaluation is not Weibin's: its department never sees it."""
    assert any("ZZ-GXJ" in ident for _, ident, _ in _candidates(world.backend("bureau"), "ZZ-GXJ"))
    assert not any(
        "ZZ-GXJ" in ident for _, ident, _ in _candidates(world.backend("department"), "ZZ-GXJ")
    )


@sync
async def test_light_and_dark_theme(world: World) -> None:
    app = world.app("bureau", light=True)
    async with app.run_test(size=ROOM) as pilot:
        await settle(pilot)
        assert app.theme == "textual-light" and not app.current_theme.dark
        await pilot.press("ctrl+t")
        assert app.theme == "textual-dark" and app.current_theme.dark
        await pilot.press("ctrl+t")
        assert app.theme == "textual-light"


def test_bureau_home_light_small(world: World, snap_compare: Any) -> None:
    assert snap_compare(world.app("bureau", light=True), terminal_size=ROOM, run_before=settle)


@sync
async def test_the_palette_speaks_chinese(world: World) -> None:
    """Each hit says in Chinese what it opens (it showed `finding`), and Ctrl+P's
    binding is 跳转 (Textual's own, added when the app declares none, says `palette`)."""
    app = world.app("bureau")
    async with app.run_test(size=ROOM) as pilot:
        await settle(pilot)
        palette = [b for _, b in app._bindings if b.action == "command_palette"]
        assert [b.description for b in palette] == ["跳转"]
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"WB-GXJ")
        for _ in range(40):
            await pilot.pause(0.05)
            if len(app.screen.query("CommandList Option")) >= 3:
                break
        options = app.screen.query_one("CommandList", OptionList).options
        said = {str(o.prompt).splitlines()[-1] for o in options}
        assert said == {"打开问题", "部门的问题清单", "打开评价", "年度流程"}, said
