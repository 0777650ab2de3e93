"""The clock's scan run by the TUI (single-user SQLite store): it scans at start, its
recorded reminders show in the header's unread count, and it stops with the app.
`rectify tui --with-scheduler` refuses a PostgreSQL store."""

from __future__ import annotations

import asyncio

import pytest

from rectify.bootstrap import open_house
from rectify.cli.main import main
from rectify.scheduler.background import BackgroundScan
from rectify.tui.backend import Backend
from tests.tui.conftest import PRINCIPALS, World, settle, sync


@sync
async def test_the_app_runs_the_scan_and_counts_what_it_recorded(world: World) -> None:
    assert world.backend("department").unread_count() == 0
    background = BackgroundScan(world.house)
    app = world.app("department", background=background)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(500):  # the first scan starts at once, in the scheduler's thread
            if background.scans:
                break
            await asyncio.sleep(0.02)
        assert background.scans == 1 and background.running
        await asyncio.sleep(0.1)
        await settle(pilot)
        unread = Backend(world.house, PRINCIPALS["department"]).unread_count()
        assert unread > 0
        assert "提醒扫描运行中" in app.sub_title and f"未读提醒 {unread}" in app.sub_title
    assert not background.running  # stopped with the app


def test_with_scheduler_refuses_a_shared_postgresql_store(
    pg_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    open_house(pg_url, create=True).close()
    monkeypatch.setenv("RECTIFY_DB", pg_url)
    code = main(["tui", "--with-scheduler"])
    assert code != 0
    assert "只用于单人使用的 SQLite 库" in capsys.readouterr().err
