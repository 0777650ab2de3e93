"""问题清单: filters, keyset pages fed into the table as the cursor nears the end.

Every filter change starts a fresh query (the previous worker is cancelled: one
group, exclusive); scrolling asks for the next page after the last ref shown. The
table never holds more than the pages actually looked at.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Checkbox, DataTable, Footer, Header, Input, Select, Static

from rectify.domain.vocabulary import FindingStatus
from rectify.projections.queries import FindingView
from rectify.tui.backend import PAGE, ProblemFilter
from rectify.tui.labels import CLASS_LABELS, KEYS, class_label, day, number, short, status_label
from rectify.tui.loading import Loaded, LoadingScreen

STATUSES = tuple(s.value for s in FindingStatus)
COLUMNS = ("编号", "年度", "部门", "问题", "金额", "类别", "状态", "整改时限")
NEAR_END = PAGE // 2  # rows before the end at which the next page is asked for (prefetch)


def finding_row(f: FindingView) -> tuple[str, ...]:
    years = str(f.fiscal_year) + (f"→{f.last_carried_year}" if f.last_carried_year else "")
    due = day(f.due) + ("（逾期）" if f.overdue else "")
    return (
        f.ref,
        years,
        short(f.department_name or f.department_code, 14),
        short(f.title, 30),
        number(f.amount, f.amount_unit),
        class_label(f.rectification_class),
        status_label(f.status),
        due,
    )


class ProblemsScreen(LoadingScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_filter", KEYS["filter"]),
        Binding("o", "flip('overdue')", KEYS["overdue"]),
        Binding("r", "flip('repeat')", KEYS["repeat"]),
        Binding("f5", "reload", KEYS["refresh"]),
        Binding("escape", "focus_table", KEYS["back"], show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filter = ProblemFilter()
        self.last_ref: str | None = None
        self.more = False
        self.loading_more = False
        self.loaded = 0
        self.pages_shown = 0  # pages put on screen so far (tests and the benchmark wait on it)
        self.refs: list[str] = []  # row index → ref (rows are only ever appended)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filters"):
            yield Input(placeholder="/ 文字", id="f-text", compact=True)
            yield Input(placeholder="年度", id="f-year", compact=True, type="integer")
            yield Input(placeholder="部门编码", id="f-dept", compact=True)
        with Horizontal(id="filters2"):
            yield Select(
                [(status_label(s), s) for s in STATUSES], prompt="状态", id="f-status", compact=True
            )
            yield Select(
                [(label, value) for value, label in CLASS_LABELS.items()],
                prompt="类别",
                id="f-class",
                compact=True,
            )
            yield Checkbox("逾期", id="f-overdue", compact=True)
            yield Checkbox("屡查屡犯", id="f-repeat", compact=True)
        table: DataTable[str] = DataTable(id="findings", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("", id="problems-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = "问题清单"
        table = self.query_one("#findings", DataTable)
        table.add_columns(*COLUMNS)
        table.focus()
        self.reload()

    # -- filters ---------------------------------------------------------------------

    def _read_filter(self) -> ProblemFilter:
        year = self.query_one("#f-year", Input).value.strip()
        status = self.query_one("#f-status", Select).value
        klass = self.query_one("#f-class", Select).value
        return ProblemFilter(
            fiscal_year=int(year) if year.lstrip("-").isdigit() else None,
            department=self.query_one("#f-dept", Input).value.strip() or None,
            status=status if isinstance(status, str) else None,
            rectification_class=klass if isinstance(klass, str) else None,
            overdue=self.query_one("#f-overdue", Checkbox).value,
            repeat=self.query_one("#f-repeat", Checkbox).value,
            text=self.query_one("#f-text", Input).value.strip() or None,
        )

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def filters_changed(self) -> None:
        self.reload()

    def apply_filter(self, flt: ProblemFilter) -> None:
        """Set the widgets from `flt` (the palette and home screen jump in with one)."""
        with self.prevent(Input.Changed, Select.Changed, Checkbox.Changed):
            self.query_one("#f-dept", Input).value = flt.department or ""
            self.query_one("#f-overdue", Checkbox).value = flt.overdue
            self.query_one("#f-repeat", Checkbox).value = flt.repeat
        self.reload()

    def action_flip(self, name: str) -> None:
        box = self.query_one(f"#f-{name}", Checkbox)
        box.value = not box.value

    def action_focus_filter(self) -> None:
        self.query_one("#f-text", Input).focus()

    def action_focus_table(self) -> None:
        self.query_one("#findings", DataTable).focus()

    # -- pages -----------------------------------------------------------------------

    def action_reload(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.filter = self._read_filter()
        self.last_ref = None
        self.loaded = 0
        backend = self.app.backend  # type: ignore[attr-defined]
        flt = self.filter
        self.load("page", lambda: ("first", backend.findings_page(flt, None, PAGE + 1)))

    def _next_page(self) -> None:
        if not self.more or self.loading_more:
            return
        self.loading_more = True
        backend = self.app.backend  # type: ignore[attr-defined]
        flt, after = self.filter, self.last_ref
        self.load("more", lambda: ("more", backend.findings_page(flt, after, PAGE + 1)))

    def on_loaded(self, message: Loaded) -> None:
        kind, rows = message.value
        table = self.query_one("#findings", DataTable)
        if kind == "first":
            table.clear()
            self.refs = []
        self.loading_more = False
        self.more = len(rows) > PAGE
        rows = rows[:PAGE]
        # One add_rows call per page: far cheaper than a call per row.
        table.add_rows(finding_row(f) for f in rows)
        self.refs.extend(f.ref for f in rows)
        if rows:
            self.last_ref = rows[-1].ref
        self.loaded = table.row_count
        self.pages_shown += 1
        more = "，向下滚动加载更多" if self.more else "（全部）"
        self.query_one("#problems-status", Static).update(f"已显示 {self.loaded} 项{more}")

    @on(DataTable.RowHighlighted, "#findings")
    def near_end(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= event.data_table.row_count - NEAR_END:
            self._next_page()

    @on(DataTable.RowSelected, "#findings")
    def open_row(self, event: DataTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self.refs):
            self.app.open_finding(self.refs[event.cursor_row])  # type: ignore[attr-defined]

    def on_screen_resume(self) -> None:
        if self.is_mounted and self.loaded:
            self.reload()

    def selected(self) -> str | None:
        row = self.query_one("#findings", DataTable).cursor_row
        return self.refs[row] if 0 <= row < len(self.refs) else None
