"""问题清单 (the problem list) as a GB/T 9704 Word document, grouped by category.

One table whose header repeats on every page; each category opens with a row merged
across the table. Input: FindingView DTOs from `rectify.projections.queries`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import groupby

from docx.document import Document

from rectify.projections.queries import FindingView
from rectify.reports import labels
from rectify.reports.docx import gbt9704 as layout
from rectify.reports.docx.rows import RowWriter

HEADERS = ("序号", "问题编号", "问题", "责任单位", "整改类别", "整改时限", "涉及金额", "状态")
WIDTHS = (8.0, 22.0, 38.0, 20.0, 14.0, 24.0, 16.0, 14.0)


def responsible(finding: FindingView) -> str:
    name = finding.department_name or finding.department_code
    return f"{name}（{finding.unit_code}）" if finding.unit_code else name


def amount_text(finding: FindingView) -> str:
    if finding.amount is None:
        return "—"
    return f"{labels.money(finding.amount)}{finding.amount_unit or ''}"


def deadline(finding: FindingView) -> str:
    """整改时限; a long-term item is watched by its re-review date instead."""
    if finding.due is None and finding.re_review_on is not None:
        return f"{finding.re_review_on.isoformat()}（复核）"
    return labels.iso_day(finding.due)


def row_values(seq: int, finding: FindingView) -> list[str]:
    return [
        str(seq),
        finding.ref,
        f"{finding.title}：{finding.description}" if finding.description else finding.title,
        responsible(finding),
        labels.class_label(finding.rectification_class),
        deadline(finding),
        amount_text(finding),
        labels.status_label(finding.status),
    ]


def build(
    findings: Iterable[FindingView],
    *,
    heading: str,
    scope_line: str,
    checkpoint: str,
    progress: Callable[[int], None] | None = None,
) -> Document:
    """The document; `progress(n)` is told after every n-th row (long exports)."""
    doc = layout.official_document(checkpoint)
    layout.title(doc, heading)
    layout.body(doc, scope_line)
    tbl = layout.table(doc, HEADERS, WIDTHS)
    rows = RowWriter(tbl, WIDTHS, center=(0, 4, 7))
    ordered: Sequence[FindingView] = sorted(findings, key=lambda f: (f.category, f.ref))
    seq = 0
    for category, items in groupby(ordered, key=lambda f: f.category):
        group = tbl.add_row()  # type: ignore[no-untyped-call]
        merged = group.cells[0].merge(group.cells[-1])
        layout.fill_cell_text(merged.paragraphs[0], category or "未分类", bold=True)
        for finding in items:
            seq += 1
            rows.add(row_values(seq, finding))
            if progress is not None:
                progress(seq)
    if seq == 0:
        layout.body(doc, "（无符合条件的问题）")
    return doc
