"""Issue #2 through the real command, on a SQLite file and on PostgreSQL."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.cli.helpers import ADMIN_PASSWORD, Cli, make_cli
from tests.conftest import WEIBIN


@pytest.fixture
def cli(db_url: str, tmp_path: Path) -> Cli:
    cli = make_cli(db_url, tmp_path)
    cli.ok("init", "--user", "admin", "--password-stdin", input=ADMIN_PASSWORD + "\n")
    return cli


def position(cli: Cli) -> int:
    return int(cli.ok("checkpoint").strip().split(":")[0])


def test_import_twice_lists_two_findings_and_adds_no_event(cli: Cli, tmp_path: Path) -> None:
    session = tmp_path / "session.json"
    assert stat.S_IMODE(session.stat().st_mode) == 0o600
    cli.ok("import", "evaluation", str(WEIBIN))
    after_first = position(cli)
    listed = json.loads(cli.ok("findings", "list", "--json"))["findings"]
    assert [f["ref"] for f in listed] == ["WB-GXJ/2024/01", "WB-GXJ/2024/02"]
    assert listed[0]["amount"] == "320.44" and listed[0]["recorded_by"] == "admin"
    second = cli.ok("import", "evaluation", str(WEIBIN))
    assert "新增事件 0 个" in second
    assert position(cli) == after_first
    assert cli.ok("verify").startswith("日志完整")


def test_one_altered_byte_fails_verify_naming_the_event(cli: Cli, db_url: str) -> None:
    cli.ok("import", "evaluation", str(WEIBIN))
    cli.ok("findings", "list")  # seals everything
    engine = create_engine(db_url)
    with engine.begin() as conn:
        notification_id, state = conn.execute(
            text(
                "select id, state from rectify_events where topic = 'rectify/Finding.Recorded' order by id limit 1"
            )
        ).one()
        tampered = bytearray(bytes(state))
        tampered[len(tampered) // 2] ^= 0x20
        conn.execute(
            text("update rectify_events set state = :s where id = :i"),
            {"s": bytes(tampered), "i": notification_id},
        )
    engine.dispose()
    result = cli.run("verify")
    assert result.returncode == 1
    assert f"通知编号 {notification_id}" in result.stderr
    verdict = json.loads(cli.run("verify", "--json").stdout)
    assert verdict["ok"] is False and verdict["first_bad_id"] == notification_id


def test_checkpoint_round_trip(cli: Cli) -> None:
    cli.ok("import", "evaluation", str(WEIBIN))
    mark = cli.ok("checkpoint").strip()
    assert cli.ok("verify", "--checkpoint", mark).count("延续检查点") == 1
    bad = cli.run("verify", "--checkpoint", "3:" + "0" * 64)
    assert bad.returncode == 1


def test_invalid_package_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    before = position(cli)
    broken = json.loads(WEIBIN.read_text(encoding="utf-8"))
    broken["findings"][1]["due"] = "2026-02-30"
    broken["findings"][0]["sevrity"] = "high"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")
    result = cli.run("import", "evaluation", str(path))
    assert result.returncode == 2
    assert "$.findings[1].due" in result.stderr and "$.findings[0].sevrity" in result.stderr
    assert position(cli) == before


def test_commands_need_an_authenticated_actor(db_url: str, tmp_path: Path) -> None:
    cli = make_cli(db_url, tmp_path)
    cli.ok("init", "--user", "admin", "--password-stdin", input=ADMIN_PASSWORD + "\n")
    cli.ok("logout")
    refused = cli.run("import", "evaluation", str(WEIBIN))
    assert refused.returncode != 0 and "rectify login" in refused.stderr
    wrong = cli.run(
        "import",
        "evaluation",
        str(WEIBIN),
        env={"RECTIFY_USER": "admin", "RECTIFY_PASSWORD": "nope-nope"},
    )
    assert wrong.returncode != 0 and "用户名或密码错误" in wrong.stderr
    cli.ok(
        "import",
        "evaluation",
        str(WEIBIN),
        env={"RECTIFY_USER": "admin", "RECTIFY_PASSWORD": ADMIN_PASSWORD},
    )


def test_rebuild_equals_incremental_through_the_cli(cli: Cli) -> None:
    cli.ok("import", "evaluation", str(WEIBIN))
    before = cli.ok("findings", "list", "--json")
    assert "已重放" in cli.ok("rebuild", "--batch", "2")
    assert cli.ok("findings", "list", "--json") == before


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("oracle://x/y", "不支持的数据库类型"),
        ("postgresql+psycopg://postgres@127.0.0.1:1/x", "无法连接数据库"),
        ("sqlite:////etc/passwd/x.db", "目录不可写"),
    ],
)
def test_bad_store_is_one_line_without_traceback(url: str, message: str, tmp_path: Path) -> None:
    result = make_cli(url, tmp_path).run("init", "--user", "a")
    assert result.returncode == 3
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_help_everywhere(tmp_path: Path) -> None:
    cli = make_cli("sqlite:///unused.db", tmp_path)
    for args in (
        [],
        ["init"],
        ["db"],
        ["db", "upgrade"],
        ["import"],
        ["import", "evaluation"],
        ["findings"],
        ["findings", "list"],
        ["rebuild"],
        ["verify"],
        ["checkpoint"],
        ["demo"],
        ["check"],
        ["login"],
        ["user", "add"],
    ):
        out = cli.ok(*args, "--help")
        assert out.startswith("用法：rectify") and "选项：" in out
        assert "usage:" not in out and "options:" not in out


def test_demo_on_a_fresh_store_then_again(db_url: str, tmp_path: Path) -> None:
    cli = make_cli(db_url, tmp_path)
    first = cli.ok("demo")
    assert "初始密码" in first and "87.66 良" in first
    assert "WB-GXJ/2024/01" in first and "WB-GXJ/2024/02" in first
    again = cli.ok("demo")  # the session from the first run is reused
    assert again.count("新增事件 0 个") == 2
