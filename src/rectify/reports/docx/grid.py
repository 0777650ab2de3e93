"""The cell grid of a Word table with merged cells resolved by their span.

python-docx repeats merged cells but does not say when merges are inconsistent, so
the grid is read from the XML: `w:gridSpan` spreads a cell across columns,
`w:vMerge` continues the cell above. A row that does not fill the table's grid, or
a vertical merge with nothing above it, is a table that cannot be read — reported
with its table number, row and column, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.oxml.ns import qn
from docx.table import Table

from rectify.domain.errors import InvalidInput


@dataclass(frozen=True)
class GridCell:
    text: str
    row: int  # where the (merged) cell starts, 1-based as people count
    column: int


Grid = list[list[GridCell]]


def cell_text(tc: object) -> str:
    """The text of a w:tc, paragraphs joined by newlines (kept as printed: full-width
    punctuation is part of Chinese text; only numbers are normalised when parsed)."""
    paragraphs = []
    for p in tc.iter(qn("w:p")):  # type: ignore[attr-defined]
        paragraphs.append("".join(t.text or "" for t in p.iter(qn("w:t"))))
    return "\n".join(paragraphs).strip()


def read_grid(table: Table, number: int, source: str) -> Grid:
    """Rows of resolved cells; InvalidInput naming `source`, table `number`, row, column."""
    tbl = table._tbl
    width = len(tbl.tblGrid.findall(qn("w:gridCol")))
    grid: Grid = []
    for r, tr in enumerate(tbl.findall(qn("w:tr")), start=1):
        row: list[GridCell] = []
        before = tr.trPr.find(qn("w:gridBefore")) if tr.trPr is not None else None
        for _ in range(int(before.get(qn("w:val"))) if before is not None else 0):
            row.append(GridCell("", r, len(row) + 1))
        for tc in tr.findall(qn("w:tc")):
            tc_pr = tc.find(qn("w:tcPr"))
            span_el = tc_pr.find(qn("w:gridSpan")) if tc_pr is not None else None
            span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
            vmerge = tc_pr.find(qn("w:vMerge")) if tc_pr is not None else None
            start = len(row)
            if vmerge is not None and vmerge.get(qn("w:val"), "continue") == "continue":
                above = grid[-1][start] if grid and start < len(grid[-1]) else None
                if above is None:
                    raise InvalidInput(
                        f"{source}：第 {number} 个表格第 {r} 行第 {start + 1} 列是纵向合并的延续，"
                        "但上方没有对应的单元格：合并单元格不构成表格"
                    )
                cell = above
            else:
                cell = GridCell(cell_text(tc), r, start + 1)
            row.extend([cell] * span)
        after = tr.trPr.find(qn("w:gridAfter")) if tr.trPr is not None else None
        for _ in range(int(after.get(qn("w:val"))) if after is not None else 0):
            row.append(GridCell("", r, len(row) + 1))
        if len(row) != width:
            raise InvalidInput(
                f"{source}：第 {number} 个表格第 {r} 行占 {len(row)} 列，表格为 {width} 列：合并单元格不构成表格"
            )
        grid.append(row)
    return grid


def texts(row: list[GridCell]) -> list[str]:
    return [c.text for c in row]
