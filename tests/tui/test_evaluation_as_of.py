"""`t` on the evaluation screen: the indicator tree as of a date, replayed from the log
(the scores then, the total and grade then), and back to the current tree."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from textual.widgets import DataTable, Input, Static

from rectify.domain.clock import FixedClock
from rectify.domain.evaluation import ScoreStage
from rectify.tui.screens.evaluations import EvaluationsScreen
from tests.tui.conftest import PRINCIPALS, TODAY, World, settle, sync, weibin_scored_leaf


async def travel(pilot: Any, text: str) -> None:
    app = pilot.app
    await pilot.press("t")
    field = app.screen.query_one("#as-of", Input)
    assert field.has_focus
    field.value = text
    await pilot.press("enter")
    await settle(pilot)


@sync
async def test_t_shows_the_tree_as_of_a_date(world: World) -> None:
    house = world.house
    clock = house.clock
    assert isinstance(clock, FixedClock)
    app = world.app("evaluator", screen="evaluations")
    async with app.run_test(size=(80, 24)) as pilot:
        screen, before, leaf = await weibin_scored_leaf(pilot)
        assert isinstance(screen, EvaluationsScreen)
        score = leaf.score
        clock.advance(days=10)  # the revision is recorded ten days after the import
        with house.acting(PRINCIPALS["evaluator"]):
            house.evaluations.set_score(
                before.key, leaf.code, score - 1, stage=ScoreStage.THIRD_PARTY, reason="复核"
            )
        tree = screen.query_one("#tree", DataTable)
        row = [n.code for n in before.nodes].index(leaf.code)

        await travel(pilot, (TODAY + timedelta(days=10)).isoformat())
        assert screen.card is not None and screen.card.total == before.total - 1
        assert str(tree.get_row_at(row)[2]) == f"{score - 1:f}"

        await travel(pilot, TODAY.isoformat())  # the day of the import: the old score
        assert screen.card is not None and screen.card.total == before.total
        assert str(tree.get_row_at(row)[2]) == f"{score:f}"
        title = str(screen.query_one("#card-title", Static).render())
        assert f"截至 {TODAY}" in title and f"{before.total:f}" in title

        notices: list[str] = []
        app.notify = lambda message, *a, **k: notices.append(message)  # type: ignore[method-assign]
        await travel(pilot, "2020-01-01")  # before the evaluation was recorded
        assert notices == ["评价 WB-GXJ/2024/department 在 2020-01-01 尚未登记"]
        assert screen.card is not None and screen.card.total == before.total  # unchanged
        assert screen.as_of == TODAY  # the date of the tree shown, not the refused one
        field = screen.query_one("#as-of", Input)
        assert field.value == TODAY.isoformat()  # the field says so too
        await travel(pilot, "2026-02-30")  # no such day
        assert field.value == TODAY.isoformat() and screen.as_of == TODAY
        await travel(pilot, "")  # empty: the current tree
        assert screen.card is not None and screen.card.total == before.total - 1
        assert "截至" not in str(screen.query_one("#card-title", Static).render())
