"""预算台账: per department and year, initial, adjustments with reasons, final, rates."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Header, Static

from rectify.tui.labels import day, number, rate, when
from rectify.tui.loading import Loaded, LoadingScreen


class BudgetScreen(LoadingScreen):
    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="budget"):
            yield Static("选择部门与年度（来自已登记的评价），回车查看", classes="section")
            choices: DataTable[str] = DataTable(id="budget-choices", cursor_type="row")
            yield choices
            yield Static("", id="budget-summary", classes="section")
            lines: DataTable[str] = DataTable(id="budget-lines", cursor_type="row")
            yield lines
            yield Static("调整记录", classes="section")
            adjustments: DataTable[str] = DataTable(id="budget-adjustments", cursor_type="row")
            yield adjustments
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "预算台账"
        self.query_one("#budget-choices", DataTable).add_columns("部门", "年度", "评价")
        self.query_one("#budget-lines", DataTable).add_columns(
            "代码", "预算行", "年初", "调整", "调整后", "决算"
        )
        self.query_one("#budget-adjustments", DataTable).add_columns(
            "预算行", "金额", "日期", "文号", "理由", "操作人", "记录时间"
        )
        backend = self.app.backend  # type: ignore[attr-defined]
        self.load("choices", backend.evaluations)

    def on_loaded(self, message: Loaded) -> None:
        if message.tag == "choices":
            table = self.query_one("#budget-choices", DataTable)
            table.clear()
            for e in message.value:
                table.add_row(
                    e.department_code,
                    str(e.fiscal_year),
                    e.title,
                    key=f"{e.department_code}|{e.fiscal_year}",
                )
            table.focus()
            return
        self._show(message.value)

    @on(DataTable.RowSelected, "#budget-choices")
    def pick(self, event: DataTable.RowSelected) -> None:
        if not event.row_key.value:
            return
        department, year = event.row_key.value.split("|")
        backend = self.app.backend  # type: ignore[attr-defined]
        self.load("budget", lambda: backend.budget(department, int(year)))

    def _show(self, view: Any) -> None:
        summary = self.query_one("#budget-summary", Static)
        lines = self.query_one("#budget-lines", DataTable)
        adjustments = self.query_one("#budget-adjustments", DataTable)
        lines.clear()
        adjustments.clear()
        if view is None:
            summary.update("该部门该年度没有预算记录")
            return
        summary.update(
            f"[b]{view.department_code} {view.fiscal_year} 年度[/]（{view.unit}）"
            f" 年初 {number(view.initial)}  调整后 {number(view.adjusted)}  决算 {number(view.final)}"
            f"  执行率 {rate(view.execution_rate)}  调整率 {rate(view.adjustment_rate)}"
        )
        for ln in view.lines:
            lines.add_row(
                ln.code,
                ln.name,
                number(ln.initial),
                number(ln.adjustments),
                number(ln.adjusted),
                number(ln.final),
            )
        for a in view.adjustments:
            adjustments.add_row(
                a.line,
                number(a.amount),
                day(a.on),
                a.document or "—",
                a.reason,
                a.actor,
                when(a.recorded_at),
            )
