"""The event log filtered by aggregate (a finding ref, an evaluation key, a department
code or an id), by actor and by type, on the auditor's log screen."""

from __future__ import annotations

from textual.widgets import DataTable, Input

from rectify.domain.finding import Finding
from tests.tui.conftest import R1, World, settle, sync


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
        assert {r[2] for r in by_ref} == {str(finding.id)[:8]}
        assert [int(r[3]) for r in by_ref] == list(range(1, finding.version + 1))
        aggregate.value = str(finding.id)  # the same aggregate by its id
        await settle(pilot)
        assert rows(app) == by_ref
        app.screen.query_one("#log-topic", Input).value = "Finding.Issued"
        await settle(pilot)
        assert [r[1] for r in rows(app)] == ["Finding.Issued"]
        aggregate.value = ""
        app.screen.query_one("#log-topic", Input).value = ""
        app.screen.query_one("#log-actor", Input).value = "nobody-at-all"
        await settle(pilot)
        assert rows(app) == []
        app.screen.query_one("#log-actor", Input).value = "admin"
        await settle(pilot)
        assert rows(app) and {r[4] for r in rows(app)} == {"admin"}
