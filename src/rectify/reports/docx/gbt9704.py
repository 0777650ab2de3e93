"""The official layout of GB/T 9704-2012 (党政机关公文格式) for python-docx documents.

A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm; title 方正小标宋简体 二号; body 仿宋_GB2312
三号 at a fixed 28.95 pt (22 lines a page); headings 黑体 / 楷体_GB2312 / 仿宋 bold by
level; page numbers "— 1 —" in 宋体 四号, odd pages right and even pages left (outside),
each one 字 from the edge. Chinese fonts are set as w:eastAsia on the styles *and* on
every run: Word and WPS otherwise fall back to a Latin font for CJK text.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx import Document as new_document
from docx.document import Document
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import _Footer
from docx.shared import Mm, Pt
from docx.styles.style import ParagraphStyle
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"

SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
SIZE_5 = Pt(10.5)  # 五号
LINE = Pt(28.95)  # 22 lines in the 225 mm 版心
CHECKPOINT_PREFIX = "封存检查点 "
TABLE_TEXT_STYLE_ID = "TableText"  # the id Word gives the style named "Table Text"


def set_fonts(
    element_rpr_owner: Run | ParagraphStyle, east_asian: str, latin: str = LATIN_FONT
) -> None:
    """Latin and East Asian font of a run or a style (w:rFonts ascii/hAnsi/eastAsia)."""
    element_rpr_owner.font.name = latin
    rpr = element_rpr_owner.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)


def styled_run(paragraph: Paragraph, text: str, font: str, size: Pt, bold: bool = False) -> Run:
    run = paragraph.add_run(text)
    set_fonts(run, font)
    run.font.size = size
    if bold:
        run.bold = True
    return run


def _paragraph_style(
    doc: Document, name: str, font: str, size: Pt, *, bold: bool = False, fixed: bool = True
) -> ParagraphStyle:
    style = (
        doc.styles[name] if name in [s.name for s in doc.styles] else doc.styles.add_style(name, 1)
    )
    assert isinstance(style, ParagraphStyle)
    set_fonts(style, font)
    style.font.size = size
    style.font.bold = bold
    fmt = style.paragraph_format
    if fixed:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = LINE
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    return style


def official_document(checkpoint: str) -> Document:
    """A blank document with GB/T 9704 page, styles and footers carrying `checkpoint`."""
    doc = new_document()
    section = doc.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28)  # the number sits 7 mm below the 版心
    normal = _paragraph_style(doc, "Normal", BODY_FONT, SIZE_3)
    normal.paragraph_format.first_line_indent = Pt(32)  # two characters
    _paragraph_style(
        doc, "Title", TITLE_FONT, SIZE_2
    ).paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph_style(doc, "Heading 1", H1_FONT, SIZE_3)
    _paragraph_style(doc, "Heading 2", H2_FONT, SIZE_3)
    _paragraph_style(doc, "Heading 3", BODY_FONT, SIZE_3, bold=True)
    _paragraph_style(doc, "Table Text", BODY_FONT, SIZE_5, fixed=False)
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        style = doc.styles[name]
        assert isinstance(style, ParagraphStyle)
        style.font.color.rgb = None
        style.paragraph_format.keep_with_next = True
        style.paragraph_format.first_line_indent = Pt(0) if name == "Title" else Pt(32)
    # The default template rules a blue line under Title; 公文 titles stand alone.
    title_ppr = doc.styles["Title"].element.pPr
    if title_ppr is not None:
        for border in title_ppr.findall(qn("w:pBdr")):
            title_ppr.remove(border)
    doc.settings.odd_and_even_pages_header_footer = True
    _footer(doc, section.footer, checkpoint, odd=True)
    _footer(doc, section.even_page_footer, checkpoint, odd=False)
    return doc


def _field(paragraph: Paragraph, instruction: str, shown: str) -> None:
    """A Word field (PAGE): begin, instruction, separate, cached result, end."""
    for kind, text in (
        ("begin", None),
        (None, instruction),
        ("separate", None),
        (None, shown),
        ("end", None),
    ):
        run = styled_run(paragraph, "", NUMBER_FONT, SIZE_4)
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = instruction
            run._r.append(instr)
        else:
            run.text = shown


def _footer(doc: Document, footer: _Footer, checkpoint: str, *, odd: bool) -> None:
    paragraph = footer.paragraphs[0]
    paragraph.style = doc.styles["Normal"]
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    if odd:
        fmt.right_indent = SIZE_4  # one 字 from the edge of the 版心
    else:
        fmt.left_indent = SIZE_4
    styled_run(paragraph, "— ", NUMBER_FONT, SIZE_4)
    _field(paragraph, " PAGE ", "1")
    styled_run(paragraph, " —", NUMBER_FONT, SIZE_4)
    seal = footer.add_paragraph()
    seal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    seal.paragraph_format.first_line_indent = Pt(0)
    seal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    styled_run(seal, f"{CHECKPOINT_PREFIX}{checkpoint}", BODY_FONT, Pt(7))


def title(doc: Document, text: str) -> Paragraph:
    paragraph = doc.add_paragraph(style="Title")
    styled_run(paragraph, text, TITLE_FONT, SIZE_2)
    doc.add_paragraph(style="Normal")  # one blank line under the title
    return paragraph


def heading(doc: Document, text: str, level: int) -> Paragraph:
    font = {1: H1_FONT, 2: H2_FONT}.get(level, BODY_FONT)
    paragraph = doc.add_paragraph(style=f"Heading {min(level, 3)}")
    styled_run(paragraph, text, font, SIZE_3, bold=level >= 3)
    return paragraph


def body(doc: Document, text: str, *, align_right: bool = False, indent: bool = True) -> Paragraph:
    paragraph = doc.add_paragraph(style="Normal")
    if align_right:
        paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.right_indent = Pt(64)  # 4 字, as 成文日期 sits
    if not indent or align_right:
        paragraph.paragraph_format.first_line_indent = Pt(0)
    styled_run(paragraph, text, BODY_FONT, SIZE_3)
    return paragraph


def _row_flag(row: _Row, name: str) -> None:
    flag = OxmlElement(name)
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def repeat_header(row: _Row) -> None:
    """Mark a row as a header row that Word repeats at the top of every page."""
    _row_flag(row, "w:cantSplit")
    _row_flag(row, "w:tblHeader")


def fill_cell_text(
    cell_paragraph: Paragraph, text: str, *, bold: bool = False, center: bool = False
) -> None:
    cell_paragraph._p.style = TABLE_TEXT_STYLE_ID  # by id: looking the style up by name is slow
    if center:
        cell_paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if not text:
        return  # no run: an empty cell stays empty when merged into its neighbour
    styled_run(cell_paragraph, text, BODY_FONT, SIZE_5, bold=bold)


def table(doc: Document, headers: Sequence[str], widths_mm: Sequence[float]) -> Table:
    """A bordered table whose first row (headers) repeats on every page."""
    tbl: Table = doc.add_table(rows=1, cols=len(headers))
    tbl.style = doc.styles["Table Grid"]
    tbl.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl.autofit = False
    for column, width in zip(tbl.columns, widths_mm, strict=True):
        column.width = Mm(width)
    head = tbl.rows[0]
    repeat_header(head)
    for cell, text, width in zip(head.cells, headers, widths_mm, strict=True):
        cell.width = Mm(width)
        fill_cell_text(cell.paragraphs[0], text, bold=True, center=True)
    return tbl


def add_row(
    tbl: Table, values: Sequence[str], widths_mm: Sequence[float], center: Sequence[int] = ()
) -> _Row:
    # Data rows may break across pages: a long problem text kept whole leaves half-empty pages.
    row: _Row = tbl.add_row()  # type: ignore[no-untyped-call]
    for index, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
        cell.width = Mm(widths_mm[index])
        fill_cell_text(cell.paragraphs[0], text, center=index in center)
    return row
