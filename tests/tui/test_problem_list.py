"""The problem list on more rows than a page: the next page is fetched ahead and shown
the moment the cursor nears the end; sorting by a column (keys and header click)
matches the query's own order; titles are shown literally (no markup)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from rectify.domain.application import finding_fields
from rectify.domain.finding import Finding, RectificationClass
from rectify.domain.identity import acting_as
from rectify.tui.backend import PAGE
from rectify.tui.problem_filter import ProblemFilter
from rectify.tui.row_table import RowTable
from rectify.tui.screens.problems import ProblemsScreen
from tests.tui.conftest import PRINCIPALS, R1, TODAY, World, settle, sync

EXTRA = 2 * PAGE + 7  # findings added to the world: three pages and a bit


def add_findings(world: World) -> None:
    app = world.house.services.app
    batch = []
    with acting_as(PRINCIPALS["bureau"]):
        for i in range(EXTRA):
            f = Finding(
                **finding_fields(
                    ref=f"WB-GXJ/2023/{i:03d}",
                    department_code="WB-GXJ",
                    fiscal_year=2023 + i % 3,
                    category="预算管理",
                    title=f"问题 [b]{i}[/b]",
                    description="细化",
                    amount=None,
                )
            )
            f.issue(
                rectification_class=RectificationClass.PHASED,
                issued_on=TODAY - timedelta(days=90),
                due=TODAY + timedelta(days=i % 40 - 20),
                re_review_on=None,
                requirements="细化",
            )
            batch.append(f)
        app.save_all(*batch)
    world.house.catch_up()


def shown_refs(app: Any) -> list[str]:
    return list(app.screen.refs)


@sync
async def test_pages_come_from_ahead_and_sorting_matches_the_query(world: World) -> None:
    add_findings(world)
    backend = world.backend("bureau")
    app = world.app("bureau", screen="problems")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ProblemsScreen)
        table = screen.query_one("#findings", RowTable)
        assert table.row_count == PAGE and screen.ahead is not None  # the next page waits
        assert "问题 [b]0[/b]" in [str(c) for c in table.get_row_at(0)]
        shown_before = screen.pages_shown
        table.move_cursor(row=table.row_count - 1)
        await pilot.pause()
        # Shown straight from the page fetched ahead, before any new query ran.
        assert screen.pages_shown == shown_before + 1 and table.row_count == 2 * PAGE
        await settle(pilot)
        table.move_cursor(row=table.row_count - 1)
        await settle(pilot)
        everything = backend.findings_page(ProblemFilter(), None, 10 * PAGE)
        assert shown_refs(app) == [f.ref for f in everything]
        assert "（全部）" in str(screen.query_one("#problems-status").render())

        await pilot.press("s", "s", "s", "s")  # 状态, 整改时限, 问题, then 年度, ascending
        await settle(pilot)
        by_year = backend.findings_page(ProblemFilter(sort="fiscal_year"), None, PAGE)
        assert shown_refs(app) == [f.ref for f in by_year]
        assert "按年度↑" in str(screen.query_one("#problems-status").render())
        await pilot.press("S")  # reversed
        await settle(pilot)
        years = [int(str(table.get_row_at(i)[4])[:4]) for i in range(table.row_count)]
        assert years == sorted(years, reverse=True)

        # Clicking the 问题 title sorts by title; walk every page under that sort.
        x = table.column_offset(3) + 2
        await pilot.click("#findings", offset=(x, 0))
        await settle(pilot)
        while screen.more:
            table.move_cursor(row=table.row_count - 1)
            await settle(pilot)
        by_title = backend.findings_page(ProblemFilter(sort="title"), None, 10 * PAGE)
        assert "按问题↑" in str(screen.query_one("#problems-status").render())
        assert shown_refs(app) == [f.ref for f in by_title]
        assert len(set(shown_refs(app))) == len(by_title)


@sync
async def test_enter_in_a_filter_moves_to_the_first_row_of_the_table(world: World) -> None:
    add_findings(world)
    app = world.app("bureau", screen="problems")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#findings", RowTable)
        table.move_cursor(row=5)
        await pilot.press("slash", "1", "enter")  # titles 问题 1, 10, 11 …
        await settle(pilot)
        assert table.has_focus, app.focused
        assert table.cursor_row == 0
        assert 0 < table.row_count < EXTRA


def drawn_lines(table: RowTable) -> list[str]:
    """The table's lines as drawn on screen (what the terminal shows, cut at its edge)."""
    return [table.render_line(y).text for y in range(table.size.height)]


@sync
async def test_status_and_due_are_in_view_at_80_columns(world: World) -> None:
    """编号 状态 整改时限 (逾期 marked) and 问题 are drawn inside 80 columns, in the live
    list and in the list as of a day (`t`); the rest scrolls sideways."""
    title = world.house.findings.get_finding(R1).title
    app = world.app("bureau", screen="problems")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#findings", RowTable)
        for as_of in (None, TODAY.isoformat()):
            if as_of:
                await pilot.press("t", *as_of, "enter")
                await settle(pilot)
                assert "截至" in str(app.screen.query_one("#problems-status").render())
            assert table.column_offset(4) <= table.scrollable_content_region.width
            lines = drawn_lines(table)
            titles = lines[0].split()
            assert titles[:4] == ["编号", "状态", "整改时限", "问题"]
            row = next(line for line in lines if R1 in line)
            assert "整改中" in row and "2025-11-30 逾期" in row
            assert title[:6] in row
