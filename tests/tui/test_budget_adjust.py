"""Budget adjustment from the 预算台账 screen: `j` on a line opens the form, checks
the amount and the reason before anything is recorded, and the new adjustment shows."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable, Input, Label

from tests.tui.conftest import World, settle, sync


async def open_weibin_budget(pilot: Any) -> None:
    await settle(pilot)
    choices = pilot.app.screen.query_one("#budget-choices", DataTable)
    row = next(i for i in range(choices.row_count) if str(choices.get_row_at(i)[0]) == "WB-GXJ")
    choices.move_cursor(row=row)
    await pilot.press("enter")
    await settle(pilot)


async def submit(pilot: Any, **values: str) -> None:
    field = None
    for name, value in values.items():
        field = pilot.app.screen.query_one(f"#in-{name}", Input)
        field.value = value
    assert field is not None
    field.focus()
    await pilot.press("enter")
    await settle(pilot)


@sync
async def test_bureau_adjusts_a_line_with_a_reason(world: World) -> None:
    app = world.app("bureau", screen="budget")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_weibin_budget(pilot)
        adjustments = app.screen.query_one("#budget-adjustments", DataTable)
        before = adjustments.row_count
        lines = app.screen.query_one("#budget-lines", DataTable)
        line = str(lines.get_row_at(0)[0])
        await pilot.press("j")
        await settle(pilot)
        assert app.screen.query_one("#in-line", Input).value == line  # the selected line
        await submit(pilot, amount="0", reason="")
        assert "非零" in str(app.screen.query_one("#err-amount", Label).render())
        assert "不能为空" in str(app.screen.query_one("#err-reason", Label).render())
        await submit(pilot, line="NO-SUCH", amount="12.5", reason="追加专项")
        assert "不存在" in str(app.screen.query_one("#form-error", Label).render())
        await submit(pilot, line=line, amount="-3", reason="调减结余")
        await settle(pilot)
        assert adjustments.row_count == before + 1
        assert any("调减结余" in str(c) for c in adjustments.get_row_at(adjustments.row_count - 1))
    budget = world.house.evaluations.get_budget("WB-GXJ", 2024)  # the Weibin package's year
    assert [a.reason for a in budget.adjustments][-1] == "调减结余"


@sync
async def test_auditor_is_not_offered_the_adjustment(world: World) -> None:
    app = world.app("auditor", screen="budget")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_weibin_budget(pilot)
        assert not app.screen.check_action("adjust", ())


def test_rates_show_two_places() -> None:
    from decimal import Decimal

    from rectify.tui.labels import rate

    assert rate(Decimal("-37.51917290151861088669546993")) == "-37.52%"
    assert rate(Decimal("100")) == "100.00%" and rate(None) == "—"
