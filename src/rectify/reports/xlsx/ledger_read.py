"""Read a 整改台账 a department filled in: one entry per row, or every bad cell named
by sheet, row and column. Nothing here touches the store."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from rectify.domain.errors import InvalidInput
from rectify.reports import labels
from rectify.reports.files import check_office_file
from rectify.reports.xlsx.columns import HEADER_ROW, ORIGINAL_REF, SHEET, TITLES

DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)


@dataclass(frozen=True)
class Place:
    sheet: str
    row: int
    column: str  # letter
    title: str

    def __str__(self) -> str:
        return f"工作表「{self.sheet}」第 {self.row} 行 {self.column} 列（{self.title}）"


@dataclass(frozen=True)
class CellProblem:
    place: Place
    message: str

    def __str__(self) -> str:
        return f"{self.place}：{self.message}"


@dataclass(frozen=True)
class LedgerEntry:
    sheet: str
    row: int
    ref: str
    person: str | None
    measures: str | None
    progress: str | None
    percent: int | None
    status: str | None  # a status code
    due: date | None
    note: str | None
    columns: dict[str, str]  # title → letter, to name a place

    def place(self, title: str) -> Place:
        return Place(self.sheet, self.row, self.columns[title], title)


class LedgerProblems(InvalidInput):
    """Every bad cell of a 台账, one per line; nothing was recorded."""

    def __init__(self, path: Path, problems: list[CellProblem]) -> None:
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{path}：台账有 {len(problems)} 处错误，未记录任何内容：\n{lines}")
        self.problems = problems


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def parse_date(value: Any) -> date | None:
    """A cell's date; ValueError naming why when it is not one (or does not exist)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            y, m, d = (int(g) for g in match.groups())
            try:
                return date(y, m, d)
            except ValueError:
                raise ValueError(f"日期「{text}」不存在") from None
    raise ValueError(f"「{text}」不是日期（应为 2025-09-30 或 2025年9月30日）")


def parse_percent(cell: Cell) -> int | None:
    value = cell.value
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(f"「{value}」不是 0–100 的整数")
    if isinstance(value, int | float):
        number = float(value)
        fmt = str(cell.number_format or "")
        if "%" in fmt and '"%"' not in fmt and 0 <= number <= 1:
            number *= 100  # a cell formatted as a percentage stores 0.6 for 60%
    else:
        text = str(value).strip().removesuffix("%").removesuffix("％").strip()
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"「{value}」不是 0–100 的整数") from None
    if number != int(number) or not 0 <= number <= 100:
        raise ValueError(f"「{value}」不是 0–100 的整数")
    return int(number)


def _sheet(wb: Any, path: Path) -> Worksheet:
    ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
    if not isinstance(ws, Worksheet):
        raise InvalidInput(f"{path}：工作表「{ws.title}」不是普通工作表")
    return ws


@dataclass(frozen=True)
class LedgerSheet:
    path: Path
    entries: list[LedgerEntry]
    problems: list[CellProblem]  # cells that could not be read (their rows have no entry)


def read_ledger(path: Path) -> LedgerSheet:
    """The rows of the 台账 at `path`, and every cell that could not be read."""
    check_office_file(path, "xlsx")
    try:
        wb = load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise InvalidInput(
            f"{path}：无法读取工作簿（{type(exc).__name__}）；文件可能已损坏"
        ) from None
    ws = _sheet(wb, path)
    header = {_text(c.value): c.column_letter for c in ws[HEADER_ROW] if _text(c.value)}
    missing = [t for t in TITLES if t not in header]
    if missing:
        raise InvalidInput(
            f"{path}：工作表「{ws.title}」第 {HEADER_ROW} 行缺少列：{'、'.join(missing)}（表头不能删改）"
        )
    columns = {str(k): v for k, v in header.items()}
    problems: list[CellProblem] = []
    entries: list[LedgerEntry] = []
    for cells in ws.iter_rows(min_row=HEADER_ROW + 1):
        by_letter = {c.column_letter: c for c in cells if isinstance(c, Cell)}
        row = cells[0].row
        if row is None or all(_text(c.value) is None for c in by_letter.values()):
            continue
        entry = _entry(ws.title, row, columns, by_letter, problems)
        if entry is not None:
            entries.append(entry)
    return LedgerSheet(path, entries, problems)


def _entry(
    sheet: str,
    row: int,
    columns: dict[str, str],
    cells: dict[str, Cell],
    problems: list[CellProblem],
) -> LedgerEntry | None:
    def cell(title: str) -> Cell | None:
        return cells.get(columns[title]) if title in columns else None

    def value(title: str) -> Any:
        found = cell(title)
        return found.value if found is not None else None

    def bad(title: str, message: str) -> None:
        problems.append(CellProblem(Place(sheet, row, columns[title], title), message))

    before = len(problems)
    ref = _text(value("问题编号"))
    original = _text(value(ORIGINAL_REF))
    if ref is None:
        bad("问题编号", "问题编号为空")
    elif original is not None and ref != original:
        bad("问题编号", f"问题编号被改动（导出时为 {original}）；台账按问题编号逐项对应，不能修改")
    percent: int | None = None
    percent_cell = cell("完成比例")
    if percent_cell is not None:
        try:
            percent = parse_percent(percent_cell)
        except ValueError as exc:
            bad("完成比例", str(exc))
    due: date | None = None
    try:
        due = parse_date(value("整改时限"))
    except ValueError as exc:
        bad("整改时限", str(exc))
    status_text = _text(value("状态"))
    status = labels.STATUS_BY_LABEL.get(status_text) if status_text else None
    if status_text and status is None:
        bad(
            "状态", f"「{status_text}」不是可选的状态（{'、'.join(labels.STATUS_LABELS.values())}）"
        )
    if len(problems) > before or ref is None:
        return None
    return LedgerEntry(
        sheet=sheet,
        row=row,
        ref=ref,
        person=_text(value("责任人")),
        measures=_text(value("整改措施")),
        progress=_text(value("整改进展")),
        percent=percent,
        status=status,
        due=due,
        note=_text(value("备注")),
        columns=columns,
    )
