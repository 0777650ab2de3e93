"""How a home loads: its queries once, each section as it comes, and the replayed
evaluation lines after the rest, in batches (a province's evaluator has a thousand
scorecards to make; bench/bench_tui.py)."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from textual.widgets import DataTable, Static

from rectify.tui import home_data
from rectify.tui.home_data import gather
from tests.tui.conftest import World, settle, sync


def gate_scorecards(backend: Any) -> threading.Event:
    """Scorecards wait until the returned event is set (the database is not touched)."""
    opened = threading.Event()
    scorecard = backend.scorecard

    def gated(key: str, as_of: Any = None) -> Any:
        opened.wait(timeout=10)
        return scorecard(key, as_of=as_of)

    backend.scorecard = gated
    return opened


async def until(condition: Any) -> None:
    for _ in range(5000):
        if condition():
            return
        await asyncio.sleep(0.002)
    raise AssertionError("never happened")


async def complete(pilot: Any, opened: threading.Event, world: World) -> Any:
    """Let the scorecards through, wait for the whole home, and check it holds every
    evaluation line once, in order; returns what the home gathers in one go."""
    screen: Any = pilot.app.screen
    opened.set()
    await until(lambda: screen.home_complete)
    await settle(pilot)
    whole = gather(world.backend("evaluator"))
    table = screen.query_one("#home-evaluations", DataTable)
    assert [r.value for r in table.rows] == [line.key for line in whole.evaluations]
    return whole


@sync
async def test_the_home_asks_the_store_once_when_it_opens(world: World) -> None:
    app = world.app("bureau")
    backend: Any = app.backend
    calls = []
    counts = backend.deadline_counts

    def counted() -> Any:
        calls.append(1)
        return counts()

    backend.deadline_counts = counted
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
    assert len(calls) == 1  # mounting and the first ScreenResume each loaded it


@sync
async def test_the_first_screen_shows_before_the_scorecards_are_made(world: World) -> None:
    app = world.app("evaluator")
    opened = gate_scorecards(app.backend)
    async with app.run_test(size=(80, 24)) as pilot:
        screen: Any = app.screen
        await until(lambda: screen.first_shown)
        assert "逾期 2" in str(screen.query_one("#home-counts", Static).render())
        assert "加载中" in str(screen.query_one("#evaluations-title", Static).render())
        assert screen.query_one("#home-evaluations", DataTable).row_count == 0
        assert not screen.home_complete
        whole = await complete(pilot, opened, world)
        assert screen.query_one("#checks", DataTable).row_count == len(whole.checks) > 0


@sync
async def test_a_reload_while_lines_come_in_batches_shows_each_line_once(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(home_data, "EVALUATION_BATCH", 1)
    app = world.app("evaluator")
    opened = gate_scorecards(app.backend)
    async with app.run_test(size=(80, 24)) as pilot:
        screen: Any = app.screen
        await until(lambda: screen.first_shown)
        await pilot.press("f5")  # while the first load's scorecards wait
        whole = await complete(pilot, opened, world)
        assert len(whole.evaluations) == 2  # so two batches of one came for each load
        checks = screen.query_one("#checks", DataTable)
        assert checks.row_count == len(whole.checks)
        title = str(screen.query_one("#checks-title", Static).render())
        assert f"待看（{len(whole.checks)}）" in title


@sync
async def test_the_evaluator_home_holds_the_newest_evaluations_and_says_so(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(home_data, "EVALUATOR_EVALUATIONS", 1)
    app = world.app("evaluator")
    async with app.run_test(size=(80, 24)) as pilot:
        screen: Any = app.screen
        await until(lambda: screen.home_complete)
        await settle(pilot)
        every = world.backend("evaluator").evaluations()
        assert len(every) == 2
        table = screen.query_one("#home-evaluations", DataTable)
        assert [r.value for r in table.rows] == [every[0].key]
        title = str(screen.query_one("#evaluations-title", Static).render())
        assert "最近 1 个，全部按 3 查看" in title
