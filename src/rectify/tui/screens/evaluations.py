"""绩效评价: the evaluations, one's indicator tree (weights, awarded, what the rule
gives, the difference highlighted, parent sums, total and grade), a leaf's score
history across stages, revising a score with a reason, one indicator across years
as a small chart, the tree as of a past date (time travel), and the checker's findings
for the evaluation (`k`, card_checks.py)."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Header, Input, Static
from textual_plotext import PlotextPlot

from rectify.domain.evaluation import Scorecard
from rectify.domain.identity import Role
from rectify.tui.card_checks import CardCheck, card_checks
from rectify.tui.footer import footer
from rectify.tui.inputs import TermInput, focus_now
from rectify.tui.labels import KEYS, number, reason_line, short, stage_label, when
from rectify.tui.loading import Loaded, LoadingScreen
from rectify.tui.screens.score_form import ScoreFormScreen


def _rule_text(node: Any) -> str:
    r = node.rule_range
    if r is None:
        return "—"
    return f"{r.lo:f}" if r.is_point else f"{r.lo:f}～{r.hi:f}"


def tree_rows(card: Scorecard) -> list[tuple[str, tuple[str, ...]]]:
    rows: list[tuple[str, tuple[str, ...]]] = []
    for n in card.nodes:
        name = "  " * n.depth + (n.printed_code or n.code) + " " + n.name
        diff = n.rule_difference
        diff_text = f"[b red]{diff:+f}[/]" if diff not in (None, 0) else ""
        if n.weight_difference not in (None, 0):
            diff_text += f" [yellow]权重差 {n.weight_difference:+f}[/]"
        rows.append(
            (
                n.code,
                (
                    name,
                    number(n.weight),
                    number(n.score),
                    _rule_text(n),
                    diff_text,
                    stage_label(n.stage.value if n.stage else None),
                ),
            )
        )
    return rows


class EvaluationsScreen(LoadingScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("h", "history", KEYS["history"]),
        # Priority: run as the app reads the key, so that a score typed behind it in the
        # same burst (tmux `send-keys e 2.5`) lands in the form it opens; in the date
        # field the action skips and the `e` is typed there (action_revise).
        Binding("e", "revise", KEYS["revise"], priority=True),
        Binding("c", "chart", KEYS["chart"]),
        Binding("t", "as_of", "按日期查看", priority=True),  # as `e`: the date behind it
        Binding("k", "checks", KEYS["checks"]),
        Binding("escape", "back_to_list", KEYS["back"], show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.key: str | None = None
        self.department: str | None = None
        self.card: Scorecard | None = None
        self.as_of: date | None = None
        self.shown_as_of: date | None = None  # the date of the tree on screen

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="evaluations"):
            listing: DataTable[str] = DataTable(id="evaluation-list", cursor_type="row")
            yield listing
            yield Static("", id="card-title", classes="section")
            tree: DataTable[str] = DataTable(id="tree", cursor_type="row")
            yield tree
            yield TermInput(
                placeholder="按日期查看 YYYY-MM-DD（空=当前），回车", id="as-of", compact=True
            )
            with Horizontal(id="leaf-panel"):
                history: DataTable[str] = DataTable(id="history", cursor_type="row")
                yield history
                yield PlotextPlot(id="chart")
                checks: DataTable[str] = DataTable(id="checks", cursor_type="row")
                yield checks
            # The highlighted revision's reason or check's words, whole (at 80 columns
            # their column starts past the edge).
            yield Static("", id="leaf-detail", classes="row-detail")
        yield footer()

    def on_mount(self) -> None:
        self.title = "绩效评价"
        self.query_one("#evaluation-list", DataTable).add_columns(
            "评价", "部门", "年度", "阶段", "报告总分"
        )
        self.query_one("#tree", DataTable).add_columns(
            "指标", "权重", "得分", "规则", "差异", "阶段"
        )
        self.query_one("#checks", DataTable).add_columns("核查", "指标", "说明")
        self.query_one("#history", DataTable).add_columns(
            "版本", "阶段", "得分", "原值", "修改人", "时间", "理由"
        )
        for hidden in ("#tree", "#as-of", "#leaf-panel", "#chart", "#leaf-detail", "#checks"):
            self.query_one(hidden).display = False
        backend = self.app.backend  # type: ignore[attr-defined]
        self.load("list", backend.evaluations)

    def show(self, key: str) -> None:
        self.key = key
        backend = self.app.backend  # type: ignore[attr-defined]
        as_of = self.as_of
        self.load("card", lambda: backend.scorecard(key, as_of=as_of))

    def on_loaded(self, message: Loaded) -> None:
        getattr(self, f"_loaded_{message.tag}")(message.value)

    def _loaded_list(self, rows: list[Any]) -> None:
        table = self.query_one("#evaluation-list", DataTable)
        table.clear()
        self._departments = {e.key: e.department_code for e in rows}
        for e in rows:
            total = f"{number(e.stated_total)} {e.stated_grade or ''}"
            table.add_row(
                short(e.title, 40),
                e.department_code,
                str(e.fiscal_year),
                stage_label(e.stage),
                total,
                key=e.key,
            )
        table.focus()
        if self.key:
            self.show(self.key)

    def _loaded_card(self, card: Scorecard) -> None:
        self.card = card
        self.shown_as_of = self.as_of
        self.department = getattr(self, "_departments", {}).get(card.key)
        when_text = f"截至 {self.as_of}" if self.as_of else f"版本 {card.version}"
        stated = (
            f"；报告所称 {number(card.stated_total)} {card.stated_grade or ''}"
            if card.stated_total is not None
            else ""
        )
        self.query_one("#card-title", Static).update(
            f"[b]{card.key}[/]（{when_text}）总分 [b]{card.total:f}[/] 等级 [b]{card.grade or '—'}[/]{stated}"
        )
        tree = self.query_one("#tree", DataTable)
        keep = tree.cursor_row  # the same indicator after a revision or a date change
        tree.clear()
        for code, row in tree_rows(card):
            tree.add_row(*row, key=code)
        tree.move_cursor(row=min(keep, tree.row_count - 1))
        self.query_one("#evaluation-list").display = False
        tree.display = True
        self.query_one("#as-of").display = True
        tree.focus()

    def show_refusal(self, tag: str, text: str) -> None:
        if tag == "card":  # e.g. a date before the evaluation: the tree shown stays
            self._keep_shown_date()
        super().show_refusal(tag, text)

    def _keep_shown_date(self) -> None:
        """Back to the date of the tree on screen, in the field too (it kept the refused
        text beside a tree of another day); empty for today's tree."""
        self.as_of = self.shown_as_of
        shown = self.shown_as_of.isoformat() if self.shown_as_of else ""
        self.query_one("#as-of", Input).value = shown

    def _loaded_history(self, changes: list[Any]) -> None:
        table = self.query_one("#history", DataTable)
        table.clear()
        self.history_reasons = [c.reason or "" for c in changes]
        for c in changes:
            table.add_row(
                str(c.version),
                stage_label(c.stage),
                number(c.value),
                number(c.previous),
                c.actor,
                when(c.recorded_at),
                c.reason or "",
            )
        self.query_one("#leaf-panel").display = True
        table.display = True
        self.query_one("#chart").display = False
        self.query_one("#checks").display = False
        self.query_one("#leaf-detail").display = True

    @on(DataTable.RowHighlighted, "#history")
    def show_reason(self, event: DataTable.RowHighlighted) -> None:
        reasons = getattr(self, "history_reasons", [])
        row = event.cursor_row
        reason = reasons[row] if 0 <= row < len(reasons) else ""
        self.query_one("#leaf-detail", Static).update(reason_line(reason))

    def _loaded_compare(self, points: list[Any]) -> None:
        chart = self.query_one("#chart", PlotextPlot)
        plt = chart.plt
        plt.clear_data()
        scored = [p for p in points if p.score is not None]
        if scored:
            plt.bar([str(p.fiscal_year) for p in scored], [float(p.score) for p in scored])
            plt.title(f"{scored[0].name}（满分 {scored[0].weight:f}）")
        else:
            plt.title("该指标没有跨年度得分")
        self.query_one("#leaf-panel").display = True
        self.query_one("#history").display = False
        self.query_one("#leaf-detail").display = False
        self.query_one("#checks").display = False
        chart.display = True
        chart.refresh()

    def _loaded_checks(self, found: list[CardCheck]) -> None:
        table = self.query_one("#checks", DataTable)
        table.clear()
        shown = {n.code: n.printed_code or n.code for n in self.card.nodes} if self.card else {}
        for i, c in enumerate(found):
            table.add_row(c.label, shown.get(c.code, c.code) or "—", c.message, key=f"{i}|{c.code}")
        if not found:
            table.add_row("全部通过", "—", "没有发现自相矛盾之处")
        self.query_one("#leaf-panel").display = True
        for other in ("#history", "#chart"):
            self.query_one(other).display = False
        self.check_messages = [c.message for c in found]
        self.query_one("#leaf-detail").display = True
        table.display = True
        table.focus()

    @on(DataTable.RowHighlighted, "#checks")
    def show_check(self, event: DataTable.RowHighlighted) -> None:
        messages = getattr(self, "check_messages", [])
        row = event.cursor_row
        text = messages[row] if 0 <= row < len(messages) else ""
        self.query_one("#leaf-detail", Static).update(reason_line(text, "说明"))

    @on(DataTable.RowSelected, "#checks")
    def to_indicator(self, event: DataTable.RowSelected) -> None:
        """Enter on a check: the tree's cursor on its indicator."""
        code = (event.row_key.value or "").partition("|")[2]
        tree = self.query_one("#tree", DataTable)
        if code and self.card is not None:
            codes = [n.code for n in self.card.nodes]
            if code in codes:
                tree.move_cursor(row=codes.index(code))
                tree.focus()

    def action_checks(self) -> None:
        card, key = self.card, self.key
        if card is None or key is None or not self.query_one("#tree").display:
            return
        backend = self.app.backend  # type: ignore[attr-defined]
        self.load("checks", lambda: card_checks(card, backend.evaluation_finding_codes(key)))

    def _loaded_revised(self, changed: bool) -> None:
        self.notify("得分已修订" if changed else "得分未变，未记录")
        if self.key:
            self.show(self.key)

    # -- keys ---------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#evaluation-list")
    def pick(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.show(event.row_key.value)

    def _leaf(self) -> Any:
        if self.card is None or not self.query_one("#tree").display:
            return None
        tree = self.query_one("#tree", DataTable)
        code = tree.coordinate_to_cell_key(tree.cursor_coordinate).row_key.value
        return next((n for n in self.card.nodes if n.code == code), None)

    def action_history(self) -> None:
        node = self._leaf()
        if node is None or self.key is None:
            return
        backend = self.app.backend  # type: ignore[attr-defined]
        key = self.key
        self.load("history", lambda: backend.score_history(key, node.code))

    def action_chart(self) -> None:
        node = self._leaf()
        if node is None or self.department is None:
            return
        backend = self.app.backend  # type: ignore[attr-defined]
        department = self.department
        self.load("compare", lambda: backend.compare(department, node.code))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "revise":
            principal = self.app.backend.principal  # type: ignore[attr-defined]
            return principal is not None and principal.role in (Role.EVALUATOR, Role.BUREAU)
        return True

    def action_revise(self) -> None:
        if isinstance(self.focused, Input):
            raise SkipAction  # a letter typed in the date field, not the key
        node = self._leaf()
        if node is None or not node.is_leaf or self.key is None:
            return
        key = self.key

        def done(result: Any) -> None:
            if result:
                self._loaded_revised(True)

        self.app.push_screen(ScoreFormScreen(key, node), callback=done)

    def action_as_of(self) -> None:
        if self.query_one("#as-of").display:
            focus_now(self, self.query_one("#as-of", Input))

    @on(Input.Submitted, "#as-of")
    def travel(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        try:
            self.as_of = date.fromisoformat(text) if text else None
        except ValueError:
            self.notify(f"日期 {text!r} 不存在（格式 YYYY-MM-DD）", severity="error")
            self._keep_shown_date()
            return
        if self.key:
            self.show(self.key)

    def action_back_to_list(self) -> None:
        if self.query_one("#tree").display:
            for hidden in ("#tree", "#as-of", "#leaf-panel", "#leaf-detail", "#checks"):
                self.query_one(hidden).display = False
            self.query_one("#card-title", Static).update("")
            self.query_one("#evaluation-list").display = True
            self.query_one("#evaluation-list").focus()
