"""Opening a written .docx back and checking the GB/T 9704 layout."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.document import Document
from docx.oxml.ns import qn
from docx.shared import Length
from docx.table import Table

from rectify.reports.docx.gbt9704 import BODY_FONT, CHECKPOINT_PREFIX, TITLE_FONT


def reopen(document: Document, path: Path) -> Document:
    document.save(str(path))
    return docx.Document(str(path))


def east_asian(element: object) -> str | None:
    fonts = element.find(f".//{qn('w:rFonts')}")  # type: ignore[attr-defined]
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def _mm(length: Length | None) -> float:
    assert length is not None, "a page dimension is not set"
    return float(length.mm)


def check_layout(doc: Document, checkpoint: str) -> None:
    """A4 with the GB/T 9704 margins, Chinese fonts on styles and runs, footers."""
    section = doc.sections[0]
    width, height = _mm(section.page_width), _mm(section.page_height)
    top, bottom = _mm(section.top_margin), _mm(section.bottom_margin)
    left, right = _mm(section.left_margin), _mm(section.right_margin)
    assert (round(width), round(height)) == (210, 297)
    assert (round(top), round(left)) == (37, 28)
    assert round(width - left - right) == 156
    assert round(height - top - bottom) == 225
    assert east_asian(doc.styles["Normal"].element) == BODY_FONT
    assert east_asian(doc.styles["Title"].element) == TITLE_FONT
    assert east_asian(doc.styles["Heading 1"].element) == "黑体"
    assert east_asian(doc.styles["Heading 2"].element) == "楷体_GB2312"
    assert doc.styles["Normal"].font.size.pt == 16  # 三号
    assert doc.styles["Title"].font.size.pt == 22  # 二号
    assert round(doc.styles["Normal"].paragraph_format.line_spacing.pt, 2) == 28.95
    runs = [r for p in doc.paragraphs for r in p.runs if r.text.strip()]
    runs += [
        r
        for t in doc.tables
        for row in t.rows
        for c in row.cells
        for p in c.paragraphs
        for r in p.runs
        if r.text
    ]
    assert runs and all(east_asian(r.element) for r in runs)
    title_runs = [
        r for p in doc.paragraphs if p.style is not None and p.style.name == "Title" for r in p.runs
    ]
    assert title_runs and all(east_asian(r.element) == TITLE_FONT for r in title_runs)
    assert doc.settings.odd_and_even_pages_header_footer
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        number, seal = footer.paragraphs
        assert number.text == "— 1 —" and "PAGE" in number._p.xml
        assert str(number.paragraph_format.alignment).lower().startswith(align)
        assert seal.text == f"{CHECKPOINT_PREFIX}{checkpoint}"


def check_repeating_header(table: Table, headers: tuple[str, ...] | list[str]) -> None:
    first = table.rows[0]
    assert [c.text for c in first.cells] == list(headers)
    tr_pr = first._tr.trPr
    assert tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None
