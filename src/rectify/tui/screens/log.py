"""事件日志 (bureau and auditor): every stored event, filtered by type, aggregate or actor,
paged by position; `v` recomputes the seal with a progress bar."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import DataTable, Header, Input, ProgressBar, Static

from rectify.domain.vocabulary import event_title
from rectify.projections.event_log import LoggedEvent
from rectify.projections.seal import VerifyResult
from rectify.tui.backend import PAGE
from rectify.tui.footer import footer
from rectify.tui.inputs import TermInput, focus_now
from rectify.tui.labels import KEYS, LOG_COLUMNS, LOG_TOPIC_HINT, clock_time, reason_line
from rectify.tui.loading import Loaded, LoadingScreen


def _at(stamp: str | None) -> str:
    """Beijing time without the zone: the column's title says it."""
    try:
        return clock_time(datetime.fromisoformat(stamp)) if stamp else "—"
    except ValueError:
        return stamp or "—"


class LogScreen(LoadingScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("v", "verify", KEYS["verify"]),
        Binding("slash", "focus_filter", KEYS["filter"], priority=True),  # focus_now
    ]

    def __init__(self) -> None:
        super().__init__()
        self.last = 0
        self.more = False
        self.reasons: list[str] = []  # by row: the reason of each event shown
        # A thread cannot be stopped: a page of an older filter may come back after a
        # newer one (tmux: Ctrl+U then 退回 showed the whole log); such pages are dropped.
        self.generation = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="log-filters"):
            yield TermInput(placeholder=LOG_TOPIC_HINT, id="log-topic", compact=True)
            yield TermInput(
                placeholder="对象（问题编号/评价/部门）", id="log-aggregate", compact=True
            )
            yield TermInput(placeholder="操作人", id="log-actor", compact=True)
        yield Static("封存：按 v 校验", id="seal-status")
        yield ProgressBar(id="verify-progress", show_eta=False)
        table: DataTable[str] = DataTable(id="events", cursor_type="row", zebra_stripes=True)
        yield table
        # The highlighted event's reason, whole and wrapped: at 80 columns the 理由
        # column starts past the right edge.
        yield Static("", id="event-reason", classes="row-detail")
        yield footer()

    def on_mount(self) -> None:
        self.title = "事件日志"
        self.query_one("#events", DataTable).add_columns(*LOG_COLUMNS)
        self.query_one("#verify-progress").display = False
        self.query_one("#events", DataTable).focus()
        self.reload()

    def reload(self) -> None:
        self.generation += 1
        self.last = 0
        self.reasons = []
        self.query_one("#events", DataTable).clear()
        self._page()

    def _page(self) -> None:
        backend = self.app.backend  # type: ignore[attr-defined]
        topic = self.query_one("#log-topic", Input).value.strip() or None
        actor = self.query_one("#log-actor", Input).value.strip() or None
        aggregate = self.query_one("#log-aggregate", Input).value.strip() or None
        after, gen = self.last, self.generation
        self.load("page", lambda: (gen, backend.events(after, topic, actor, PAGE + 1, aggregate)))

    @on(Input.Changed)
    def filter_changed(self) -> None:
        self.reload()

    def action_focus_filter(self) -> None:
        focus_now(self, self.query_one("#log-topic", Input))

    @on(DataTable.RowHighlighted, "#events")
    def near_end(self, event: DataTable.RowHighlighted) -> None:
        row = event.cursor_row
        reason = self.reasons[row] if 0 <= row < len(self.reasons) else ""
        self.query_one("#event-reason", Static).update(reason_line(reason))
        if self.more and event.cursor_row >= event.data_table.row_count - 10:
            self.more = False
            self._page()

    def action_verify(self) -> None:
        bar = self.query_one("#verify-progress", ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)
        self.query_one("#seal-status", Static).update("正在校验封存链…")
        backend = self.app.backend  # type: ignore[attr-defined]

        def progress(checked: int, sealed: int) -> None:
            self.app.call_from_thread(bar.update, total=max(sealed, 1), progress=checked)

        self.load("verify", lambda: backend.verify(progress))

    def on_loaded(self, message: Loaded) -> None:
        if message.tag == "verify":
            self._verified(message.value)
            return
        gen: int
        rows: list[LoggedEvent]
        gen, rows = message.value
        if gen != self.generation:
            return
        self.more = len(rows) > PAGE
        table = self.query_one("#events", DataTable)
        for e in rows[:PAGE]:
            table.add_row(
                str(e.position),
                event_title(e.topic),
                e.subject or e.originator_id[:8],
                str(e.version),
                e.actor or "—",
                _at(e.timestamp),
                e.reason or "",
            )
            self.reasons.append(e.reason or "")
            self.last = e.position

    def _verified(self, result: VerifyResult) -> None:
        status = self.query_one("#seal-status", Static)
        if result.ok:
            extra = f"，另有 {result.unsealed} 个事件尚未封存" if result.unsealed else ""
            status.update(
                f"[b green]封存完好[/]：已校验 {result.checked} 个事件（封存至第 {result.sealed_position} 号）{extra}"
            )
        else:
            status.update(f"[b red]封存被破坏[/]：{result.problem}")
