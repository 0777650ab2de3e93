"""At 80×24 the 理由 column of the event log and of a leaf's score history began past
the right edge: the highlighted row's whole reason is shown under the table, wrapped."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable, Input, Static

from rectify.domain.evaluation import ScoreStage
from tests.tui.conftest import PRINCIPALS, R2, World, settle, sync, weibin_scored_leaf

ROOM = (80, 24)
LONG = "佐证材料不足：缺少整改后的预算测算表、党组会议纪要原件和资金拨付凭证，请补齐后再申请销号"


def shown_whole(app: Any, selector: str, text: str) -> None:
    """`text` is in the detail line, and the line lies inside the screen with room for
    every wrapped line of it."""
    line = app.screen.query_one(selector, Static)
    assert text in str(line.render())
    region = line.region
    assert line.display and region.width and region.right <= ROOM[0]
    assert region.bottom <= ROOM[1] - 1  # above the footer
    assert region.height * region.width >= len(text) * 2  # CJK: two cells a character


@sync
async def test_the_event_logs_reason_is_readable_at_80_columns(world: World) -> None:
    with world.house.acting(PRINCIPALS["bureau"]):
        world.house.findings.withdraw_finding(R2, LONG)
    app = world.app("auditor", screen="log")
    async with app.run_test(size=ROOM) as pilot:
        await settle(pilot)
        app.screen.query_one("#log-aggregate", Input).value = R2  # past the first page
        await settle(pilot)
        table = app.screen.query_one("#events", DataTable)
        row = next(i for i in range(table.row_count) if table.get_row_at(i)[-1] == LONG)
        table.move_cursor(row=row)
        await pilot.pause()
        shown_whole(app, "#event-reason", LONG)


@sync
async def test_a_leafs_revision_reason_is_readable_at_80_columns(world: World) -> None:
    app = world.app("evaluator", screen="evaluations")
    async with app.run_test(size=ROOM) as pilot:
        screen, card, leaf = await weibin_scored_leaf(pilot)
        with world.house.acting(PRINCIPALS["evaluator"]):
            world.house.evaluations.set_score(
                card.key, leaf.code, leaf.score - 1, stage=ScoreStage.THIRD_PARTY, reason=LONG
            )
        tree = screen.query_one("#tree", DataTable)
        tree.move_cursor(row=[n.code for n in card.nodes].index(leaf.code))
        await pilot.press("h")
        await settle(pilot)
        history = screen.query_one("#history", DataTable)
        history.focus()
        history.move_cursor(row=history.row_count - 1)
        await pilot.pause()
        shown_whole(app, "#leaf-detail", LONG)
