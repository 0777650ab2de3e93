"""屡查屡犯 on the finding screen: `j` opens the earlier finding a repeat repeats, `J`
the later one that repeats it; each key is in the footer only when there is one."""

from __future__ import annotations

from typing import Any

from textual.widgets import Static

from rectify.tui.screens.finding import FindingScreen
from tests.tui.conftest import PRINCIPALS, R1, R2, R3, World, record_r3, settle, sync
from tests.tui.test_at_80_columns import visible_footer_keys


async def shown(pilot: Any) -> str:
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, FindingScreen)
    return screen.ref


@sync
async def test_j_opens_the_finding_a_repeat_repeats_and_shift_j_comes_back(world: World) -> None:
    record_r3(world)
    with world.house.acting(PRINCIPALS["bureau"]):
        world.house.findings.link_repeat(R3, R1)
    app = world.app("department", finding=R3)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await shown(pilot) == R3
        keys = visible_footer_keys(app)
        assert "j" in keys and "J" not in keys, keys
        await pilot.press("j")
        assert await shown(pilot) == R1
        fields = str(app.screen.query_one("#finding-fields", Static).render())
        assert f"被再次发现  {R3}" in fields, fields
        keys = visible_footer_keys(app)
        assert "J" in keys and "j" not in keys, keys
        await pilot.press("J")
        assert await shown(pilot) == R3
        await pilot.press("escape")
        assert await shown(pilot) == R1  # and back the way it came
        await pilot.press("escape")
        assert await shown(pilot) == R3


@sync
async def test_no_link_key_without_a_linked_finding(world: World) -> None:
    app = world.app("bureau", finding=R2)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await shown(pilot) == R2
        assert not {"j", "J"} & visible_footer_keys(app)
        await pilot.press("j")
        assert await shown(pilot) == R2
