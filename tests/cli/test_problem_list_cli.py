"""Issue #3 (problem list) through the real `rectify` command, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import ADMIN_PASSWORD, Cli, make_cli
from tests.conftest import WEIBIN, ZHENGZHOU

R1 = "WB-GXJ/2024/01"
R2 = "WB-GXJ/2024/02"
WB_USER = {"RECTIFY_USER": "wb", "RECTIFY_PASSWORD": "wb-secret-123"}
ZZ_USER = {"RECTIFY_USER": "zz", "RECTIFY_PASSWORD": "zz-secret-123"}


@pytest.fixture
def cli(db_url: str, tmp_path: Path) -> Cli:
    cli = make_cli(db_url, tmp_path)
    cli.env["RECTIFY_BLOB_DIR"] = str(tmp_path / "blobs")
    cli.ok("init", "--user", "admin", "--password-stdin", input=ADMIN_PASSWORD + "\n")
    cli.ok("import", "evaluation", str(WEIBIN))
    cli.ok("import", "evaluation", str(ZHENGZHOU))
    for user, dept in ((WB_USER, "WB-GXJ"), (ZZ_USER, "ZZ-GXJ")):
        cli.ok(
            "user",
            "add",
            user["RECTIFY_USER"],
            "--role",
            "department",
            "--department",
            dept,
            "--password-stdin",
            input=user["RECTIFY_PASSWORD"] + "\n",
        )
    return cli


def events(cli: Cli) -> int:
    return int(cli.ok("checkpoint").strip().split(":")[0])


def refused(cli: Cli, *args: str, env: dict[str, str] | None = None, needle: str = "") -> str:
    """A refusal: non-zero exit, one Chinese line on stderr, nothing recorded."""
    before = events(cli)
    result = cli.run(*args, env=env)
    assert result.returncode != 0, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "错误" in lines[0], result.stderr
    assert needle in result.stderr, result.stderr
    assert events(cli) == before
    return result.stderr


def test_problem_list_scenario(cli: Cli, tmp_path: Path) -> None:
    # The bureau issues both findings.
    for ref in (R1, R2):
        out = cli.ok(
            "findings",
            "issue",
            ref,
            "--class",
            "phased",
            "--on",
            "2025-09-01",
            "--due",
            "2025-11-30",
            "--requirements",
            "细化预算测算，完善绩效目标",
        )
        assert "已下发" in out and "2025-11-30" in out
    # The department records measures, a person, progress, evidence; asks for closure.
    for ref in (R1, R2):
        cli.ok("findings", "measures", ref, "建立追加资金测算审核制度", env=WB_USER)
        cli.ok("findings", "person", ref, "王科长", env=WB_USER)
        cli.ok(
            "findings",
            "progress",
            ref,
            "--percent",
            "100",
            "--text",
            "制度已印发",
            "--date",
            "2025-10-15",
            env=WB_USER,
        )
    proof = tmp_path / "制度文件.pdf"
    proof.write_bytes(b"%PDF-1.4 rectification proof")
    ids = {}
    for ref in (R1, R2):
        ids[ref] = cli.ok(
            "evidence",
            "submit",
            str(proof),
            "--finding",
            ref,
            "--effective-date",
            "2025-10-15",
            env=WB_USER,
        ).strip()
        shown = json.loads(cli.ok("evidence", "show", ids[ref], "--json", env=WB_USER))
        assert shown["finding_ref"] == ref and shown["submitted_by"] == "wb" and shown["content_ok"]
        cli.ok("findings", "request-closure", ref, "--evidence", ids[ref], env=WB_USER)
    assert (tmp_path / "blobs").is_dir()

    # The department may not close its own findings.
    refused(cli, "findings", "close", R1, env=WB_USER, needle="只有财政局")
    # The bureau returns one and closes the other.
    cli.ok("findings", "return", R1, "--reason", "测算依据仍不充分")
    cli.ok("findings", "close", R2, "--reason", "材料齐全，予以销号")

    fig = json.loads(cli.ok("findings", "figures", "--year", "2024", "--json"))["figures"]
    assert len(fig) == 1
    row = fig[0]
    assert row["department_code"] == "WB-GXJ" and row["total"] == 2
    assert row["rate_by_count"] == "50.00"
    assert row["by_status"] == {"closed": 1, "returned": 1}
    # R2 (closed) has no amount; R1 (returned) has 320.44 → 0% by amount.
    assert row["amount_total"] == "320.44" and row["rate_by_amount"] == "0.00"
    assert "50.00%" in cli.ok("findings", "figures")

    # Next year: the open one is carried over to 2025 with its history.
    cli.ok("findings", "carry-over", R1, "--year", "2025", "--reason", "跨年度继续整改")
    listed_2025 = json.loads(cli.ok("findings", "list", "--year", "2025", "--json"))["findings"]
    assert [f["ref"] for f in listed_2025] == [R1]
    detail = json.loads(cli.ok("findings", "show", R1, "--json"))
    assert detail["finding"]["carried_years"] == [2025]
    assert detail["finding"]["status"] == "returned"
    assert detail["finding"]["responsible_person"] == "王科长"
    assert detail["finding"]["progress_percent"] == 100
    steps = [(e["label"], e["actor"]) for e in detail["timeline"]]
    assert steps == [
        ("记录问题", "admin"),
        ("下发", "admin"),
        ("记录整改措施", "wb"),
        ("指定责任人", "wb"),
        ("报告整改进展", "wb"),
        ("附佐证材料", "wb"),
        ("申请销号", "wb"),
        ("退回", "admin"),
        ("结转下一年度", "admin"),
    ]
    assert detail["timeline"][7]["reason"] == "测算依据仍不充分"
    assert detail["timeline"][-1]["details"] == {"year": 2025}
    human = cli.ok("findings", "show", R1)
    assert "整改过程" in human and "结转至 2025" in human

    # Another department sees neither finding and may not show them.
    zz_list = json.loads(cli.ok("findings", "list", "--json", env=ZZ_USER))["findings"]
    assert all(not f["ref"].startswith("WB-GXJ") for f in zz_list)
    refused(cli, "findings", "show", R1, env=ZZ_USER, needle=f"问题 {R1} 不存在")
    refused(cli, "findings", "measures", R1, "冒名整改", env=ZZ_USER, needle=f"问题 {R1} 不存在")
    zz_fig = json.loads(cli.ok("findings", "figures", "--json", env=ZZ_USER))["figures"]
    assert all(r["department_code"] != "WB-GXJ" for r in zz_fig)
    # The WB department sees its own.
    wb_list = json.loads(cli.ok("findings", "list", "--json", env=WB_USER))["findings"]
    assert [f["ref"] for f in wb_list] == [R1, R2]


def test_refusals_are_one_line_and_record_nothing(cli: Cli, tmp_path: Path) -> None:
    refused(
        cli,
        "findings",
        "issue",
        "NOPE/1",
        "--class",
        "phased",
        "--requirements",
        "x",
        needle="不存在",
    )
    refused(
        cli,
        "findings",
        "issue",
        R1,
        "--class",
        "phased",
        "--on",
        "2025-09-01",
        "--due",
        "2025-08-01",
        "--requirements",
        "x",
        needle="早于下发日期",
    )
    refused(
        cli,
        "findings",
        "issue",
        R1,
        "--class",
        "phased",
        "--due",
        "2025-13-01",
        "--requirements",
        "x",
        needle="不存在：没有 13 月",
    )
    refused(
        cli,
        "findings",
        "issue",
        R1,
        "--class",
        "phased",
        "--requirements",
        "x",
        env=WB_USER,
        needle="只有财政局",
    )
    refused(
        cli,
        "findings",
        "record",
        "WB-GXJ/2024/99",
        "--department",
        "WB-GXJ",
        "--year",
        "2024",
        "--category",
        "预算管理",
        "--title",
        "t",
        "--description",
        "d",
        "--amount",
        "-5",
        needle="不能为负数",
    )
    cli.ok(
        "findings",
        "record",
        "WB-GXJ/2024/99",
        "--department",
        "WB-GXJ",
        "--year",
        "2024",
        "--category",
        "预算管理",
        "--title",
        "手工记录",
        "--description",
        "d",
        "--amount",
        "12.30",
    )
    cli.ok(
        "findings",
        "issue",
        R1,
        "--class",
        "immediate",
        "--on",
        "2025-09-01",
        "--requirements",
        "立即整改",
    )
    assert json.loads(cli.ok("findings", "show", R1, "--json"))["finding"]["due"] == "2025-10-01"
    refused(cli, "findings", "close", R1, needle="此状态下不能销号")
    refused(
        cli,
        "evidence",
        "submit",
        str(tmp_path / "missing.pdf"),
        "--finding",
        R1,
        "--effective-date",
        "2025-10-01",
        env=WB_USER,
        needle="不存在",
    )
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * 2048)
    refused(
        cli,
        "evidence",
        "submit",
        str(big),
        "--finding",
        R1,
        "--effective-date",
        "2025-10-01",
        env={**WB_USER, "RECTIFY_EVIDENCE_MAX_BYTES": "1024"},
        needle="过大",
    )
    refused(
        cli,
        "evidence",
        "submit",
        str(big),
        "--finding",
        R1,
        "--effective-date",
        "2025-10-01",
        env=ZZ_USER,
        needle=f"问题 {R1} 不存在",
    )
    refused(
        cli,
        "findings",
        "request-closure",
        R1,
        "--evidence",
        "not-a-uuid",
        env=WB_USER,
        needle="UUID",
    )

    # Overdue and extension through list/figures with an injected today.
    assert [
        f["ref"]
        for f in json.loads(
            cli.ok("findings", "list", "--overdue", "--today", "2025-10-02", "--json")
        )["findings"]
    ] == [R1]
    cli.ok("findings", "extend", R1, "--due", "2025-12-31", "--reason", "需跨部门协调")
    assert (
        json.loads(cli.ok("findings", "list", "--overdue", "--today", "2025-10-02", "--json"))[
            "findings"
        ]
        == []
    )
    fig = json.loads(
        cli.ok(
            "findings",
            "figures",
            "--year",
            "2024",
            "--department",
            "WB-GXJ",
            "--today",
            "2026-01-05",
            "--json",
        )
    )["figures"][0]
    assert (fig["overdue"], fig["extended"], fig["total"]) == (1, 1, 3)
    assert [
        f["ref"]
        for f in json.loads(cli.ok("findings", "list", "--text", "手工", "--json"))["findings"]
    ] == ["WB-GXJ/2024/99"]
    cli.ok("findings", "withdraw", "WB-GXJ/2024/99", "--reason", "误记")
    cli.ok(
        "findings",
        "long-term",
        R1,
        "--re-review",
        "2026-03-31",
        "--today",
        "2025-10-05",
        "--reason",
        "结构性问题",
    )
    shown = json.loads(cli.ok("findings", "show", R1, "--json"))["finding"]
    assert shown["status"] == "long_term" and shown["re_review_on"] == "2026-03-31"


def test_help(tmp_path: Path) -> None:
    cli = make_cli("sqlite:///unused.db", tmp_path)
    for args in (
        ["findings", "issue"],
        ["findings", "figures"],
        ["findings", "show"],
        ["evidence", "submit"],
        ["evidence", "show"],
        ["findings", "carry-over"],
    ):
        assert cli.ok(*args, "--help").startswith("用法：rectify")
