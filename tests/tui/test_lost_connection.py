"""A lost database connection: the screen says so and retries; the app lives on.
A lost SQLite file likewise, and it is never silently recreated empty.

Real PostgreSQL: the server ends every session of the test database while the problem
list is open; the next page load fails, is shown, and the retry succeeds.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import psycopg
import pytest

from rectify.bootstrap import open_house
from rectify.domain.clock import FixedClock
from rectify.tui import loading
from rectify.tui.row_table import RowTable
from rectify.tui.screens.problems import ProblemsScreen
from tests.conftest import PG_ADMIN
from tests.tui.conftest import TODAY, World, build_world, settle, sync


def _terminate_sessions(database: str) -> int:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (database,),
        ).fetchall()
    return len(rows)


@sync
async def test_problem_list_survives_a_server_side_disconnect(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loading, "RETRY_SECONDS", 0.3)
    world = build_world(pg_url, tmp_path)
    notices: list[str] = []
    try:
        app = world.app("bureau", screen="problems")
        async with app.run_test(size=(80, 24)) as pilot:
            original = app.notify

            def spy(message: str, *args: Any, **kwargs: Any) -> None:
                notices.append(message)
                original(message, *args, **kwargs)

            app.notify = spy  # type: ignore[method-assign]
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, ProblemsScreen)
            shown = screen.pages_shown
            assert _terminate_sessions(pg_url.rsplit("/", 1)[1]) > 0
            await pilot.press("f5")
            for _ in range(50):
                await settle(pilot)
                if screen.pages_shown > shown:
                    break
                await pilot.pause(0.1)
            assert app.is_running
            assert screen.pages_shown > shown, "the retry did not bring the list back"
            assert screen.query_one("#findings", RowTable).row_count == 2
    finally:
        world.house.close()
    assert any("数据库暂不可用" in n for n in notices), notices


@sync
async def test_a_deleted_sqlite_file_is_shown_and_retried_never_recreated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store's file deleted while the TUI runs: reconnecting created a new empty
    file (and showed an empty list). Now each try says the file is missing, in Chinese,
    and retries; once the file is back, the list is back."""
    monkeypatch.setattr(loading, "RETRY_SECONDS", 0.3)
    path = tmp_path / "rectify.db"
    url = f"sqlite:///{path}"
    build_world(url, tmp_path).house.close()
    kept = tmp_path / "kept.db"
    shutil.copy(path, kept)
    house = open_house(url, clock=FixedClock.on(TODAY), blob_dir=tmp_path / "blobs")
    notices: list[str] = []
    try:
        app = World(house, tmp_path).app("bureau", screen="problems")
        async with app.run_test(size=(80, 24)) as pilot:
            app.notify = lambda message, *a, **k: notices.append(message)  # type: ignore[method-assign]
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, ProblemsScreen)
            shown = screen.pages_shown
            path.unlink()
            await pilot.press("f5")
            for _ in range(10):
                await settle(pilot)
                await pilot.pause(0.1)
            assert app.is_running and screen.pages_shown == shown
            assert not path.exists(), "reconnecting created a new store file"
            assert any("库文件不存在" in n and "重试" in n for n in notices), notices
            assert not any("sqlite3" in n for n in notices), notices
            shutil.copy(kept, path)
            for _ in range(50):
                await settle(pilot)
                if screen.pages_shown > shown:
                    break
                await pilot.pause(0.1)
            assert screen.query_one("#findings", RowTable).row_count == 2
    finally:
        house.close()
