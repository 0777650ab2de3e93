"""`k` on the evaluation screen: the checker's findings for the evaluation — on the
stored Weibin evaluation, the same kinds at the same indicators as `rectify check`
finds on its package; Enter on one puts the tree's cursor on that indicator."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from rectify.reports.checker import KIND_LABELS, check_package
from rectify.reports.package import load_package
from tests.conftest import WEIBIN
from tests.tui.conftest import World, open_weibin_evaluation, settle, sync


def expected() -> list[tuple[str, str]]:
    """(kind label, indicator) of each check `rectify check` makes on the package."""
    report = check_package(load_package(WEIBIN))
    wanted = {"indicators[D3]": "D2"}  # the repeated printed code is shown as printed
    return sorted(
        (KIND_LABELS[c.kind], wanted.get(c.path, c.path.removeprefix("indicators[").rstrip("]")))
        for c in report.checks
    )


@sync
async def test_k_lists_the_checkers_findings_for_the_evaluation(world: World) -> None:
    assert len(expected()) >= 5  # the package has several (tests/reports hold them)
    app = world.app("evaluator", screen="evaluations")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_weibin_evaluation(pilot)
        await pilot.press("k")
        await settle(pilot)
        checks = app.screen.query_one("#checks", DataTable)
        assert checks.display and checks.has_focus
        rows = [tuple(str(v) for v in checks.get_row_at(i)) for i in range(checks.row_count)]
        assert sorted((kind, code) for kind, code, _ in rows) == expected()
        rule = next(i for i, r in enumerate(rows) if r[0] == KIND_LABELS["rule_mismatch"])
        checks.move_cursor(row=rule)
        await pilot.pause()
        # The whole of its words under the table (cut at 80 columns in the table).
        assert rows[rule][2] in str(app.screen.query_one("#leaf-detail", Static).render())
        await pilot.press("enter")
        await pilot.pause()
        tree = app.screen.query_one("#tree", DataTable)
        assert tree.has_focus
        assert rows[rule][1] in str(tree.get_row_at(tree.cursor_row)[0])
