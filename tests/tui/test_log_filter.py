"""The event log filtered by aggregate (a finding ref, an evaluation key, a department
code or an id), by actor and by type, on the auditor's log screen."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from textual.widgets import DataTable, Input

from rectify.domain.finding import Finding
from tests.tui.conftest import R1, R2, World, settle, sync


def rows(app: object) -> list[list[str]]:
    table = app.screen.query_one("#events", DataTable)  # type: ignore[attr-defined]
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


@sync
async def test_log_by_aggregate_actor_and_type(world: World) -> None:
    finding = world.house.findings.get_finding(R1)
    assert isinstance(finding, Finding)
    app = world.app("auditor", screen="log")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        everything = len(rows(app))
        aggregate = app.screen.query_one("#log-aggregate", Input)
        aggregate.value = R1
        await settle(pilot)
        by_ref = rows(app)
        assert len(by_ref) == finding.version < everything
        assert {r[2] for r in by_ref} == {R1}  # the ref, not the id
        assert [int(r[3]) for r in by_ref] == list(range(1, finding.version + 1))
        aggregate.value = str(finding.id)  # the same aggregate by its id
        await settle(pilot)
        assert rows(app) == by_ref
        app.screen.query_one("#log-topic", Input).value = "下发"
        await settle(pilot)
        assert [r[1] for r in rows(app)] == ["问题：下发"]
        app.screen.query_one("#log-topic", Input).value = "Finding.Issued"  # stored name too
        await settle(pilot)
        assert [r[1] for r in rows(app)] == ["问题：下发"]
        aggregate.value = ""
        app.screen.query_one("#log-topic", Input).value = ""
        app.screen.query_one("#log-actor", Input).value = "nobody-at-all"
        await settle(pilot)
        assert rows(app) == []
        app.screen.query_one("#log-actor", Input).value = "admin"
        await settle(pilot)
        assert rows(app) and {r[4] for r in rows(app)} == {"admin"}


@sync
async def test_log_speaks_chinese_and_names_what_it_can(world: World) -> None:
    """Each event by its Chinese title, its aggregate by ref, key or code where the read
    models know it (else the id's start), and the zone in the time column's title."""
    app = world.app("auditor", screen="log")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#events", DataTable)
        titles = [str(c.label) for c in table.columns.values()]
        assert "时间（北京时间）" in titles
        every = rows(app)
        assert all(not any(c.isascii() and c.isalpha() for c in r[1]) for r in every)
        named: dict[str, set[str]] = {}
        for r in every:
            named.setdefault(r[1], set()).add(r[2])
        assert {"WB-GXJ", "ZZ-GXJ"} <= named["登记部门"]
        assert all(key.startswith(("WB-GXJ", "ZZ-GXJ")) for key in named["登记评价"])
        assert {R1, R2} <= named["记录问题"]
        assert all(len(name) == 8 for name in named["添加用户"])  # a user: its id's start
        assert all(r[5][:2] == "20" and "北京" not in r[5] for r in every)
        app.screen.query_one("#log-topic", Input).value = "评价"
        await settle(pilot)
        assert {r[1] for r in rows(app)} >= {"登记评价"}
        assert all("评价" in r[1] or "得分" in r[1] for r in rows(app))


@sync
async def test_a_page_of_an_older_filter_arriving_late_is_dropped(world: World) -> None:
    """tmux: Ctrl+U then 退回 in the type field showed the whole log — the unfiltered
    page, read in a thread that a newer filter cannot stop, came back last."""
    app = world.app("auditor", screen="log")
    backend = app.backend
    real = backend.events

    def slow_when_unfiltered(*args: Any, **kwargs: Any) -> Any:
        if not (args[1:2] and args[1]):  # no type filter: the slow, older page
            time.sleep(0.5)
        return real(*args, **kwargs)

    backend.events = slow_when_unfiltered  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        topic = app.screen.query_one("#log-topic", Input)
        topic.value = "退回"
        await settle(pilot)
        topic.value = ""  # cleared: the whole log, slow to come
        await pilot.pause()
        topic.value = "下发"  # typed before it came
        await asyncio.sleep(1.0)  # both threads done (a cancelled one cannot be awaited)
        for _ in range(3):
            await pilot.pause()
        assert [r[1] for r in rows(app)] == ["问题：下发", "问题：下发"]
