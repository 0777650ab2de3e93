"""The columns of the 整改台账 as bureaus use them, and which a department fills in."""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.utils import get_column_letter


@dataclass(frozen=True)
class Column:
    title: str
    width: float
    department_fills: bool = False


COLUMNS: tuple[Column, ...] = (
    Column("序号", 6),
    Column("问题编号", 18),
    Column("问题描述", 48),
    Column("责任单位", 22),
    Column("责任人", 10, department_fills=True),
    Column("整改类别", 12),
    Column("整改措施", 40, department_fills=True),
    Column("整改时限", 12),
    Column("整改进展", 40, department_fills=True),
    Column("完成比例", 10, department_fills=True),
    Column("状态", 12, department_fills=True),
    Column("涉及金额", 14),
    Column("备注", 24, department_fills=True),
)
TITLES = tuple(c.title for c in COLUMNS)
# A hidden column keeps the 问题编号 as exported, so an edited one is caught.
ORIGINAL_REF = "原问题编号（勿改）"
SHEET = "整改台账"
INFO_SHEET = "导出信息"
HEADER_ROW = 1


def letter(title: str) -> str:
    """The spreadsheet column letter of `title` in an exported 台账."""
    titles = (*TITLES, ORIGINAL_REF)
    return str(get_column_letter(titles.index(title) + 1))
