"""整改通知书: the findings issued to one department, with requirements and deadlines,
how to report, signed by the bureau with the date."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from docx.document import Document

from rectify.projections.queries import FindingView
from rectify.reports import labels
from rectify.reports.docx import gbt9704 as layout
from rectify.reports.docx.problem_list import amount_text, deadline
from rectify.reports.docx.rows import RowWriter

NUMERALS = "一二三四五六七八九十"
HEADERS = ("序号", "问题编号", "问题", "整改类别", "整改时限", "涉及金额")
WIDTHS = (8.0, 24.0, 56.0, 16.0, 34.0, 18.0)


def chinese_ordinal(n: int) -> str:
    """1 → 一, 12 → 十二, 25 → 二十五 (as 公文 number their sections)."""
    if n <= 10:
        return NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else NUMERALS[tens - 1]
    return f"{head}十{NUMERALS[ones - 1] if ones else ''}"


def build(
    department_name: str,
    findings: Sequence[FindingView],
    *,
    issuer: str,
    on: date,
    checkpoint: str,
) -> Document:
    doc = layout.official_document(checkpoint)
    layout.title(doc, f"关于{department_name}绩效评价问题整改的通知")
    layout.body(doc, f"{department_name}：", indent=False)
    layout.body(
        doc,
        f"根据绩效评价结果，现将你单位存在的{len(findings)}个问题及整改要求通知如下，"
        "请认真落实整改，按期报送整改情况。",
    )
    layout.heading(doc, "一、问题清单", 1)
    rows = RowWriter(layout.table(doc, HEADERS, WIDTHS), WIDTHS, center=(0, 3))
    for seq, f in enumerate(findings, start=1):
        values = [
            str(seq),
            f.ref,
            f.title,
            labels.class_label(f.rectification_class),
            deadline(f),
            amount_text(f),
        ]
        rows.add(values)
    layout.heading(doc, "二、问题及整改要求", 1)
    for seq, f in enumerate(findings, start=1):
        layout.heading(doc, f"（{chinese_ordinal(seq)}）{f.title}（{f.ref}）", 2)
        layout.body(doc, f.description or f.title)
        layout.body(doc, f"整改要求：{f.requirements or '按评价报告所提建议整改。'}")
        when = (
            labels.day(f.re_review_on)
            if f.rectification_class == "long_term"
            else labels.day(f.due)
        )
        kind = "复核日期" if f.rectification_class == "long_term" else "整改时限"
        layout.body(doc, f"整改类别：{labels.class_label(f.rectification_class)}；{kind}：{when}。")
    layout.heading(doc, "三、整改情况报送要求", 1)
    layout.body(
        doc,
        "请于收到本通知之日起90日内报送首次整改情况，此后每季度报送一次，直至全部销号。"
        "报送时在整改台账中逐项填写整改措施、责任人、整改进展和完成比例，"
        "并附佐证材料；整改完成的事项申请销号，经审核后销号。",
    )
    layout.body(doc, "")
    layout.body(doc, issuer, align_right=True)
    layout.body(doc, labels.day(on), align_right=True)
    return doc
