"""整改率 by department as a bar chart a reader takes in at a glance: a table whose
bars are runs of full blocks (one per 5%), so it prints, copies and converts like
text — no image that Word, WPS and LibreOffice would each place differently."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from docx.document import Document

from rectify.projections.figures import Figures
from rectify.reports import labels
from rectify.reports.docx import gbt9704 as layout
from rectify.reports.docx.rows import RowWriter

HEADERS = ("部门", "整改率（按数量）", "")
WIDTHS = (40.0, 26.0, 90.0)
BLOCK = "█"
STEP = Decimal(5)  # percent per block: 100% is 20 blocks, within the 90 mm column


def bar(rate: Decimal | None) -> str:
    if rate is None:
        return ""
    return BLOCK * int(rate / STEP)


def add_chart(doc: Document, rows: Sequence[Figures]) -> bool:
    """Add the chart when it helps (two or more departments); whether it was added."""
    if len(rows) < 2:
        return False
    writer = RowWriter(layout.table(doc, HEADERS, WIDTHS), WIDTHS, center=(1,))
    for r in sorted(rows, key=lambda r: (r.rate_by_count is None, -(r.rate_by_count or 0))):
        writer.add(
            [
                r.department_name or r.department_code,
                labels.percent(r.rate_by_count),
                bar(r.rate_by_count),
            ]
        )
    return True
