"""Issue #13 through `rectify.cli.main.main` in-process, on SQLite and PostgreSQL:
every export as the bureau, a department's scope, the 台账 round trip, Word in."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook

from rectify.bootstrap import open_house
from rectify.cli.main import main
from rectify.domain.clock import FixedClock
from rectify.domain.identity import Principal, Role
from rectify.reports.xlsx.columns import SHEET, letter
from tests.reports.documents_setup import R1, R2, seeded

BUREAU_ENV = {"RECTIFY_USER": "wangke", "RECTIFY_PASSWORD": "bureau-secret-1"}
WB_ENV = {"RECTIFY_USER": "wb", "RECTIFY_PASSWORD": "wb-secret-123"}


@pytest.fixture
def cli_env(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    with open_house(
        db_url, create=True, clock=FixedClock.on(date(2025, 9, 1)), blob_dir=tmp_path / "b"
    ) as house:
        house.people.password_cost_n = 2**10
        house.people.bootstrap_first_user("wangke", BUREAU_ENV["RECTIFY_PASSWORD"], "王科长")
        seeded(house)
        with house.acting(Principal("wangke", Role.BUREAU)):
            house.people.add_user(
                "wb", Role.DEPARTMENT, WB_ENV["RECTIFY_PASSWORD"], "卫滨工信", "WB-GXJ"
            )
    monkeypatch.setenv("RECTIFY_DB", db_url)
    monkeypatch.setenv("RECTIFY_SESSION_FILE", str(tmp_path / "session.json"))
    monkeypatch.setenv("RECTIFY_BLOB_DIR", str(tmp_path / "b"))
    monkeypatch.setenv("RECTIFY_TODAY", "2025-10-15")
    return tmp_path


def run(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], *args: str) -> int:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return main(list(args))


def checkpoint(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert run(monkeypatch, BUREAU_ENV, "checkpoint") == 0
    return capsys.readouterr().out.strip()


def test_exports_and_ledger_round_trip(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = cli_env
    sealed = checkpoint(monkeypatch, capsys)
    for args in (
        ("problem-list", "--year", "2024", "-o", str(out / "问题清单.docx")),
        (
            "notice",
            "--department",
            "WB-GXJ",
            "--date",
            "2025-09-01",
            "-o",
            str(out / "通知书.docx"),
        ),
        ("report", "--year", "2024", "-o", str(out / "报告.docx")),
        (
            "scorecard",
            "WB-GXJ/2024/department",
            "--stage",
            "third_party",
            "-o",
            str(out / "评分表.docx"),
        ),
    ):
        assert run(monkeypatch, BUREAU_ENV, "export", *args) == 0, capsys.readouterr().err
        footer = docx.Document(args[-1]).sections[0].footer.paragraphs[1].text
        assert footer == f"封存检查点 {sealed}"
    notice_text = [p.text for p in docx.Document(str(out / "通知书.docx")).paragraphs]
    assert notice_text[-2:] == ["新乡市卫滨区财政局", "2025年9月1日"]

    # The department exports its own 台账 and may not export another department's.
    ledger = out / "台账.xlsx"
    assert run(monkeypatch, WB_ENV, "export", "ledger", "--year", "2024", "-o", str(ledger)) == 0
    capsys.readouterr()
    assert (
        run(
            monkeypatch,
            WB_ENV,
            "export",
            "ledger",
            "--department",
            "ZZ-GXJ",
            "-o",
            str(out / "x.xlsx"),
        )
        == 1
    )
    assert "只能导出本部门" in capsys.readouterr().err

    wb = load_workbook(ledger)
    ws = wb[SHEET]
    assert [ws[f"{letter('问题编号')}{r}"].value for r in (2, 3)] == [R1, R2]
    ws[f"{letter('整改措施')}2"] = "建立追加资金测算审核制度"
    ws[f"{letter('整改进展')}2"] = "制度已印发"
    ws[f"{letter('完成比例')}2"] = 100
    ws[f"{letter('责任人')}3"] = "李主任"
    wb.save(ledger)

    before = checkpoint(monkeypatch, capsys)
    assert run(monkeypatch, WB_ENV, "import", "ledger", str(ledger), "--dry-run") == 0
    dry = capsys.readouterr().out
    assert "将记录记录整改措施「建立追加资金测算审核制度」" in dry and "试运行" in dry
    assert checkpoint(monkeypatch, capsys) == before
    assert run(monkeypatch, WB_ENV, "import", "ledger", str(ledger), "--json") == 0
    result = json.loads(capsys.readouterr().out)
    assert result["recorded"] and result["user"] == "wb" and len(result["changes"]) == 3
    after = checkpoint(monkeypatch, capsys)
    assert int(after.split(":")[0]) == int(before.split(":")[0]) + 3
    assert run(monkeypatch, WB_ENV, "findings", "show", R1, "--json") == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["finding"]["progress_percent"] == 100
    # The same file again records nothing.
    assert run(monkeypatch, WB_ENV, "import", "ledger", str(ledger)) == 0
    assert "没有需要记录的变更" in capsys.readouterr().out
    assert checkpoint(monkeypatch, capsys) == after


def test_bad_files_and_word_in(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = cli_env
    fake = out / "台账.xlsx"
    fake.write_text("不是表格", encoding="utf-8")
    before = checkpoint(monkeypatch, capsys)
    assert run(monkeypatch, WB_ENV, "import", "ledger", str(fake)) == 2
    assert f"{fake}：不是 .xlsx 文件" in capsys.readouterr().err
    assert checkpoint(monkeypatch, capsys) == before
    assert (
        run(monkeypatch, BUREAU_ENV, "export", "scorecard", "NO/SUCH", "-o", str(out / "s.docx"))
        == 1
    )
    assert "评价 NO/SUCH 不存在" in capsys.readouterr().err
    assert run(monkeypatch, BUREAU_ENV, "export", "ledger", "-o", str(out / "台账.docx")) == 2
    assert "扩展名应为 .xlsx" in capsys.readouterr().err

    card = out / "评分表.docx"
    assert (
        run(
            monkeypatch,
            BUREAU_ENV,
            "export",
            "scorecard",
            "WB-GXJ/2024/department",
            "-o",
            str(card),
        )
        == 0
    )
    package = out / "骨架.json"
    assert run(monkeypatch, {}, "import", "scorecard", str(card), "-o", str(package)) == 0
    printed = capsys.readouterr().out
    assert "指标 44 个" in printed and "编号 D2 重复" in printed
    skeleton = json.loads(package.read_text(encoding="utf-8"))
    assert skeleton["format"] == "rectify/evaluation@1"
    assert skeleton["evaluation"]["stated"] == {"total": 87.66, "grade": "良"}


def test_unwritable_output_is_one_line(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = cli_env / "目录.docx"
    target.mkdir()  # a directory where the file should go: the save fails
    assert run(monkeypatch, BUREAU_ENV, "export", "problem-list", "-o", str(target)) == 2
    assert f"无法写入 {target}" in capsys.readouterr().err
