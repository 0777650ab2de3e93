"""Each role's main flow, driven with Pilot against a real SQLite store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import DataTable, Input, Label, Static

from rectify.domain.finding import Finding
from rectify.tui.row_table import RowTable
from rectify.tui.screens.evaluations import EvaluationsScreen
from tests.tui.conftest import (
    PASSWORDS,
    PRINCIPALS,
    R1,
    R2,
    TODAY,
    World,
    open_weibin_evaluation,
    settle,
    sync,
)

ROOM = (80, 24)


def text_of(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def cells(app: Any, selector: str) -> list[list[str]]:
    table = app.screen.query_one(selector)
    assert isinstance(table, DataTable | RowTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def fill(pilot: Any, **values: str) -> None:
    """Type into the form's fields and press Enter in the last one (submits the form)."""
    field = None
    for name, value in values.items():
        field = pilot.app.screen.query_one(f"#in-{name}", Input)
        field.value = value
    assert field is not None
    field.focus()
    await pilot.press("enter")
    await settle(pilot)


def status_of(world: World, ref: str) -> str:
    finding = world.house.findings.get_finding(ref)
    assert isinstance(finding, Finding)
    return finding.status.value


@sync
async def test_department_reports_and_requests_closure(world: World, tmp_path: Path) -> None:
    evidence = tmp_path / "整改报告.pdf"
    evidence.write_bytes(b"%PDF-1.4 report")
    app = world.app("department")
    async with app.run_test(size=ROOM) as pilot:
        await settle(pilot)
        # Home: the overdue item is at the top of "my items".
        assert "逾期 2" in text_of(app, "#home-counts")
        todo = cells(app, "#todo")
        assert todo[0][0] == R1 and "逾期" in todo[0][3]
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "FindingScreen"
        # Only the department's actions are offered: no close, no return.
        assert app.screen.check_action("form", ("report_progress",)) is True
        assert app.screen.check_action("form", ("close",)) is False
        await pilot.press("p")
        await fill(pilot, text="已建立测算审核制度", percent="150")
        assert "0～100" in str(app.screen.query_one("#err-percent", Label).render())
        await fill(pilot, percent="80")
        assert app.screen.__class__.__name__ == "FindingScreen"
        await pilot.press("a")
        # The date the material belongs to starts as today (the house clock's).
        assert app.screen.query_one("#in-effective_date", Input).value == TODAY.isoformat()
        await fill(pilot, path=str(tmp_path / "missing.pdf"), effective_date="2026-02-30")
        assert "不存在" in str(app.screen.query_one("#err-path", Label).render())
        assert "不是存在的日期" in str(app.screen.query_one("#err-effective_date", Label).render())
        await fill(pilot, path=str(evidence), effective_date="2026-01-10")
        assert cells(app, "#evidence")[0][0] == "整改报告.pdf"
        await pilot.press("r")
        await fill(pilot, note="请审核")
        assert "已申请销号" in text_of(app, "#finding-fields")
        labels = [row[2] for row in cells(app, "#timeline")]
        assert labels[-3:] == ["报告整改进展", "附佐证材料", "申请销号"] or "申请销号" in labels[-1]
    assert status_of(world, R1) == "closure_requested"


@sync
async def test_bureau_returns_one_closes_another_and_sees_the_rate(
    world: World, tmp_path: Path
) -> None:
    proof = tmp_path / "proof.txt"
    proof.write_text("制度文件")
    house = world.house
    with house.acting(PRINCIPALS["department"]):
        for ref in (R1, R2):
            evidence_id = house.evidence.submit_evidence(
                proof if ref == R1 else _copy(proof, tmp_path),
                effective_date=TODAY,
                finding_ref=ref,
            )
            house.findings.request_closure(ref, [evidence_id], "已整改")
    app = world.app("bureau")
    async with app.run_test(size=ROOM) as pilot:
        await settle(pilot)
        assert "待审核 2" in text_of(app, "#home-counts")
        assert cells(app, "#figures")[0][3] == "0.00%"
        await pilot.press("2")
        await settle(pilot)
        refs = [row[0] for row in cells(app, "#findings")]
        assert R1 in refs and R2 in refs
        app.screen.query_one("#findings", RowTable).move_cursor(row=refs.index(R1))
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("b")
        await fill(pilot, reason="")
        assert "理由不能为空" in str(app.screen.query_one("#err-reason", Label).render())
        await fill(pilot, reason="佐证材料不足，缺少会议纪要")
        assert "已退回" in text_of(app, "#finding-fields")
        await pilot.press("escape")
        await settle(pilot)
        refs = [row[0] for row in cells(app, "#findings")]
        app.screen.query_one("#findings", RowTable).move_cursor(row=refs.index(R2))
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("c")
        await fill(pilot, reason="整改到位")
        assert "已销号" in text_of(app, "#finding-fields")
        # A closed finding offers only reopening: closing again is not on the screen.
        assert app.screen.check_action("form", ("close",)) is False
        # `2` while a finding is open on the problem list goes back to the list itself.
        await pilot.press("2")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "ProblemsScreen"
        await pilot.press("1")
        await settle(pilot)
        assert cells(app, "#figures")[0][3] == "50.00%"
    assert status_of(world, R1) == "returned" and status_of(world, R2) == "closed"


def _copy(path: Path, tmp: Path) -> Path:
    other = tmp / "proof2.txt"
    other.write_text(path.read_text() + "（二）")
    return other


@sync
async def test_domain_refusal_is_shown_in_the_form(world: World) -> None:
    """The form passes its own checks; the domain refuses; the same words as the CLI."""
    app = world.app("bureau", finding=R1)
    async with app.run_test(size=ROOM) as pilot:
        await settle(pilot)
        before = world.house.findings.get_finding(R1).version
        await pilot.press("e")
        await fill(pilot, new_due="2026-03-31", reason="等待预算批复")
        assert app.screen.__class__.__name__ == "FindingScreen"
        await pilot.press("k")
        await fill(pilot, earlier_ref="NO-SUCH/1")
        assert "问题 NO-SUCH/1 不存在" in str(app.screen.query_one("#form-error", Label).render())
    assert world.house.findings.get_finding(R1).version == before + 1


@sync
async def test_evaluator_revises_a_score_and_sees_its_history(world: World) -> None:
    app = world.app("evaluator", screen="evaluations")
    async with app.run_test(size=(160, 48)) as pilot:
        await open_weibin_evaluation(pilot)
        screen = app.screen
        assert isinstance(screen, EvaluationsScreen) and screen.card is not None
        card = screen.card
        leaf = next(n for n in card.nodes if n.is_leaf and n.score is not None and n.score > 0)
        codes = [n.code for n in card.nodes]
        app.screen.query_one("#tree", DataTable).move_cursor(row=codes.index(leaf.code))
        await pilot.press("e")
        assert leaf.score is not None
        new_value = leaf.score - 1
        await fill(pilot, value=f"{new_value:f}", reason="")
        assert "理由不能为空" in str(app.screen.query_one("#err-reason", Label).render())
        assert app.screen.query_one("#in-reason").has_class("-invalid")
        await fill(pilot, value=f"{new_value:f}", reason="复核：台账不完整")
        assert screen.card is not None and screen.card.total == card.total - 1
        app.screen.query_one("#tree", DataTable).move_cursor(row=codes.index(leaf.code))
        await pilot.press("h")
        await settle(pilot)
        history = cells(app, "#history")
        assert history[-1][2] == f"{new_value:f}" and history[-1][4] == "eva"
        assert history[-1][6] == "复核：台账不完整"
        await pilot.press("c")
        await settle(pilot)
        assert app.screen.query_one("#chart").display


@sync
async def test_auditor_verifies_the_seal_read_only(world: World) -> None:
    app = world.app("auditor")
    async with app.run_test(size=ROOM) as pilot:
        await settle(pilot)
        assert "只读" in text_of(app, "#todo-title")
        await pilot.press("5")
        await settle(pilot)
        assert app.screen.query_one("#events", DataTable).row_count > 0
        await pilot.press("v")
        await settle(pilot)
        assert "封存完好" in text_of(app, "#seal-status")
        # Nothing to act on: the finding screen offers no action to an auditor.
        app.open_finding(R1)
        await settle(pilot)
        assert not any(
            app.screen.check_action("form", (a,)) for a in ("close", "return", "report_progress")
        )


@sync
async def test_login_screen_uses_the_same_check(world: World) -> None:
    app = world.app(None)
    async with app.run_test(size=ROOM) as pilot:
        await settle(pilot)
        app.screen.query_one("#user", Input).value = "wb"
        app.screen.query_one("#password", Input).value = "wrong-password"
        await pilot.click("#login-button")
        await settle(pilot)
        assert str(app.screen.query_one("#login-error", Label).render())
        app.screen.query_one("#password", Input).value = PASSWORDS["wb"]
        await pilot.click("#login-button")
        await settle(pilot)
        assert app.backend.principal is not None and app.backend.principal.name == "wb"
        assert app.screen.__class__.__name__ == "HomeScreen"


@sync
async def test_department_inbox_unread_count_mark_read_and_jump(world: World) -> None:
    from rectify.scheduler.scan import scan

    recorded = scan(world.house, TODAY)
    assert recorded, "the scan should remind of the two overdue findings"
    app = world.app("department")
    async with app.run_test(size=ROOM) as pilot:
        await settle(pilot)
        unread = len(world.backend("department").inbox(unread_only=True))
        assert world.backend("department").unread_count() == unread  # counted in SQL
        assert unread > 0 and f"未读提醒 {unread}" in app.sub_title
        reminders = cells(app, "#reminders")  # the home screen lists them too
        assert reminders and {r[2] for r in reminders} <= {R1, R2}
        await pilot.press("6")
        await settle(pilot)
        rows = cells(app, "#inbox")
        assert rows[0][0] == "●" and rows[0][3] in (R1, R2)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "FindingScreen"
        # What the clock recorded for this finding is on its timeline, with the day it is for.
        clock = [(row[1], row[2]) for row in cells(app, "#timeline") if row[1] == "system"]
        overdue = [r.for_date for r in recorded if r.ref == rows[0][3] and r.kind == "overdue"]
        assert overdue and ("system", f"整改逾期 {overdue[0]}") in clock
        await pilot.press("escape")
        await settle(pilot)
        assert f"未读提醒 {unread - 1}" in app.sub_title or unread == 1
        await pilot.press("a")
        await settle(pilot)
        assert "未读提醒" not in app.sub_title
        assert all(row[0] == "" for row in cells(app, "#inbox"))
