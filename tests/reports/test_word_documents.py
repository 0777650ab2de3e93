"""Every Word document written from the real packages, opened back with python-docx:
layout, fonts, footers with the seal checkpoint, tables and their merges."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from docx.oxml.ns import qn

from rectify.bootstrap import House, open_house
from rectify.domain.clock import FixedClock
from rectify.domain.identity import acting_as
from rectify.projections import figures, queries
from rectify.reports.docx import notice, problem_list, scorecard, status_report
from tests.reports.documents_setup import BUREAU, R1, R2, checkpoint_of, seeded
from tests.reports.docx_checks import check_layout, check_repeating_header, reopen

TODAY = date(2025, 12, 15)
WEIBIN_KEY = "WB-GXJ/2024/department"


@pytest.fixture(scope="module")
def seeded_house(tmp_path_factory: pytest.TempPathFactory) -> Iterator[House]:
    # Documents only read: one SQLite house for the module keeps the tests fast.
    folder = tmp_path_factory.mktemp("docs")
    with open_house(
        f"sqlite:///{folder / 'r.db'}",
        create=True,
        clock=FixedClock.on(TODAY),
        blob_dir=folder / "b",
    ) as house:
        seeded(house)
        yield house


def all_findings(house: House) -> list[queries.FindingView]:
    with house.store.engine.connect() as conn:
        return queries.list_findings(conn, principal=BUREAU, fiscal_year=2024, today=TODAY)


def test_problem_list(seeded_house: House, tmp_path: Path) -> None:
    checkpoint = checkpoint_of(seeded_house)
    written = problem_list.build(
        all_findings(seeded_house),
        heading="2024年度绩效评价问题清单",
        scope_line="范围：全部部门",
        checkpoint=checkpoint,
    )
    doc = reopen(written, tmp_path / "问题清单.docx")
    check_layout(doc, checkpoint)
    (table,) = doc.tables
    check_repeating_header(table, problem_list.HEADERS)
    rows = [[c.text for c in r.cells] for r in table.rows]
    # Grouped by category: a merged row (one cell across all 8 columns) opens each group.
    assert rows[1] == ["绩效管理"] * 8 and rows[3] == ["预算管理"] * 8
    tc_pr = table.rows[1]._tr.tc_lst[0].tcPr
    span = None if tc_pr is None else tc_pr.find(qn("w:gridSpan"))
    assert span is not None and span.get(qn("w:val")) == "8"
    assert rows[2][1] == R2 and rows[4][1] == R1
    assert rows[4][3] == "新乡市卫滨区工业和信息化局" and rows[4][4] == "分阶段整改"
    assert rows[4][5] == "2025-11-30" and rows[4][6] == "320.44万元" and rows[4][7] == "整改中"
    assert rows[4][2].startswith("预算编制管理不够精细：一是预算编制不够精细")
    assert abs(sum(c.width.mm for c in table.rows[4].cells) - 156) < 0.5


def test_notice(seeded_house: House, tmp_path: Path) -> None:
    checkpoint = checkpoint_of(seeded_house)
    written = notice.build(
        "新乡市卫滨区工业和信息化局",
        all_findings(seeded_house),
        issuer="新乡市卫滨区财政局",
        on=date(2025, 9, 1),
        checkpoint=checkpoint,
    )
    doc = reopen(written, tmp_path / "整改通知书.docx")
    check_layout(doc, checkpoint)
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "关于新乡市卫滨区工业和信息化局绩效评价问题整改的通知"
    assert "新乡市卫滨区工业和信息化局：" in texts
    assert f"（一）预算编制管理不够精细（{R1}）" in texts
    assert "整改要求：细化预算测算，完善绩效目标" in texts
    assert "整改类别：分阶段整改；整改时限：2025年11月30日。" in texts
    assert texts[-2:] == ["新乡市卫滨区财政局", "2025年9月1日"]
    assert [
        p.style.name if p.style else None for p in doc.paragraphs if p.text == "一、问题清单"
    ] == ["Heading 1"]
    check_repeating_header(doc.tables[0], notice.HEADERS)
    assert notice.chinese_ordinal(12) == "十二" and notice.chinese_ordinal(25) == "二十五"


def test_status_report(seeded_house: House, tmp_path: Path) -> None:
    house = seeded_house
    checkpoint = checkpoint_of(house)
    with house.store.engine.connect() as conn:
        rows = figures.figures(conn, principal=BUREAU, year=2024, today=TODAY)
    written = status_report.build(
        2024,
        rows,
        all_findings(house),
        as_of_line="统计截至2025年12月15日。",
        checkpoint=checkpoint,
    )
    doc = reopen(written, tmp_path / "整改情况报告.docx")
    check_layout(doc, checkpoint)
    summary = doc.paragraphs[3].text
    # Both findings are past their deadline of 2025-11-30 on 2025-12-15, none closed.
    assert "共列问题2个（整改中2个）" in summary and "整改率按数量计为0.00%" in summary
    assert "逾期未完成2个" in summary
    by_department, still_open = doc.tables
    check_repeating_header(by_department, status_report.DEPT_HEADERS)
    assert [c.text for c in by_department.rows[1].cells] == [
        "新乡市卫滨区工业和信息化局",
        "2",
        "0",
        "0.00%",
        "0.00%",
        "2",
        "0",
        "0",
        "0",
    ]
    assert [r.cells[1].text for r in still_open.rows[1:]] == [R1, R2]
    assert still_open.rows[1].cells[5].text == "整改中（逾期）"


def test_scorecard_merges_levels(seeded_house: House, tmp_path: Path) -> None:
    house = seeded_house
    checkpoint = checkpoint_of(house)
    with acting_as(BUREAU):
        card = house.evaluations.scorecard(WEIBIN_KEY)
        evaluation = house.evaluations.evaluation_at(WEIBIN_KEY)
    rule_texts = {str(i["code"]): i.get("rule_text") for i in evaluation.indicators}
    written = scorecard.build(
        card,
        heading="卫滨区工信局部门整体支出绩效评价评分表",
        when_line="第三方评价",
        rule_texts=rule_texts,
        checkpoint=checkpoint,
    )
    doc = reopen(written, tmp_path / "评分表.docx")
    check_layout(doc, checkpoint)
    (table,) = doc.tables
    check_repeating_header(
        table, ["一级指标", "二级指标", "三级指标", "权重", "得分", "评分规则", "规则计算"]
    )
    rows = [[c.text for c in r.cells] for r in table.rows]
    leaves = [n for n in card.nodes if n.is_leaf]
    assert len(rows) == 1 + len(leaves) + 1
    # 投入 spans its five leaves, 目标设定 its two: python-docx repeats a merged cell.
    assert [r[0] for r in rows[1:6]] == ["A 投入（15.00分）"] * 5 and rows[6][0] != rows[5][0]
    assert [r[1] for r in rows[1:3]] == ["A1 目标设定（7.00分）"] * 2
    assert table.cell(1, 0)._tc is table.cell(5, 0)._tc
    tc_pr = table.rows[2]._tr.tc_lst[0].tcPr
    vmerge = None if tc_pr is None else tc_pr.find(qn("w:vMerge"))
    assert vmerge is not None and vmerge.get(qn("w:val")) in (None, "continue")
    assert rows[1][2:5] == ["A1.1 绩效目标合理性", "3.00", "2.00"]
    # A2.2: awarded 1.50 where the written rule gives 3.00 — shown beside the rule text.
    a22 = next(r for r in rows if r[2].startswith("A2.2"))
    assert a22[4] == "1.50" and a22[6] == "3.00" and a22[5].startswith("在职人员控制率")
    assert rows[-1][:3] == ["合计"] * 3 and rows[-1][3:6] == ["100.00", "87.66", "等级：良"]


def test_rate_chart_when_it_helps(tmp_path: Path) -> None:
    from decimal import Decimal

    from rectify.projections.figures import Figures
    from rectify.reports.docx import rate_chart

    def figures_for(code: str, name: str, closed: int, total: int) -> Figures:
        rate = Decimal(closed * 100) / Decimal(total)
        return Figures(
            code,
            name,
            2024,
            total,
            {"closed": closed},
            closed,
            0,
            rate.quantize(Decimal("0.01")),
            Decimal(0),
            Decimal(0),
            None,
            0,
            0,
            0,
            0,
        )

    rows = [
        figures_for("WB-GXJ", "卫滨区工信局", 1, 2),
        figures_for("ZZ-GXJ", "郑州市工信局", 3, 4),
    ]
    written = status_report.build(2024, rows, [], as_of_line="", checkpoint="0:" + "0" * 64)
    doc = reopen(written, tmp_path / "报告.docx")
    chart = doc.tables[1]
    assert [[c.text for c in r.cells] for r in chart.rows[1:]] == [
        ["郑州市工信局", "75.00%", "█" * 15],
        ["卫滨区工信局", "50.00%", "█" * 10],
    ]
    single = status_report.build(2024, rows[:1], [], as_of_line="", checkpoint="0:" + "0" * 64)
    assert len(single.tables) == 1 and rate_chart.bar(None) == ""
