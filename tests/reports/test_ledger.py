"""The Excel 整改台账: export, a department fills it in with openpyxl, import — on SQLite
and PostgreSQL. The second import records nothing; a bad row records nothing at all."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from rectify.bootstrap import House
from rectify.domain.identity import Principal, acting_as
from rectify.projections.ledger import ledger_rows
from rectify.projections.queries import finding_detail
from rectify.reports.xlsx.columns import ORIGINAL_REF, SHEET, TITLES, letter
from rectify.reports.xlsx.ledger_apply import apply_ledger
from rectify.reports.xlsx.ledger_export import export
from rectify.reports.xlsx.ledger_read import LedgerProblems, read_ledger
from tests.reports.documents_setup import BUREAU, DUE, R1, R2, WB, ZZ, checkpoint_of, seeded

TODAY = date(2025, 10, 15)


def export_as(house: House, principal: Principal, path: Path) -> int:
    with house.store.engine.connect() as conn:
        rows = list(ledger_rows(conn, principal=principal, fiscal_year=2024, today=TODAY))
    return export(rows, path, checkpoint=checkpoint_of(house), info={"导出人": principal.name})


def import_as(
    house: House, principal: Principal, path: Path, dry_run: bool = False, read_model: bool = True
) -> object:
    """As `rectify import ledger` does: rows equal to the read model are skipped."""
    with house.store.engine.connect() as conn:
        current = {r.finding.ref: r for r in ledger_rows(conn, principal=principal, today=TODAY)}
    with acting_as(principal):
        outcome = apply_ledger(
            house.findings,
            read_ledger(path),
            today=TODAY,
            dry_run=dry_run,
            current=current if read_model else None,
        )
    house.catch_up()
    return outcome


def events(house: House) -> int:
    return int(checkpoint_of(house).split(":")[0])


def cell_of(ws: object, title: str, row: int) -> object:
    return ws[f"{letter(title)}{row}"]  # type: ignore[index]


@pytest.fixture
def seeded_house(house: House) -> House:
    seeded(house)
    return house


def test_export_layout(seeded_house: House, tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    assert export_as(seeded_house, BUREAU, path) == 2
    wb = load_workbook(path)
    ws = wb[SHEET]
    assert [c.value for c in ws[1]] == [*TITLES, ORIGINAL_REF]
    assert ws.freeze_panes == "C2"
    assert ws.column_dimensions[letter(ORIGINAL_REF)].hidden
    assert ws.column_dimensions[letter("问题描述")].width == 48
    row = {t: cell_of(ws, t, 2).value for t in TITLES}  # type: ignore[attr-defined]
    assert row["问题编号"] == R1 and row["状态"] == "整改中" and row["整改类别"] == "分阶段整改"
    assert row["整改时限"].date() == DUE
    assert Decimal(str(row["涉及金额"])) == Decimal("320.44")
    assert cell_of(ws, "涉及金额", 2).number_format.endswith('"万元"')  # type: ignore[attr-defined]
    lists = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    status = lists[f"{letter('状态')}2:{letter('状态')}3"]
    assert status.type == "list" and "已申请销号" in status.formula1
    assert lists[f"{letter('完成比例')}2:{letter('完成比例')}3"].type == "whole"
    assert checkpoint_of(seeded_house) in ws.oddFooter.center.text
    assert wb["导出信息"]["B1"].value == checkpoint_of(seeded_house)


def test_department_fills_in_and_imports_twice(seeded_house: House, tmp_path: Path) -> None:
    house = seeded_house
    path = tmp_path / "台账.xlsx"
    export_as(house, WB, path)
    # The department fills in its columns with a spreadsheet program.
    wb = load_workbook(path)
    ws = wb[SHEET]
    for row in (2, 3):
        cell_of(ws, "责任人", row).value = "李主任"  # type: ignore[attr-defined]
        cell_of(ws, "整改措施", row).value = "建立追加资金测算审核制度"  # type: ignore[attr-defined]
        cell_of(ws, "整改进展", row).value = "制度已起草"  # type: ignore[attr-defined]
        cell_of(ws, "完成比例", row).value = 60  # type: ignore[attr-defined]
    wb.save(path)

    before = events(house)
    dry = import_as(house, WB, path, dry_run=True)
    assert events(house) == before and not dry.recorded  # type: ignore[attr-defined]
    assert [c.action for c in dry.changes] == ["指定责任人", "记录整改措施", "报告整改进展"] * 2  # type: ignore[attr-defined]

    outcome = import_as(house, WB, path)
    assert outcome.recorded and outcome.findings_changed == 2  # type: ignore[attr-defined]
    assert events(house) == before + 6
    with house.store.engine.connect() as conn:
        detail = finding_detail(conn, R1, principal=WB, today=TODAY)
        rows = {r.finding.ref: r for r in ledger_rows(conn, principal=WB, today=TODAY)}
    assert detail.finding.responsible_person == "李主任" and detail.finding.progress_percent == 60
    assert detail.timeline[-1].actor == WB.name
    assert rows[R2].measures == "建立追加资金测算审核制度" and rows[R2].progress == "制度已起草"

    # A second import records nothing, judged by the read model or by the findings.
    for read_model in (True, False):
        again = import_as(house, WB, path, read_model=read_model)
        assert not again.recorded and again.changes == ()  # type: ignore[attr-defined]
    assert events(house) == before + 6


def test_bad_rows_are_all_named_and_nothing_is_recorded(
    seeded_house: House, tmp_path: Path
) -> None:
    house = seeded_house
    path = tmp_path / "台账.xlsx"
    export_as(house, WB, path)
    wb = load_workbook(path)
    ws = wb[SHEET]
    cell_of(ws, "整改措施", 2).value = "有效的措施"  # type: ignore[attr-defined]
    cell_of(ws, "整改时限", 3).value = "2025-02-30"  # type: ignore[attr-defined]
    cell_of(ws, "状态", 3).value = "已销号"  # type: ignore[attr-defined]
    wb.save(path)
    before = events(house)
    with pytest.raises(LedgerProblems) as caught:
        import_as(house, WB, path)
    text = caught.value.message
    assert (
        f"工作表「{SHEET}」第 3 行 {letter('整改时限')} 列（整改时限）：日期「2025-02-30」不存在"
        in text
    )
    assert events(house) == before

    cell_of(ws, "整改时限", 3).value = DUE  # type: ignore[attr-defined]
    cell_of(ws, "问题编号", 2).value = "WB-GXJ/2024/99"  # type: ignore[attr-defined]
    wb.save(path)
    with pytest.raises(LedgerProblems) as caught:
        import_as(house, WB, path)
    problems = [str(p) for p in caught.value.problems]
    assert any(
        "第 2 行" in p and "问题编号被改动（导出时为 WB-GXJ/2024/01）" in p for p in problems
    )
    assert any("第 3 行" in p and "台账只能申请销号" in p for p in problems)
    assert events(house) == before

    # Another department may not touch these findings; the bureau may not do department work.
    cell_of(ws, "问题编号", 2).value = R1  # type: ignore[attr-defined]
    cell_of(ws, "状态", 3).value = "整改中"  # type: ignore[attr-defined]
    wb.save(path)
    with pytest.raises(LedgerProblems) as caught:
        import_as(house, ZZ, path)
    # ...and is not told that they exist.
    assert f"问题 {R1} 不存在" in caught.value.message and "属于" not in caught.value.message
    with pytest.raises(LedgerProblems) as caught:
        import_as(house, BUREAU, path)
    assert "只有部门可以" in caught.value.message
    assert events(house) == before


def test_closure_request_needs_evidence(seeded_house: House, tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    export_as(seeded_house, WB, path)
    wb = load_workbook(path)
    cell_of(wb[SHEET], "状态", 2).value = "已申请销号"  # type: ignore[attr-defined]
    wb.save(path)
    with pytest.raises(LedgerProblems) as caught:
        import_as(seeded_house, WB, path)
    assert f"rectify evidence submit 文件 --finding {R1}" in caught.value.message


def test_unreadable_files_are_named(tmp_path: Path) -> None:
    from rectify.domain.errors import InvalidInput

    text = tmp_path / "台账.xlsx"
    text.write_text("序号,问题编号\n1,WB-GXJ/2024/01\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="不是 .xlsx 文件"):
        read_ledger(text)
    encrypted = tmp_path / "加密.xlsx"
    encrypted.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(1024))
    with pytest.raises(InvalidInput, match="已加密"):
        read_ledger(encrypted)
    good = tmp_path / "好.xlsx"
    export([], good, checkpoint="0:" + "0" * 64, info={})
    truncated = tmp_path / "截断.xlsx"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(InvalidInput, match="损坏或不完整"):
        read_ledger(truncated)
    wb = load_workbook(good)
    wb[SHEET].delete_cols(7)  # a department deleted the 整改措施 column
    wb.save(good)
    with pytest.raises(InvalidInput, match="第 1 行缺少列：整改措施"):
        read_ledger(good)


def test_a_row_for_a_ref_that_does_not_exist(seeded_house: House, tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    export_as(seeded_house, WB, path)
    wb = load_workbook(path)
    ws = wb[SHEET]
    ws.append([3, "WB-GXJ/2024/77", "新问题", "", "", "", "补充的措施"])
    ws[f"{letter('完成比例')}2"] = "六成"
    wb.save(path)
    before = events(seeded_house)
    with pytest.raises(LedgerProblems) as caught:
        import_as(seeded_house, WB, path)
    problems = [str(p) for p in caught.value.problems]
    assert problems == [
        f"工作表「{SHEET}」第 2 行 {letter('完成比例')} 列（完成比例）：「六成」不是 0–100 的整数",
        f"工作表「{SHEET}」第 4 行 {letter('问题编号')} 列（问题编号）：问题 WB-GXJ/2024/77 不存在",
    ]
    assert events(seeded_house) == before
