"""Word in: the 评分表 and 问题清单 of a report into a package skeleton.

The test reports are made here with python-docx from the real numbers of the Weibin
package (seed 000), laid out as its 附件1 评分表: level-1/2 cells merged down over
their leaves, "87.66分" in the 合计 row, and the marks reports use for nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from rectify.bootstrap import House, open_house
from rectify.domain.errors import InvalidInput
from rectify.domain.identity import acting_as
from rectify.reports.docx import problem_list, scorecard
from rectify.reports.docx.package_reader import read_report
from tests.conftest import WEIBIN
from tests.reports.documents_setup import BUREAU, checkpoint_of, seeded

PACKAGE = json.loads(WEIBIN.read_text(encoding="utf-8"))
HEADER = ["一级指标", "二级指标", "三级指标", "权重", "评分规则", "得分"]


def leaves_with_ancestors() -> list[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]]:
    by_code = {i["code"]: i for i in PACKAGE["indicators"]}
    parents = {i.get("parent") for i in PACKAGE["indicators"]}
    out = []
    for item in PACKAGE["indicators"]:
        if item["code"] not in parents and by_code[item["parent"]].get("parent"):
            level2 = by_code[item["parent"]]
            out.append((by_code[level2["parent"]], level2, item))
    return out


def seed_style_report(path: Path, *, blank_score: str | None = None) -> None:
    """The 评分表 as seed 000 prints it, then a 问题清单 with a merged category row."""
    doc = docx.Document()
    doc.add_paragraph(PACKAGE["evaluation"]["title"])
    rows = leaves_with_ancestors()
    table = doc.add_table(rows=1 + len(rows) + 1, cols=len(HEADER))
    for cell, text in zip(table.rows[0].cells, HEADER, strict=True):
        cell.text = text
    starts: dict[tuple[int, str], int] = {}
    for index, (level1, level2, leaf) in enumerate(rows, start=1):
        cells = table.rows[index].cells
        for col, node in ((0, level1), (1, level2)):
            key = (col, node["code"])
            if key not in starts:
                starts[key] = index
                cells[col].text = f"{node['code']} {node['name']} ({node['weight']:g}分)"
            else:
                table.cell(starts[key], col).merge(cells[col])
        cells[2].text = f"{leaf['code']} {leaf['name']}"
        cells[3].text = f"{leaf['weight']:.2f}"
        cells[4].text = leaf.get("rule_text") or "／"
        awarded = f"{leaf['awarded']:.2f}"
        cells[5].text = blank_score if blank_score and leaf["code"] == "B1.3" else awarded
    last = table.rows[-1].cells
    last[0].merge(last[2]).text = "合计"
    last[3].text, last[5].text, last[4].text = "100.00", "87.66分", "绩效等级为“良”"
    doc.add_paragraph("问题清单")
    findings = doc.add_table(rows=1, cols=5)
    for cell, text in zip(
        findings.rows[0].cells,
        ["问题编号", "问题", "责任单位", "整改时限", "涉及金额"],
        strict=True,
    ):
        cell.text = text
    group = findings.add_row().cells
    group[0].merge(group[-1]).text = "预算管理"
    f = PACKAGE["findings"][0]
    for cell, text in zip(
        findings.add_row().cells,
        [
            f["ref"],
            f"{f['title']}：{f['description']}",
            "卫滨区工信局",
            "2025年11月30日",
            "320.44万元",
        ],
        strict=True,
    ):
        cell.text = text
    doc.save(str(path))


def test_seed_scorecard_reads_back_to_the_package(tmp_path: Path) -> None:
    path = tmp_path / "评价报告.docx"
    seed_style_report(path)
    skeleton = read_report(path)
    package = skeleton.package
    by_code = {i["code"]: i for i in package["indicators"]}
    expected = {i["code"]: i for i in PACKAGE["indicators"]}
    assert set(by_code) == set(expected)
    parents = {i.get("parent") for i in PACKAGE["indicators"]}
    for code, item in by_code.items():
        assert item["name"] == expected[code]["name"], code
        assert Decimal(str(item["weight"])) == Decimal(str(expected[code]["weight"])), code
        assert item["parent"] == expected[code].get("parent"), code
        if code not in parents:
            assert Decimal(str(item["awarded"])) == Decimal(str(expected[code]["awarded"])), code
            assert item.get("rule_text") == expected[code].get("rule_text"), code
    assert package["evaluation"]["stated"] == {"total": 87.66, "grade": "良"}
    assert package["evaluation"]["title"] == PACKAGE["evaluation"]["title"]
    (finding,) = package["findings"]
    assert finding["ref"] == "WB-GXJ/2024/01" and finding["category"] == "预算管理"
    assert finding["title"] == "预算编制管理不够精细" and finding["due"] == "2025-11-30"
    assert finding["amount"] == 320.44 and finding["amount_unit"] == "万元"
    # What it could not read is listed, not guessed: only the unit needs a code.
    assert skeleton.unread == [
        "第 2 个表格第 3 行第 3 列（责任单位）：「卫滨区工信局」请改填部门编码"
    ]


@pytest.mark.parametrize("mark", ["—", "／"])
def test_marks_for_nothing_are_listed_not_guessed(tmp_path: Path, mark: str) -> None:
    path = tmp_path / "评价报告.docx"
    seed_style_report(path, blank_score=mark)
    skeleton = read_report(path)
    b13 = next(i for i in skeleton.package["indicators"] if i["code"] == "B1.3")
    assert b13["awarded"] is None
    assert any(f"（得分）：「{mark}」未能读作数字" in u for u in skeleton.unread)
    assert "未能读取" in skeleton.package["note"]


def test_merges_that_do_not_form_a_table(tmp_path: Path) -> None:
    path = tmp_path / "坏表格.docx"
    doc = docx.Document()
    table = doc.add_table(rows=3, cols=len(HEADER))
    for cell, text in zip(table.rows[0].cells, HEADER, strict=True):
        cell.text = text
    # Row 2 claims a span wider than the table.
    tc_pr = table.rows[1].cells[0]._tc.get_or_add_tcPr()
    span = OxmlElement("w:gridSpan")
    span.set(qn("w:val"), "3")
    tc_pr.append(span)
    doc.save(str(path))
    with pytest.raises(InvalidInput, match="第 1 个表格第 2 行占 8 列，表格为 6 列"):
        read_report(path)


def test_not_a_docx(tmp_path: Path) -> None:
    fake = tmp_path / "报告.docx"
    fake.write_text("不是 Word 文件", encoding="utf-8")
    with pytest.raises(InvalidInput, match="不是 .docx 文件"):
        read_report(fake)
    encrypted = tmp_path / "加密.docx"
    encrypted.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504))
    with pytest.raises(InvalidInput, match="已加密"):
        read_report(encrypted)
    good = tmp_path / "好.docx"
    seed_style_report(good)
    truncated = tmp_path / "截断.docx"
    truncated.write_bytes(good.read_bytes()[:4000])
    with pytest.raises(InvalidInput, match="损坏或不完整"):
        read_report(truncated)


@pytest.fixture
def seeded_house(tmp_path: Path) -> Iterator[House]:
    with open_house(
        f"sqlite:///{tmp_path / 'r.db'}", create=True, blob_dir=tmp_path / "b"
    ) as house:
        seeded(house)
        yield house


def test_own_documents_read_back(seeded_house: House, tmp_path: Path) -> None:
    """Our 评分表 and 问题清单 go round: written, read back to the same tree and findings."""
    with acting_as(BUREAU):
        card = seeded_house.evaluations.scorecard("WB-GXJ/2024/department")
    path = tmp_path / "评分表.docx"
    scorecard.build(
        card, heading="评分表", when_line="", rule_texts={}, checkpoint=checkpoint_of(seeded_house)
    ).save(str(path))
    skeleton = read_report(path)
    package = skeleton.package
    # The seed prints D2 twice (满意度 is D3 in the package): read as printed, and listed.
    assert [i.get("printed_code") or i["code"] for i in package["indicators"]] == [
        n.printed_code or n.code for n in card.nodes
    ]
    assert [u for u in skeleton.unread if "重复" in u] == [
        "第 1 个表格第 30 行第 2 列（指标）：编号 D2 重复，暂记为 D2#43"
    ]
    assert package["evaluation"]["stated"] == {"total": 87.66, "grade": "良"}
    from rectify.projections.queries import list_findings

    with seeded_house.store.engine.connect() as conn:
        views = list_findings(conn, principal=BUREAU, today=date(2025, 10, 15))
    listing = tmp_path / "问题清单.docx"
    problem_list.build(views, heading="问题清单", scope_line="", checkpoint="0:" + "0" * 64).save(
        str(listing)
    )
    findings = read_report(listing).package["findings"]
    assert [(f["ref"], f["category"], f["rectification_class"], f["due"]) for f in findings] == [
        ("WB-GXJ/2024/02", "绩效管理", "phased", "2025-11-30"),
        ("WB-GXJ/2024/01", "预算管理", "phased", "2025-11-30"),
    ]
