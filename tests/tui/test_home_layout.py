"""The home screen's counts at 80 columns: a figure never wraps away from its label."""

from __future__ import annotations

from rich.cells import cell_len
from textual.widgets import Static

from rectify.projections.dashboard import DeadlineCounts
from rectify.tui.screens.home import counts_text
from tests.tui.conftest import World, settle, sync

PROVINCE = DeadlineCounts(12345, 2345, 34567, 4567, 567, 6789, 98765)


def test_counts_fill_lines_of_whole_items() -> None:
    for width in (40, 76, 156):
        lines = counts_text(PROVINCE, width).plain.split("\n")
        assert all(cell_len(line) <= width for line in lines), (width, lines)
        assert "未销号 98765" in lines[-1] and "逾期 12345" in lines[0]
    assert len(counts_text(PROVINCE, 156).plain.split("\n")) == 1
    assert len(counts_text(PROVINCE, 76).plain.split("\n")) == 2
    # Balanced: four and three, not five and two.
    first, second = counts_text(PROVINCE, 76).plain.split("\n")
    assert "待审核" in first and "已退回" in second


@sync
async def test_every_role_home_fits_80_columns(world: World) -> None:
    for role in ("bureau", "department", "evaluator", "auditor"):
        app = world.app(role)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            box = app.screen.query_one("#home-counts", Static)
            lines = str(box.render()).split("\n")
            assert all(cell_len(line) <= box.content_size.width for line in lines), (role, lines)
            assert box.size.height == len(lines), role  # nothing wrapped onto another line
