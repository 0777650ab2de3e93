"""A real SQLite store with the two shipped packages, a user per role, and both
Weibin findings issued with a deadline that has passed on the tests' fixed today."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from rectify.bootstrap import House, open_house
from rectify.domain.clock import FixedClock
from rectify.domain.finding import RectificationClass
from rectify.domain.identity import Principal, Role
from rectify.reports.importer import import_package
from rectify.reports.package import load_package
from rectify.tui.app import RectifyTui, make_app
from rectify.tui.backend import Backend
from tests.conftest import WEIBIN, ZHENGZHOU

TODAY = date(2026, 1, 15)
R1 = "WB-GXJ/2024/01"
R2 = "WB-GXJ/2024/02"
R3 = "WB-GXJ/2025/09"  # recorded by `record_r3`: a 2025 finding like R1, not yet issued
PASSWORDS = {
    "admin": "admin-secret-1",
    "wb": "wb-secret-123",
    "eva": "eva-secret-123",
    "aud": "aud-secret-123",
}
PRINCIPALS = {
    "bureau": Principal("admin", Role.BUREAU),
    "department": Principal("wb", Role.DEPARTMENT, "WB-GXJ"),
    "evaluator": Principal("eva", Role.EVALUATOR),
    "auditor": Principal("aud", Role.AUDITOR),
}


@dataclass
class World:
    house: House
    tmp: Path

    def backend(self, role: str | None) -> Backend:
        return Backend(self.house, PRINCIPALS[role] if role else None)

    def app(self, role: str | None, **options: Any) -> RectifyTui:
        return make_app(self.backend(role), **options)


def build_world(url: str, tmp: Path) -> World:
    house = open_house(url, create=True, clock=FixedClock.on(TODAY), blob_dir=tmp / "blobs")
    people, findings = house.people, house.findings
    people.bootstrap_first_user("admin", PASSWORDS["admin"], "王科长")
    with house.acting(PRINCIPALS["bureau"]):
        for path in (WEIBIN, ZHENGZHOU):
            import_package(house.services, load_package(path))
        people.add_user("wb", Role.DEPARTMENT, PASSWORDS["wb"], "卫滨工信局", "WB-GXJ")
        people.add_user("eva", Role.EVALUATOR, PASSWORDS["eva"], "评价组")
        people.add_user("aud", Role.AUDITOR, PASSWORDS["aud"], "审计")
        for ref in (R1, R2):
            findings.issue_finding(
                ref,
                rectification_class=RectificationClass.PHASED,
                requirements="细化预算测算",
                issued_on=date(2025, 9, 1),
                due=date(2025, 11, 30),
            )
    return World(house, tmp)


def record_r3(world: World) -> None:
    with world.house.acting(PRINCIPALS["bureau"]):
        world.house.findings.record_finding(
            ref=R3,
            department_code="WB-GXJ",
            fiscal_year=2025,
            category="预算执行",
            title="预算执行进度慢（再次发现）",
            description="与上年问题相同",
        )


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    w = build_world(f"sqlite:///{tmp_path / 'rectify.db'}", tmp_path)
    try:
        yield w
    finally:
        w.house.close()


@pytest.fixture
def any_world(db_url: str, tmp_path: Path) -> Iterator[World]:
    """The same world on a SQLite file and on the PostgreSQL server."""
    w = build_world(db_url, tmp_path)
    try:
        yield w
    finally:
        w.house.close()


async def settle(pilot: Any) -> None:
    """Wait for every thread worker and the messages it posted; on a home, until its
    last section (the evaluation lines, streamed after the rest) is in."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    for _ in range(200):
        if getattr(pilot.app.screen, "home_complete", True):
            return
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.05)
    raise AssertionError("the home never finished loading")


def sync(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async Pilot test in its own event loop (no asyncio plugin needed)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


async def open_weibin_evaluation(pilot: Any) -> None:
    """On the evaluations screen: open the Weibin evaluation's indicator tree."""
    from textual.widgets import DataTable

    await settle(pilot)
    listing = pilot.app.screen.query_one("#evaluation-list", DataTable)
    titles = [str(listing.get_row_at(i)[0]) for i in range(listing.row_count)]
    listing.move_cursor(row=next(i for i, t in enumerate(titles) if "卫滨" in t))
    await pilot.press("enter")
    await settle(pilot)


async def weibin_scored_leaf(pilot: Any) -> tuple[Any, Any, Any]:
    """The evaluations screen on the Weibin tree: (screen, scorecard, a leaf scored > 1)."""
    from rectify.tui.screens.evaluations import EvaluationsScreen

    await open_weibin_evaluation(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, EvaluationsScreen) and screen.card is not None
    card = screen.card
    leaf = next(n for n in card.nodes if n.is_leaf and n.score is not None and n.score > 1)
    return screen, card, leaf
