"""A read-only table of many rows that draws only the lines on screen.

The problem list appends a page of rows as the cursor nears the end. Textual's
DataTable renders each cell through Rich (padding, measuring, wrapping) and drops
its line caches whenever rows are added, so a page scroll at 100k findings cost
~80 ms, nearly all of it drawing. Here a row is plain strings cut to fixed column
widths: one Strip per row, made the first time the row is on screen and kept until
the widths or the styles change. Column widths grow to the widest cell seen (as
DataTable's auto width does). Keys: ↑ ↓ PgUp PgDn Home End move the cursor, Enter
selects; a click on a title selects that column (the screen sorts by it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

PAD = 1  # blank cells either side of a value, as DataTable's cell_padding


class RowMessage(Message):
    def __init__(self, table: RowTable, cursor_row: int) -> None:
        super().__init__()
        self.table, self.cursor_row = table, cursor_row

    @property
    def control(self) -> RowTable:
        return self.table


class RowTable(ScrollView, can_focus=True):
    """Rows of strings under column titles; a row cursor; the title line stays put."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "row-table--header",
        "row-table--cursor",
        "row-table--even-row",
    }
    DEFAULT_CSS = """
    RowTable {
        background: $surface;
        color: $foreground;
        &:focus {
            background-tint: $foreground 5%;
            & > .row-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .row-table--header { background-tint: $foreground 5%; }
        }
        &:dark > .row-table--even-row { background: $surface-darken-1 40%; }
        & > .row-table--header { text-style: bold; background: $panel; color: $foreground; }
        & > .row-table--even-row { background: $surface-lighten-1 50%; }
        & > .row-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "选择", show=False),
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
        Binding("pageup", "move_page(-1)", show=False),
        Binding("pagedown", "move_page(1)", show=False),
        Binding("home", "move_to(0)", show=False),
        Binding("end", "move_to(-1)", show=False),
        Binding("left", "scroll_left", show=False),
        Binding("right", "scroll_right", show=False),
    ]

    cursor_row: reactive[int] = reactive(0, always_update=False, repaint=False)

    class RowHighlighted(RowMessage):
        """The cursor is on `cursor_row`."""

    class RowSelected(RowMessage):
        """Enter (or a click on the cursor's row) on `cursor_row`."""

    class HeaderSelected(Message):
        def __init__(self, table: RowTable, column_index: int) -> None:
            super().__init__()
            self.table, self.column_index = table, column_index

        @property
        def control(self) -> RowTable:
            return self.table

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id)
        self.titles: list[str] = []
        self.widths: list[int] = []
        self.rows: list[tuple[str, ...]] = []
        self._strips: dict[tuple[int, str], Strip] = {}
        self._styles: dict[str, Style] = {}

    # -- content ---------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def add_columns(self, *titles: str) -> None:
        self.titles.extend(titles)
        self.widths.extend(cell_len(t) for t in titles)
        self._resized()

    def add_rows(self, rows: Iterable[Sequence[str]]) -> None:
        added = [tuple(r) for r in rows]
        self.rows.extend(added)
        wider = [max((cell_len(r[i]) for r in added), default=0) for i in range(len(self.widths))]
        if any(w > have for w, have in zip(wider, self.widths, strict=True)):
            self.widths = [max(pair) for pair in zip(wider, self.widths, strict=True)]
            self._resized()
        else:
            self.virtual_size = Size(self.virtual_size.width, len(self.rows) + 1)
            self.refresh()
        if len(self.rows) == len(added):  # the first rows: the cursor is on one now
            self.post_message(self.RowHighlighted(self, self.cursor_row))

    def clear(self) -> None:
        self.rows.clear()
        self._strips.clear()
        self.set_reactive(RowTable.cursor_row, 0)
        self.scroll_to(0, 0, animate=False)
        self._resized()

    def get_row_at(self, index: int) -> tuple[str, ...]:
        return self.rows[index]

    def column_offset(self, index: int) -> int:
        """Where column `index` starts, in cells from the left edge of the content."""
        return sum(w + 2 * PAD for w in self.widths[:index])

    def _resized(self) -> None:
        self._strips.clear()
        width = self.column_offset(len(self.widths))
        self.virtual_size = Size(width, len(self.rows) + 1)
        self.refresh()

    # -- drawing ---------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()
        self._strips.clear()

    def on_focus(self, event: events.Focus) -> None:
        self._styles.clear()
        self._strips.clear()

    def on_blur(self, event: events.Blur) -> None:
        self._styles.clear()
        self._strips.clear()

    def _style(self, kind: str) -> Style:
        if kind not in self._styles:
            base = self.rich_style
            self._styles[kind] = (
                base
                if kind == "odd"
                else base + self.get_component_rich_style(f"row-table--{kind}")
            )
        return self._styles[kind]

    def _line(self, cells: Sequence[str], kind: str) -> Strip:
        pad = " " * PAD
        text = "".join(
            pad + set_cell_size(cell, width) + pad
            for cell, width in zip(cells, self.widths, strict=False)
        )
        return Strip([Segment(text, self._style(kind))], cell_len(text))

    def render_line(self, y: int) -> Strip:
        x, width = self.scroll_offset.x, self.size.width
        if y == 0:
            strip = self._strips.get((-1, "header"))
            if strip is None:
                strip = self._strips[(-1, "header")] = self._line(self.titles, "header")
        else:
            row = self.scroll_offset.y + y - 1
            if row >= len(self.rows):
                return Strip.blank(width, self.rich_style)
            kind = "cursor" if row == self.cursor_row else ("odd" if row % 2 else "even-row")
            strip = self._strips.get((row, kind))
            if strip is None:
                strip = self._strips[(row, kind)] = self._line(self.rows[row], kind)
        return strip.crop_extend(x, x + width, self.rich_style)

    # -- the cursor ------------------------------------------------------------------

    def watch_cursor_row(self, old: int, new: int) -> None:
        self._refresh_row(old)
        self._refresh_row(new)
        self._scroll_to_cursor()
        self.post_message(self.RowHighlighted(self, new))

    def _refresh_row(self, row: int) -> None:
        self.refresh_line(row + 1)  # virtual lines: the title line is line 0

    def _scroll_to_cursor(self) -> None:
        shown = max(1, self.size.height - 1)  # the lines under the title line
        top = self.scroll_offset.y
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + shown:
            self.scroll_to(y=self.cursor_row - shown + 1, animate=False)

    def move_cursor(self, *, row: int) -> None:
        if self.rows:
            self.cursor_row = max(0, min(row, len(self.rows) - 1))

    def action_move(self, step: int) -> None:
        self.move_cursor(row=self.cursor_row + step)

    def action_move_page(self, pages: int) -> None:
        self.move_cursor(row=self.cursor_row + pages * max(1, self.size.height - 1))

    def action_move_to(self, row: int) -> None:
        self.move_cursor(row=row if row >= 0 else len(self.rows) - 1)

    def action_select(self) -> None:
        if self.rows:
            self.post_message(self.RowSelected(self, self.cursor_row))

    def on_click(self, event: events.Click) -> None:
        x = event.x + self.scroll_offset.x
        if event.y == 0:
            for index in range(len(self.widths)):
                if x < self.column_offset(index + 1):
                    self.post_message(self.HeaderSelected(self, index))
                    return
            return
        row = self.scroll_offset.y + event.y - 1
        if row < len(self.rows):
            if row == self.cursor_row:
                self.action_select()
            self.move_cursor(row=row)
