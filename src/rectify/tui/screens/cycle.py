"""年度流程: one department's fiscal year, step by step, in tabs — the targets in force
and their revisions, the monitoring reports with deviations and warnings (the bureau
turns a warning into a finding with `w`), self-evaluation vs review per indicator, the
comment round, and the result application beside the budget and the 整改 figures.
Layout and keys only: the rows are built in `cycle_rows`, the reads in `cycle_data`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Header, Static, TabbedContent, TabPane

from rectify.tui import cycle_data
from rectify.tui.footer import footer
from rectify.tui.labels import KEYS
from rectify.tui.loading import Loaded, LoadingScreen
from rectify.tui.screens import cycle_rows
from rectify.tui.screens.year_choices import YearChoices

# (tab id, title, key) — the titles are short so the five fit in 80 columns.
TABS = (
    ("cycle-targets", "目标", "g"),
    ("cycle-monitoring", "监控", "m"),
    ("cycle-review", "自评复核", "v"),
    ("cycle-comments", "征求意见", "c"),
    ("cycle-results", "结果应用", "a"),
)
# Each tab's tables: (id, heading or None, columns).
TABLES: dict[str, tuple[tuple[str, str | None, tuple[str, ...]], ...]] = {
    "cycle-targets": (
        ("cy-targets", None, cycle_rows.TARGET_COLUMNS),
        ("cy-changes", "申报与调整记录", cycle_rows.CHANGE_COLUMNS),
    ),
    "cycle-monitoring": (
        ("cy-periods", None, cycle_rows.PERIOD_COLUMNS),
        ("cy-warnings", "预警（财政局可按 w 转为问题）", cycle_rows.WARNING_COLUMNS),
        ("cy-values", "各指标完成情况与偏差", cycle_rows.VALUE_COLUMNS),
    ),
    "cycle-review": (("cy-deviations", None, cycle_rows.DEVIATION_COLUMNS),),
    "cycle-comments": (("cy-replies", None, cycle_rows.REPLY_COLUMNS),),
    "cycle-results": (
        ("cy-decisions", None, cycle_rows.DECISION_COLUMNS),
        ("cy-rectification", "整改情况", cycle_rows.RECTIFICATION_COLUMNS),
    ),
}


class CycleScreen(LoadingScreen):
    DEFAULT_CSS = """
    #cycle-choices { height: 1fr; }
    #cycle-tabs { height: 1fr; }
    #cycle-tabs TabPane { padding: 0; }
    #cycle-tabs DataTable { height: auto; max-height: 10; }
    #cycle-title, .cy-summary { height: auto; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(key, f"tab('{tab}')", title, show=False) for tab, title, key in TABS),
        Binding("w", "convert", KEYS["convert_warning"]),
        Binding("d", "choose", KEYS["choose_year"]),
        Binding("escape", "choose", KEYS["back"], show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view: cycle_data.CycleView | None = None
        self.warning_ids: list[str | None] = []  # per row of #cy-warnings; None: converted

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "选择部门与年度（来自已登记的评价），回车查看；g m v c a 切换各步", id="cycle-title"
        )
        yield YearChoices(id="cycle-choices")
        with TabbedContent(id="cycle-tabs"):
            for tab, title, key in TABS:
                with TabPane(f"{title}({key})", id=tab), VerticalScroll():
                    yield Static("", classes="cy-summary", id=f"{tab}-summary")
                    for table_id, heading, _ in TABLES[tab]:
                        if heading:
                            yield Static(heading, classes="section")
                        table: DataTable[str] = DataTable(id=table_id, cursor_type="row")
                        yield table
        yield footer()

    def on_mount(self) -> None:
        self.title = "年度流程"
        for tables in TABLES.values():
            for table_id, _, columns in tables:
                self.query_one(f"#{table_id}", DataTable).add_columns(*columns)
        self.query_one("#cycle-tabs").display = False
        backend = self.app.backend  # type: ignore[attr-defined]
        self.load("choices", backend.evaluations)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`w` only for roles that may, on the monitoring tab, on a warning not yet
        converted; the tab keys only with a year open."""
        if action == "convert":
            return (
                cycle_data.may_convert_warning(self.app.backend.principal)  # type: ignore[attr-defined]
                and self.view is not None
                and self.query_one("#cycle-tabs", TabbedContent).active == "cycle-monitoring"
                and any(self.warning_ids)
            )
        if action in ("tab", "choose"):
            return self.view is not None
        return True

    # -- choosing ---------------------------------------------------------------------

    @on(YearChoices.Chosen)
    def pick(self, event: YearChoices.Chosen) -> None:
        self.open_year(event.department, event.year, event.key or None)

    def open_year(self, department: str, year: int, key: str | None) -> None:
        backend = self.app.backend  # type: ignore[attr-defined]
        self.load("cycle", lambda: cycle_data.cycle_view(backend, department, year, key))

    def action_choose(self) -> None:
        self.view = None
        self.query_one("#cycle-tabs").display = False
        choices = self.query_one("#cycle-choices", DataTable)
        choices.display = True
        choices.focus()
        self.query_one("#cycle-title", Static).update("选择部门与年度，回车查看")
        self.refresh_bindings()

    def action_tab(self, tab: str) -> None:
        self.query_one("#cycle-tabs", TabbedContent).active = tab
        # On 监控 the cursor starts on the warnings (what the bureau acts on), if any.
        first = "cy-warnings" if tab == "cycle-monitoring" and self.warning_ids else None
        self.query_one(f"#{first or TABLES[tab][0][0]}", DataTable).focus()
        self.refresh_bindings()

    @on(TabbedContent.TabActivated)
    def tab_changed(self, _event: TabbedContent.TabActivated) -> None:
        self.refresh_bindings()

    # -- the bureau's one key -----------------------------------------------------------

    def action_convert(self) -> None:
        view = self.view
        if view is None:
            return
        table = self.query_one("#cy-warnings", DataTable)
        row = table.cursor_row
        warning = self.warning_ids[row] if 0 <= row < len(self.warning_ids) else None
        if warning is None:
            self.notify("所选预警已转为问题（或未选预警）", severity="warning")
            return
        backend = self.app.backend  # type: ignore[attr-defined]
        department, year = view.department_code, view.fiscal_year
        self.load(
            "converted",
            lambda: cycle_data.convert_warning(backend, department, year, warning),
        )

    # -- showing ------------------------------------------------------------------------

    def on_loaded(self, message: Loaded) -> None:
        if message.tag == "choices":
            self.query_one(YearChoices).fill(message.value)
        elif message.tag == "converted":
            self.notify(f"预警已转为问题 {message.value}（待下发）")
            if self.view is not None:
                v = self.view
                self.open_year(v.department_code, v.fiscal_year, v.evaluation_key)
        else:
            self._show(message.value)

    def _fill(self, table_id: str, rows: list[tuple[str, ...]]) -> None:
        table = self.query_one(f"#{table_id}", DataTable)
        table.clear()
        for row in rows:
            table.add_row(*row)

    def _show(self, view: cycle_data.CycleView) -> None:
        first = self.view is None
        self.view = view
        self.query_one("#cycle-choices").display = False
        self.query_one("#cycle-tabs").display = True
        self.query_one("#cycle-title", Static).update(cycle_rows.heading(view))
        for tab, _, _ in TABS:
            self.query_one(f"#{tab}-summary", Static).update(cycle_rows.summary(tab, view))
        self._fill("cy-targets", cycle_rows.target_rows(view))
        self._fill("cy-changes", cycle_rows.change_rows(view))
        self._fill("cy-periods", cycle_rows.period_rows(view))
        warnings = cycle_rows.warning_rows(view)
        self.warning_ids = [w for w, _ in warnings]
        self._fill("cy-warnings", [row for _, row in warnings])
        self._fill("cy-values", cycle_rows.value_rows(view))
        self._fill("cy-deviations", cycle_rows.deviation_rows(view))
        self._fill("cy-replies", cycle_rows.reply_rows(view))
        self._fill("cy-decisions", cycle_rows.decision_rows(view))
        self._fill("cy-rectification", cycle_rows.rectification_rows(view))
        if first:
            self.action_tab("cycle-targets")
        self.refresh_bindings()

    def show_year(self, department: str, year: int, key: str | None) -> None:
        """Open a year directly (the palette, the inbox)."""
        self.open_year(department, year, key)

    def rows_of(self, table_id: str) -> list[list[Any]]:
        """What a table shows (tests read it the way a person would)."""
        table = self.query_one(f"#{table_id}", DataTable)
        return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
