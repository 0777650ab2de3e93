"""问题清单: filters, keyset pages fed into the table as the cursor nears the end.

Every filter change starts a fresh query (the previous worker is cancelled: one
group, exclusive; late pages of an older filter are dropped). The page after the
last one shown is always fetched ahead, so scrolling near the end shows it at once
without waiting for the database. The table holds only the pages looked at.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.lazy import Lazy
from textual.widgets import Checkbox, Header, Input, Select, Static

from rectify.domain.vocabulary import FindingStatus
from rectify.projections.finding_sort import SortCursor, cursor_of
from rectify.projections.queries import FindingView
from rectify.tui.backend import PAGE
from rectify.tui.footer import footer
from rectify.tui.inputs import focus_now
from rectify.tui.labels import CLASS_LABELS, KEYS, class_label, day, number, short, status_label
from rectify.tui.loading import Loaded, LoadingScreen
from rectify.tui.problem_filter import ProblemFilter
from rectify.tui.row_table import RowTable

STATUSES = tuple(s.value for s in FindingStatus)
# What a user scans for comes first, so that 编号 状态 整改时限 问题 fit 80 columns
# (16 + 12 + 17 + 30 cells with padding); the rest scrolls sideways (← →).
COLUMNS = ("编号", "状态", "整改时限", "问题", "年度", "部门", "金额", "类别")
SORT_KEYS = ("ref", "status", "due", "title", "fiscal_year", "department", "amount", "class")
NEAR_END = PAGE // 2  # rows before the end at which the next page is asked for (prefetch)


def finding_row(f: FindingView) -> tuple[str, ...]:
    """One row's cells as plain strings (never parsed as markup: a title may hold "[...]")."""
    years = str(f.fiscal_year) + (f"→{f.last_carried_year}" if f.last_carried_year else "")
    due = day(f.due) + (" 逾期" if f.overdue else "")
    return (
        f.ref,
        status_label(f.status),
        due,
        short(f.title, 28),
        years,
        short(f.department_name or f.department_code, 14),
        number(f.amount, f.amount_unit),
        class_label(f.rectification_class),
    )


class FilterBars(Vertical):
    """The two filter rows; mounted lazily, then shows the filter already in force."""

    def on_mount(self) -> None:
        screen = self.screen
        if isinstance(screen, ProblemsScreen):
            screen.show_filter()


class ProblemsScreen(LoadingScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        # `/` and `t` are priority bindings (focus_now): the text typed behind them in
        # one burst goes to the field they move to.
        Binding("slash", "focus_filter", KEYS["filter"], priority=True),
        Binding("o", "flip('overdue')", KEYS["overdue"]),
        Binding("r", "flip('repeat')", KEYS["repeat"]),
        Binding("s", "sort_next", KEYS["sort"]),
        Binding("t", "as_of", KEYS["as_of"], show=False, priority=True),
        Binding("S", "sort_reverse", KEYS["sort_reverse"], show=False),
        Binding("f5", "reload", KEYS["refresh"], show=False),
        Binding("escape", "focus_table", KEYS["back"], show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filter = ProblemFilter()
        self.last_cursor: SortCursor | None = None
        self.more = False
        self.as_of: date | None = None  # time travel: the list at the end of this day
        self.generation = 0
        self.ahead: list[FindingView] | None = None  # the next page, fetched, not yet shown
        self.want_ahead = False  # the cursor reached the end before the next page came
        self.fetching_ahead = False
        self.loaded = 0
        self.pages_shown = 0  # pages put on screen so far (tests and the benchmark wait on it)
        self.refs: list[str] = []  # row index → ref (rows are only ever appended)

    def compose(self) -> ComposeResult:
        yield Header()
        # The filter bars mount after the first paint (Lazy): the table and its first
        # page come first; the filters are there a frame later (see docs/tui.md, speed).
        yield Lazy(
            FilterBars(
                Horizontal(
                    Input(placeholder="/ 文字", id="f-text", compact=True),
                    Input(placeholder="年度", id="f-year", compact=True, type="integer"),
                    Input(placeholder="部门编码", id="f-dept", compact=True),
                    Input(placeholder="t 某日清单 YYYY-MM-DD", id="f-as-of", compact=True),
                    id="filters",
                ),
                Horizontal(
                    Select(
                        [(status_label(s), s) for s in STATUSES],
                        prompt="状态",
                        id="f-status",
                        compact=True,
                    ),
                    Select(
                        [(label, value) for value, label in CLASS_LABELS.items()],
                        prompt="类别",
                        id="f-class",
                        compact=True,
                    ),
                    Checkbox("逾期", id="f-overdue", compact=True),
                    Checkbox("屡查屡犯", id="f-repeat", compact=True),
                    id="filters2",
                ),
                id="filter-bars",
            )
        )
        yield RowTable(id="findings")
        yield Static("", id="problems-status")
        yield footer()

    def on_mount(self) -> None:
        self.title = "问题清单"
        table = self.query_one("#findings", RowTable)
        table.add_columns(*COLUMNS)
        table.focus()
        self.reload()

    # -- filters ---------------------------------------------------------------------

    def _read_filter(self) -> ProblemFilter:
        if not self.query("#f-year"):  # not mounted yet (Lazy): the filter set so far
            return self.filter
        year = self.query_one("#f-year", Input).value.strip()
        status = self.query_one("#f-status", Select).value
        klass = self.query_one("#f-class", Select).value
        return ProblemFilter(
            sort=self.filter.sort,
            descending=self.filter.descending,
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
    def filters_changed(self, event: Input.Changed | Select.Changed | Checkbox.Changed) -> None:
        if isinstance(event, Input.Changed) and event.input.id == "f-as-of":
            return  # a date applies on Enter, not while it is being typed
        self.reload()

    # -- time travel -----------------------------------------------------------------

    def action_as_of(self) -> None:
        if self.query("#f-as-of"):
            focus_now(self, self.query_one("#f-as-of", Input))

    @on(Input.Submitted, "#f-as-of")
    def travel(self, event: Input.Submitted) -> None:
        """The list as it stood at the end of a day, rebuilt from the log (empty: today);
        every filter applies to the findings as they were then."""
        text = event.value.strip()
        try:
            day = date.fromisoformat(text) if text else None
        except ValueError:
            self.notify(f"日期 {text!r} 不存在（格式 YYYY-MM-DD）", severity="error")
            return
        self.as_of = day
        self.filter = replace(self.filter, sort="ref", descending=False)
        self.reload()
        self.action_focus_table()

    @on(Input.Submitted, "#f-text, #f-year, #f-dept")
    def filter_entered(self) -> None:
        """Enter in a filter: on to the rows it chose, from the first (tmux trial: the
        focus stayed in the field, so ↓ and Enter did nothing to the list)."""
        self.action_focus_table()
        self.query_one("#findings", RowTable).move_cursor(row=0)

    def apply_filter(self, flt: ProblemFilter) -> None:
        """Filter by `flt` (the palette and home screen jump in with one)."""
        self.filter = flt
        self.show_filter()
        self.reload()

    def show_filter(self) -> None:
        """Set the widgets (once mounted) from the filter in force."""
        if not self.query("#f-year"):
            return
        flt = self.filter
        with self.prevent(Input.Changed, Select.Changed, Checkbox.Changed):
            self.query_one("#f-dept", Input).value = flt.department or ""
            self.query_one("#f-overdue", Checkbox).value = flt.overdue
            self.query_one("#f-repeat", Checkbox).value = flt.repeat

    def action_flip(self, name: str) -> None:
        if not self.query(f"#f-{name}"):  # a key pressed before the filter bars mounted
            flt = self.filter
            self.apply_filter(
                replace(flt, overdue=not flt.overdue)
                if name == "overdue"
                else replace(flt, repeat=not flt.repeat)
            )
            return
        box = self.query_one(f"#f-{name}", Checkbox)
        box.value = not box.value

    def action_focus_filter(self) -> None:
        if self.query("#f-text"):
            focus_now(self, self.query_one("#f-text", Input))

    def action_focus_table(self) -> None:
        self.query_one("#findings", RowTable).focus()

    # -- pages -----------------------------------------------------------------------

    def action_reload(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.filter = self._read_filter()
        self.generation += 1  # pages of an older filter arriving late are dropped
        self.last_cursor = None
        self.ahead = None
        self.want_ahead = self.fetching_ahead = False
        self.loaded = 0
        backend = self.app.backend  # type: ignore[attr-defined]
        flt, gen = self.filter, self.generation
        self.load("page", lambda: ("first", gen, self._page(backend, flt, None)))

    def _page(
        self, backend: Any, flt: ProblemFilter, after: SortCursor | None
    ) -> list[FindingView]:
        """One page (PAGE + 1 rows): today's list, or the list as of a day from the log."""
        rows: list[FindingView]
        if self.as_of is not None:
            ref = after.ref if after else None
            rows = backend.findings_as_of(self.as_of, flt, ref, PAGE + 1)
        else:
            rows = backend.findings_page(flt, after, PAGE + 1)
        return rows

    def _fetch_ahead(self) -> None:
        """Fetch the page after the last one shown, to show it the moment it is wanted."""
        if not self.more or self.fetching_ahead or self.ahead is not None:
            return
        self.fetching_ahead = True
        backend = self.app.backend  # type: ignore[attr-defined]
        flt, after, gen = self.filter, self.last_cursor, self.generation
        self.load("more", lambda: ("ahead", gen, self._page(backend, flt, after)))

    def _next_page(self) -> None:
        if self.ahead is not None:
            rows, self.ahead = self.ahead, None
            self._show(rows)
        elif self.more:
            self.want_ahead = True
            self._fetch_ahead()

    def on_loaded(self, message: Loaded) -> None:
        kind, gen, rows = message.value
        if gen != self.generation:
            return
        if kind == "first":
            table = self.query_one("#findings", RowTable)
            table.clear()
            self.refs = []
            self._show(rows)
            return
        self.fetching_ahead = False
        self.ahead = rows
        if self.want_ahead:
            self.want_ahead = False
            self._next_page()

    def _show(self, rows: list[FindingView]) -> None:
        """Append one fetched page (PAGE + 1 rows asked: the extra one says "more")."""
        table = self.query_one("#findings", RowTable)
        self.more = len(rows) > PAGE
        rows = rows[:PAGE]
        # One add_rows call per page: far cheaper than a call per row.
        table.add_rows(finding_row(f) for f in rows)
        self.refs.extend(f.ref for f in rows)
        if rows:
            self.last_cursor = cursor_of(rows[-1], self.filter.sort)
        self.loaded = table.row_count
        self.pages_shown += 1
        self._fetch_ahead()
        more = "，向下滚动加载更多" if self.more else "（全部）"
        if self.as_of is not None:
            when = f"截至 {self.as_of} 的清单（由事件日志重建，按编号）"
            self.query_one("#problems-status", Static).update(
                f"{when} 已显示 {self.loaded} 项{more}"
            )
            return
        arrow = "↓" if self.filter.descending else "↑"
        order = f"按{COLUMNS[SORT_KEYS.index(self.filter.sort)]}{arrow}"
        self.query_one("#problems-status", Static).update(
            f"已显示 {self.loaded} 项（{order}）{more}"
        )

    # -- sort ------------------------------------------------------------------------

    def sort_by(self, key: str, descending: bool) -> None:
        if self.as_of is not None:
            self.notify("回溯清单只按编号排列", severity="warning")
            return
        self.filter = replace(self.filter, sort=key, descending=descending)
        self.reload()

    def action_sort_next(self) -> None:
        """`s`: the next column, ascending."""
        at = SORT_KEYS.index(self.filter.sort)
        self.sort_by(SORT_KEYS[(at + 1) % len(SORT_KEYS)], False)

    def action_sort_reverse(self) -> None:
        self.sort_by(self.filter.sort, not self.filter.descending)

    @on(RowTable.HeaderSelected, "#findings")
    def header_clicked(self, event: RowTable.HeaderSelected) -> None:
        """A click on a column title sorts by it; a second click reverses."""
        key = SORT_KEYS[event.column_index]
        self.sort_by(key, not self.filter.descending if key == self.filter.sort else False)

    @on(RowTable.RowHighlighted, "#findings")
    def near_end(self, event: RowTable.RowHighlighted) -> None:
        if event.cursor_row >= event.table.row_count - NEAR_END:
            self._next_page()

    @on(RowTable.RowSelected, "#findings")
    def open_row(self, event: RowTable.RowSelected) -> None:
        if 0 <= event.cursor_row < len(self.refs):
            self.app.open_finding(self.refs[event.cursor_row])  # type: ignore[attr-defined]

    def on_screen_resume(self) -> None:
        if self.is_mounted and self.loaded:
            self.reload()

    def selected(self) -> str | None:
        row = self.query_one("#findings", RowTable).cursor_row
        return self.refs[row] if 0 <= row < len(self.refs) else None
