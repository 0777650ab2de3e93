"""The department-and-year picker that 预算台账 and 年度流程 share: one row per
registered evaluation; Enter on a row posts `YearChoices.Chosen`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual import on
from textual.message import Message
from textual.widgets import DataTable


class YearChoices(DataTable[str]):
    class Chosen(Message):
        def __init__(self, department: str, year: int, key: str) -> None:
            super().__init__()
            self.department = department
            self.year = year
            self.key = key  # the evaluation's key

    def __init__(self, *, id: str) -> None:  # noqa: A002 - Textual's own name
        super().__init__(id=id, cursor_type="row")

    def on_mount(self) -> None:
        self.add_columns("部门", "年度", "评价")

    def fill(self, evaluations: Iterable[Any]) -> None:
        """The rows from `Backend.evaluations()`; the cursor comes here."""
        self.clear()
        for e in evaluations:
            self.add_row(
                e.department_code,
                str(e.fiscal_year),
                e.title,
                key=f"{e.department_code}|{e.fiscal_year}|{e.key}",
            )
        self.focus()

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value:
            department, year, key = event.row_key.value.split("|", 2)
            self.post_message(self.Chosen(department, int(year), key))
