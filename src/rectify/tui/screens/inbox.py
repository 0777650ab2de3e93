"""收件箱: the reminders the scheduler recorded for this user (due soon, overdue,
returned, closure requested…); Enter marks one read and opens its finding — or, for a
monitoring/self-evaluation report's reminder or overdue mark, that year's 年度流程."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Header, Static

from rectify.domain.vocabulary import OCCURRENCE_LABELS
from rectify.projections.inbox import REPORT_KINDS
from rectify.tui.backend import InboxItem
from rectify.tui.footer import footer
from rectify.tui.labels import KEYS, day, short
from rectify.tui.loading import Loaded, LoadingScreen


class InboxScreen(LoadingScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "read_all", "全部已读"),
        Binding("f5", "reload", KEYS["refresh"]),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[InboxItem] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="inbox-status")
        table: DataTable[str] = DataTable(id="inbox", cursor_type="row", zebra_stripes=True)
        yield table
        yield footer()

    def on_mount(self) -> None:
        self.title = "收件箱"
        self.query_one("#inbox", DataTable).add_columns("", "日期", "提醒", "编号", "问题")
        self.query_one("#inbox", DataTable).focus()
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    def action_reload(self) -> None:
        self.reload()

    def reload(self) -> None:
        backend = self.app.backend  # type: ignore[attr-defined]
        self.load("items", backend.inbox)

    def on_loaded(self, message: Loaded) -> None:
        if message.tag == "read":
            self.app.refresh_unread()  # type: ignore[attr-defined]
            self.reload()
            return
        self.items = message.value
        table = self.query_one("#inbox", DataTable)
        table.clear()
        table.add_rows(
            (
                "" if i.read else "●",
                day(i.for_date),
                OCCURRENCE_LABELS.get(i.kind, i.kind),
                i.ref,
                short(i.title, 30),
            )
            for i in self.items
        )
        unread = sum(not i.read for i in self.items)
        self.query_one("#inbox-status", Static).update(
            f"共 {len(self.items)} 条，未读 {unread} 条；回车标为已读并打开问题，a 全部标为已读"
            if self.items
            else "没有提醒"
        )

    @on(DataTable.RowSelected, "#inbox")
    def open_item(self, event: DataTable.RowSelected) -> None:
        if not 0 <= event.cursor_row < len(self.items):
            return
        item = self.items[event.cursor_row]
        backend = self.app.backend  # type: ignore[attr-defined]
        if not item.read:
            self.load("read", lambda: backend.mark_read(item.key))
        if item.kind in REPORT_KINDS:  # about a monitoring plan's period: DEPT/YEAR/PERIOD
            department, year, _period = item.ref.rsplit("/", 2)
            self.run_worker(self.app.open_cycle(department, int(year), None))  # type: ignore[attr-defined]
            return
        self.app.open_finding(item.ref)  # type: ignore[attr-defined]

    def action_read_all(self) -> None:
        backend = self.app.backend  # type: ignore[attr-defined]
        self.load("read", lambda: backend.mark_read(None))
