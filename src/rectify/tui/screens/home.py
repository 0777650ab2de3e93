"""首页, one per role: the bureau's deadlines, reviews and 整改率; the department's
own items by due date and what came back; the evaluator's evaluations and where
scores depart from the rules; the auditor's figures and the way to the log."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Header, Static

from rectify.domain.identity import Role
from rectify.domain.vocabulary import OCCURRENCE_LABELS, STAGE_LABELS
from rectify.projections.dashboard import DeadlineCounts
from rectify.projections.figures import Figures
from rectify.tui.footer import footer
from rectify.tui.home_data import (
    CheckLine,
    EvaluationLine,
    Todo,
    evaluation_batches,
    evaluations_on_home,
    first_parts,
)
from rectify.tui.labels import KEYS, day, rate, role_label, short, stage_label, status_label
from rectify.tui.loading import Loaded, LoadingScreen, Part
from rectify.tui.row_table import RowTable


def counts_text(c: DeadlineCounts, width: int) -> Text:
    """The counts in equal columns, as many to a line as `width` holds (lines balanced):
    a figure never wraps away from its label (at 80 columns they once did: "未销号 ⏎ 50")."""
    items = [
        (f"逾期 {c.overdue}", "bold red"),
        (f"7天内到期 {c.due_in_7}", ""),
        (f"30天内到期 {c.due_in_30}", ""),
        (f"待审核 {c.waiting_review}", ""),
        (f"已退回 {c.returned}", ""),
        (f"屡查屡犯 {c.repeats}", ""),
        (f"未销号 {c.open}", ""),
    ]
    cell = max(cell_len(label) for label, _ in items) + 2
    fits = max(1, min(len(items), (width + 2) // cell))
    lines = -(-len(items) // fits)
    per_line = -(-len(items) // lines)
    text = Text(no_wrap=True, overflow="ellipsis")
    for i, (label, style) in enumerate(items):
        if i % per_line == 0 and i:
            text.append("\n")
        elif i:
            text.append(" " * (cell - cell_len(items[i - 1][0])))
        text.append(label, style)
    return text


# The evaluation lines' columns and their widths in cells (a title is cut to 24).
EVALUATION_COLUMNS = (
    ("评价", 24),
    ("年度", 4),
    ("阶段", max(cell_len(label) for label in STAGE_LABELS.values())),
    ("总分", 6),
    ("等级", 4),
    ("规则不符", 8),
    ("待评分", 6),
)


class HomeScreen(LoadingScreen):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("f5", "reload", KEYS["refresh"])]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="home"):
            yield Static("加载中…", id="home-counts")
            yield Static("", id="todo-title", classes="section")
            todo: DataTable[str] = DataTable(id="todo", cursor_type="row")
            yield todo
            yield Static("", id="figures-title", classes="section")
            # A province's 1,040 department-years: a table that draws only the rows shown.
            yield RowTable(id="figures")
            yield Static("", id="evaluations-title", classes="section")
            evaluations: DataTable[str] = DataTable(id="home-evaluations", cursor_type="row")
            yield evaluations
            yield Static("", id="checks-title", classes="section")
            checks: DataTable[str] = DataTable(id="checks", cursor_type="row")
            yield checks
            yield Static("", id="reminders-title", classes="section")
            reminders: DataTable[str] = DataTable(id="reminders", cursor_type="row")
            yield reminders
        yield footer()

    def on_mount(self) -> None:
        principal = self.app.backend.principal  # type: ignore[attr-defined]
        self.title = f"首页 · {role_label(principal.role)}"
        self.query_one("#todo", DataTable).add_columns("编号", "问题", "状态", "整改时限", "说明")
        self.query_one("#figures", RowTable).add_columns(
            "部门", "年度", "问题数", "数量整改率", "金额整改率", "逾期", "结转", "屡犯"
        )
        # Fixed widths: the lines arrive in batches, and a DataTable sizing its columns
        # to each batch could paint its header at the widths of the batch before.
        evaluations = self.query_one("#home-evaluations", DataTable)
        for label, width in EVALUATION_COLUMNS:
            evaluations.add_column(label, width=width)
        self.query_one("#reminders", DataTable).add_columns("日期", "提醒", "编号", "问题")
        self.query_one("#checks", DataTable).add_columns("评价", "指标", "待看")
        # No load here: the screen's first ScreenResume (right after) loads it. Both
        # ran the home's queries twice at every start, in two workers at once.

    def action_reload(self) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Each section of the first screen in its own worker, at once; the evaluation
        lines after them (see on_loaded). A reload's tags carry its number, so what an
        earlier load still posts is told apart and dropped."""
        backend = self.app.backend  # type: ignore[attr-defined]
        self.home_complete = self.first_shown = False
        old = getattr(self, "_generation", 0)
        self._generation = old + 1
        self.workers.cancel_group(self, f"evaluations@{old}")
        parts = first_parts(backend)
        self._pending, self._sections = set(parts), set(parts)
        for section, call in parts.items():
            self.load(f"{section}@{self._generation}", call)

    counts: DeadlineCounts | None = None  # set when the counts are on screen
    first_shown = False  # set when every section but the evaluation lines is
    home_complete = False  # and when they are too

    def _show_counts(self) -> None:
        if self.counts is None:
            return
        box = self.query_one("#home-counts", Static)
        width = box.content_size.width or self.app.size.width - 4
        box.update(counts_text(self.counts, width))

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._show_counts)

    def _current(self, tag: str) -> str | None:
        """The section a message is for, or None when an earlier load posted it."""
        section, _, generation = tag.partition("@")
        return section if generation == str(self._generation) else None

    def on_loaded(self, message: Loaded) -> None:
        section = self._current(message.tag)
        if section == "counts":
            self.counts = message.value
            self._show_counts()
        elif section == "todo":
            self._todo(message.value)
            self._reminders(message.value)
        elif section == "figures":
            self._figures(message.value)
        else:
            return
        self._pending.discard(section)
        if not self._pending:
            self._first_done()

    def _first_done(self) -> None:
        self.first_shown = True
        # Only now: focused as each section came in, the table that took the cursor
        # depended on which worker finished first.
        self._focus_first()
        role = self.app.backend.principal.role  # type: ignore[attr-defined]
        if role is Role.AUDITOR:
            self.query_one("#todo-title", Static).update("只读：按 5 打开事件日志，v 校验封存")
            self.query_one("#todo-title").display = True
        if "figures" not in self._sections:
            self._figures([])  # hides the table and its title
        self._clear_evaluations(role)
        # The replayed scorecards next, a batch at a time, once the rest is in place:
        # started with it, their CPU work would slow it down (one GIL for all threads).
        backend = self.app.backend  # type: ignore[attr-defined]
        self.stream(f"evaluations@{self._generation}", lambda: evaluation_batches(backend))

    def on_part(self, message: Part) -> None:
        if self._current(message.tag) != "evaluations":
            return
        if message.last:
            self.home_complete = True
            shown = self.query_one("#home-evaluations", DataTable).row_count
            if not shown:
                self.query_one("#evaluations-title").display = False  # none: no "加载中…"
            role = self.app.backend.principal.role  # type: ignore[attr-defined]
            if shown and shown == evaluations_on_home(role):
                self.query_one("#evaluations-title", Static).update(
                    f"评价：最近 {shown} 个，全部按 3 查看（得分与规则不符的末级指标数）"
                )
            return
        lines, checks = message.value
        self._add_evaluations(lines)
        self._add_checks(checks)
        self._focus_first()

    def _focus_first(self) -> None:
        if not isinstance(self.focused, DataTable | RowTable) or not self.focused.row_count:
            for table in self.query("DataTable, RowTable"):
                if isinstance(table, DataTable | RowTable) and table.display and table.row_count:
                    table.focus(scroll_visible=False)  # keep the counts above in view
                    break

    def _todo(self, todo: Todo) -> None:
        table = self.query_one("#todo", DataTable)
        table.clear()
        table.display = bool(todo.title)
        self.query_one("#todo-title", Static).update(todo.title)
        # An empty title still takes its margin: hidden, so 80×24 shows rows, not gaps.
        self.query_one("#todo-title").display = bool(todo.title)
        # Cut to fit 80 columns; the whole title and reason are on the finding's screen.
        for f in todo.items:
            due = day(f.due) + (" 逾期" if f.overdue else "")
            note = short(todo.returned_reasons.get(f.ref, ""), 12)
            table.add_row(f.ref, short(f.title, 16), status_label(f.status), due, note, key=f.ref)

    def _figures(self, figures: list[Figures]) -> None:
        table = self.query_one("#figures", RowTable)
        table.clear()
        table.display = bool(figures)
        self.query_one("#figures-title", Static).update("整改率（按部门、年度）" if figures else "")
        self.query_one("#figures-title").display = bool(figures)
        table.add_rows(
            (
                short(r.department_name or r.department_code, 16),
                str(r.year),
                str(r.total),
                rate(r.rate_by_count),
                rate(r.rate_by_amount),
                str(r.overdue),
                str(r.carried_over),
                str(r.repeats),
            )
            for r in figures
        )

    def _clear_evaluations(self, role: Role) -> None:
        """Empty the evaluation and check tables; the batches fill them (bureau, evaluator)."""
        self._checks_shown = 0
        coming = role in (Role.BUREAU, Role.EVALUATOR)
        for table_id, title_id in (
            ("#home-evaluations", "#evaluations-title"),
            ("#checks", "#checks-title"),
        ):
            self.query_one(table_id, DataTable).clear()
            self.query_one(table_id).display = False
            self.query_one(title_id, Static).update("")
            self.query_one(title_id).display = False
        if coming:
            self.query_one("#evaluations-title", Static).update("评价（加载中…）")
            self.query_one("#evaluations-title").display = True

    def _add_evaluations(self, lines: list[EvaluationLine]) -> None:
        table = self.query_one("#home-evaluations", DataTable)
        if lines:
            table.display = True
            self.query_one("#evaluations-title", Static).update(
                "评价（得分与规则不符的末级指标数）"
            )
        for e in lines:
            table.add_row(
                short(e.title, 24),
                str(e.year),
                stage_label(e.stage),
                e.total,
                e.grade,
                str(e.differences),
                str(e.waiting),
                key=e.key,
            )

    def _add_checks(self, checks: list[CheckLine]) -> None:
        table = self.query_one("#checks", DataTable)
        for c in checks:
            table.add_row(short(c.title, 20), c.code, c.what, key=f"{c.key}|{self._checks_shown}")
            self._checks_shown += 1
        if self._checks_shown:
            table.display = True
            title = f"待看（{self._checks_shown}）：核查发现与待本阶段评分；回车打开评价"
            self.query_one("#checks-title", Static).update(title)
            self.query_one("#checks-title").display = True

    @on(DataTable.RowSelected, "#checks")
    def open_checked(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            key = event.row_key.value.rsplit("|", 1)[0]
            self.app.call_later(self.app.open_evaluation, key)  # type: ignore[attr-defined]

    def _reminders(self, todo: Todo) -> None:
        table = self.query_one("#reminders", DataTable)
        table.clear()
        table.display = bool(todo.reminders)
        title = "未读提醒（应报送的整改情况在前；6 打开收件箱）" if todo.reminders else ""
        self.query_one("#reminders-title", Static).update(title)
        self.query_one("#reminders-title").display = bool(todo.reminders)
        for i in todo.reminders:
            table.add_row(
                day(i.for_date),
                OCCURRENCE_LABELS.get(i.kind, i.kind),
                i.ref,
                short(i.title),
                key=i.ref + "|" + i.key,
            )

    @on(DataTable.RowSelected, "#reminders")
    def open_reminder(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.app.open_finding(event.row_key.value.split("|", 1)[0])  # type: ignore[attr-defined]

    @on(DataTable.RowSelected, "#todo")
    def open_finding(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.app.open_finding(event.row_key.value)  # type: ignore[attr-defined]

    @on(DataTable.RowSelected, "#home-evaluations")
    def open_evaluation(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.app.call_later(self.app.open_evaluation, event.row_key.value)  # type: ignore[attr-defined]
