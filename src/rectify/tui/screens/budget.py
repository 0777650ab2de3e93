"""预算台账: per department and year, initial, adjustments with reasons, final, rates;
`j` adjusts the selected line (追加/调减) with a reason."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Header, Static

from rectify.domain.identity import Role
from rectify.tui.actions import BUDGET_ADJUST
from rectify.tui.footer import footer
from rectify.tui.labels import KEYS, day, number, rate, when
from rectify.tui.loading import Loaded, LoadingScreen
from rectify.tui.screens.action_form import ActionFormScreen
from rectify.tui.screens.year_choices import YearChoices


class BudgetScreen(LoadingScreen):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("j", "adjust", KEYS["adjust"])]

    def __init__(self) -> None:
        super().__init__()
        self.shown: tuple[str, int] | None = None  # the budget on screen
        self.line_codes: list[str] = []

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`j` only with a budget on screen, for the bureau or the department itself."""
        if action != "adjust":
            return True
        me = self.app.backend.principal  # type: ignore[attr-defined]
        if self.shown is None or me is None:
            return False
        return me.role is Role.BUREAU or (
            me.role is Role.DEPARTMENT and me.department == self.shown[0]
        )

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="budget"):
            yield Static("选择部门与年度（来自已登记的评价），回车查看", classes="section")
            yield YearChoices(id="budget-choices")
            yield Static("", id="budget-summary", classes="section")
            lines: DataTable[str] = DataTable(id="budget-lines", cursor_type="row")
            yield lines
            yield Static("调整记录", classes="section")
            adjustments: DataTable[str] = DataTable(id="budget-adjustments", cursor_type="row")
            yield adjustments
        yield footer()

    def on_mount(self) -> None:
        self.title = "预算台账"
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
            self.query_one(YearChoices).fill(message.value)
            return
        self._show(message.value)

    @on(YearChoices.Chosen)
    def pick(self, event: YearChoices.Chosen) -> None:
        self.open_budget(event.department, event.year)

    def open_budget(self, department: str, year: int) -> None:
        backend = self.app.backend  # type: ignore[attr-defined]
        self.load("budget", lambda: backend.budget(department, year))

    def action_adjust(self) -> None:
        if self.shown is None:
            return
        department, year = self.shown
        lines = self.query_one("#budget-lines", DataTable)
        row = lines.cursor_row
        line = self.line_codes[row] if 0 <= row < len(self.line_codes) else ""
        backend = self.app.backend  # type: ignore[attr-defined]

        def record(values: dict[str, Any]) -> None:
            backend.adjust_budget(department, year, **values)

        def done(recorded: bool | None) -> None:
            if recorded:
                self.notify("已记录预算调整")
                self.open_budget(department, year)

        form = ActionFormScreen(
            BUDGET_ADJUST,
            "",
            heading=f"调整预算：{department} {year} 年度",
            call=record,
            values={"line": line},
        )
        self.app.push_screen(form, callback=done)

    def _show(self, view: Any) -> None:
        summary = self.query_one("#budget-summary", Static)
        lines = self.query_one("#budget-lines", DataTable)
        adjustments = self.query_one("#budget-adjustments", DataTable)
        lines.clear()
        adjustments.clear()
        self.line_codes = []
        if view is None:
            self.shown = None
            self.refresh_bindings()
            summary.update("该部门该年度没有预算记录")
            return
        self.shown = (view.department_code, view.fiscal_year)
        self.line_codes = [ln.code for ln in view.lines]
        self.refresh_bindings()
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
