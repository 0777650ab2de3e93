"""整改情况报告 for a fiscal year: counts by status, 整改率 by count and by amount,
overdue, extended, carried over, repeats — in total and by department — then the
items still open. Input: `rectify.projections.figures.Figures` and FindingViews."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from docx.document import Document

from rectify.domain.overdue import DONE, stored
from rectify.projections.figures import Figures, percent
from rectify.projections.queries import FindingView
from rectify.reports import labels
from rectify.reports.docx import gbt9704 as layout
from rectify.reports.docx.problem_list import deadline, responsible
from rectify.reports.docx.rate_chart import add_chart
from rectify.reports.docx.rows import RowWriter

DEPT_HEADERS = (
    "部门",
    "问题数",
    "已销号",
    "整改率（数量）",
    "整改率（金额）",
    "逾期",
    "延期",
    "结转",
    "屡查屡犯",
)
DEPT_WIDTHS = (34.0, 14.0, 14.0, 20.0, 20.0, 13.0, 13.0, 14.0, 14.0)
OPEN_HEADERS = ("序号", "问题编号", "问题", "责任单位", "整改时限", "状态")
OPEN_WIDTHS = (8.0, 24.0, 46.0, 30.0, 28.0, 20.0)


@dataclass(frozen=True)
class Totals:
    statuses: Counter[str]
    total: int
    closed: int
    rate_by_count: Decimal | None
    rate_by_amount: Decimal | None
    overdue: int
    extended: int
    carried_over: int
    repeats: int


def totals(rows: Sequence[Figures]) -> Totals:
    statuses: Counter[str] = Counter()
    for r in rows:
        statuses.update(r.by_status)
    total = sum(r.total for r in rows)
    closed = sum(r.closed for r in rows)
    withdrawn = sum(r.withdrawn for r in rows)
    amount_total = sum((r.amount_total for r in rows), Decimal(0))
    amount_closed = sum((r.amount_closed for r in rows), Decimal(0))
    return Totals(
        statuses=statuses,
        total=total,
        closed=closed,
        rate_by_count=percent(Decimal(closed), Decimal(total - withdrawn)),
        rate_by_amount=percent(amount_closed, amount_total),
        overdue=sum(r.overdue for r in rows),
        extended=sum(r.extended for r in rows),
        carried_over=sum(r.carried_over for r in rows),
        repeats=sum(r.repeats for r in rows),
    )


def summary_text(year: int, t: Totals) -> str:
    by_status = "，".join(f"{labels.status_label(s)}{n}个" for s, n in sorted(t.statuses.items()))
    return (
        f"{year}年度问题清单共列问题{t.total}个（{by_status or '无'}）。"
        f"整改率按数量计为{labels.percent(t.rate_by_count)}（已销号{t.closed}个），"
        f"按涉及金额计为{labels.percent(t.rate_by_amount)}。"
        f"逾期未完成{t.overdue}个，延期{t.extended}个，"
        f"由以前年度结转{t.carried_over}个，屡查屡犯{t.repeats}个。"
    )


def build(
    year: int,
    rows: Sequence[Figures],
    open_items: Sequence[FindingView],
    *,
    as_of_line: str,
    checkpoint: str,
) -> Document:
    doc = layout.official_document(checkpoint)
    layout.title(doc, f"{year}年度绩效评价问题整改情况报告")
    layout.heading(doc, "一、总体情况", 1)
    layout.body(doc, summary_text(year, totals(rows)))
    layout.body(doc, as_of_line)
    layout.heading(doc, "二、各部门整改情况", 1)
    tbl = layout.table(doc, DEPT_HEADERS, DEPT_WIDTHS)
    for r in rows:
        values = [
            r.department_name or r.department_code,
            str(r.total),
            str(r.closed),
            labels.percent(r.rate_by_count),
            labels.percent(r.rate_by_amount),
            str(r.overdue),
            str(r.extended),
            str(r.carried_over),
            str(r.repeats),
        ]
        layout.add_row(tbl, values, DEPT_WIDTHS, center=tuple(range(1, 9)))
    if len(rows) > 1:
        layout.body(doc, "各部门整改率（按数量）如下：")
        add_chart(doc, rows)
    layout.heading(doc, "三、尚未完成整改的问题", 1)
    still_open = [f for f in open_items if f.status not in stored(DONE)]
    if not still_open:
        layout.body(doc, "无。")
        return doc
    rows_out = RowWriter(layout.table(doc, OPEN_HEADERS, OPEN_WIDTHS), OPEN_WIDTHS, center=(0,))
    for seq, f in enumerate(still_open, start=1):
        state = labels.status_label(f.status) + ("（逾期）" if f.overdue else "")
        rows_out.add([str(seq), f.ref, f.title, responsible(f), deadline(f), state])
    return doc
