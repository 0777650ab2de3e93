"""Export the 整改台账 (.xlsx): frozen header, widths, validation lists for the
columns a department fills in, the checkpoint in the page footer and an info sheet."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from rectify.projections.ledger import LedgerRow
from rectify.reports import labels
from rectify.reports.docx.problem_list import responsible
from rectify.reports.xlsx.columns import COLUMNS, INFO_SHEET, ORIGINAL_REF, SHEET, TITLES, letter

HEADER_FONT = Font(name="黑体", bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
FILL_IN = PatternFill("solid", fgColor="FFF2CC")  # what the department fills in
WRAP = Alignment(wrap_text=True, vertical="top")
AMOUNT_COLUMN = TITLES.index("涉及金额") + 1


def row_values(seq: int, row: LedgerRow) -> list[object]:
    f = row.finding
    return [
        seq,
        f.ref,
        f"{f.title}：{f.description}" if f.description else f.title,
        responsible(f),
        f.responsible_person or "",
        labels.class_label(f.rectification_class) if f.rectification_class else "",
        row.measures or "",
        f.due,
        row.progress or "",
        f.progress_percent,
        labels.status_label(f.status),
        f.amount,
        "",
        f.ref,
    ]


def export(
    rows: Iterable[LedgerRow],
    path: Path,
    *,
    checkpoint: str,
    info: dict[str, str],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the 台账 to `path`; the number of findings written."""
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = SHEET
    ws.append([*TITLES, ORIGINAL_REF])
    for cell in ws[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    count = 0
    for count, row in enumerate(rows, start=1):
        ws.append(row_values(count, row))
        if row.finding.amount_unit:  # the unit travels in the format; the value stays a number
            ws.cell(
                row=count + 1, column=AMOUNT_COLUMN
            ).number_format = f'#,##0.00"{row.finding.amount_unit}"'
        if progress is not None:
            progress(count)
    last = max(count + 1, 2)
    for index, column in enumerate(COLUMNS, start=1):
        col = ws.column_dimensions[letter(column.title)]
        col.width = column.width
        if column.department_fills:
            ws.cell(row=1, column=index).fill = FILL_IN
    ws.column_dimensions[letter(ORIGINAL_REF)].hidden = True
    ws.freeze_panes = "C2"
    _formats(ws, last)
    _validation(ws, last)
    ws.oddFooter.center.text = f"封存检查点 {checkpoint}　第 &P 页"
    ws.evenFooter.center.text = ws.oddFooter.center.text
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_title_rows = "1:1"
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # all columns on one page width
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    meta = wb.create_sheet(INFO_SHEET)
    for key, value in {"封存检查点": checkpoint, **info}.items():
        meta.append([key, value])
    meta.column_dimensions["A"].width = 14
    meta.column_dimensions["B"].width = 80
    wb.save(path)
    return count


def _formats(ws: Worksheet, last: int) -> None:
    for title, fmt in (("整改时限", "yyyy-mm-dd"), ("完成比例", '0"%"')):
        for (cell,) in ws[f"{letter(title)}2:{letter(title)}{last}"]:
            cell.number_format = fmt
    for title in ("问题描述", "整改措施", "整改进展"):
        for (cell,) in ws[f"{letter(title)}2:{letter(title)}{last}"]:
            cell.alignment = WRAP


def _validation(ws: Worksheet, last: int) -> None:
    statuses = DataValidation(
        type="list",
        formula1='"' + ",".join(labels.STATUS_LABELS.values()) + '"',
        allow_blank=False,
        showErrorMessage=True,
        errorTitle="状态",
        error="请从列表中选择状态；部门可将整改完成的事项设为“已申请销号”",
    )
    statuses.add(f"{letter('状态')}2:{letter('状态')}{last}")
    percent = DataValidation(
        type="whole",
        operator="between",
        formula1="0",
        formula2="100",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="完成比例",
        error="完成比例为 0–100 的整数",
    )
    percent.add(f"{letter('完成比例')}2:{letter('完成比例')}{last}")
    ws.add_data_validation(statuses)
    ws.add_data_validation(percent)
