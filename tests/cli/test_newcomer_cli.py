"""What a newcomer meets, in-process through `rectify.cli.main.main`: Chinese argparse,
plain answers from init and login, a date that does not exist, demo's closing words."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from rectify.cli.main import main
from rectify.domain.errors import InvalidInput
from rectify.domain.parsing import parse_date


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("RECTIFY_USER", "RECTIFY_PASSWORD", "RECTIFY_BLOB_DIR", "RECTIFY_TODAY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RECTIFY_DB", f"sqlite:///{tmp_path / 'r.db'}")
    monkeypatch.setenv("RECTIFY_SESSION_FILE", str(tmp_path / "session.json"))
    return tmp_path


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def test_dates_that_do_not_exist_are_called_that() -> None:
    with pytest.raises(InvalidInput, match="不存在：2026 年 2 月只有 28 天"):
        parse_date("2026-02-30", "整改时限")
    with pytest.raises(InvalidInput, match="不存在：没有 13 月"):
        parse_date("2031-13-01", "整改时限")
    with pytest.raises(InvalidInput, match="不是 YYYY-MM-DD 格式"):
        parse_date("30/02/2026", "整改时限")
    assert parse_date("2028-02-29", "x") is not None


def test_argparse_speaks_chinese(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["findings", "issue"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("用法：rectify findings issue")
    assert "错误：缺少必需的参数：REF, --class, --requirements" in err
    with pytest.raises(SystemExit):
        main(["findings", "list", "--status", "nope"])
    assert "参数 --status：无效的选择 'nope'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as helped:
        main(["login", "-h"])
    assert helped.value.code == 0
    out = capsys.readouterr().out
    assert "选项：" in out and "显示此帮助并退出" in out and "--password-stdin" in out


def test_init_login_with_password_stdin_and_init_again(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, "first-password-1\n")
    assert main(["init", "--user", "王科长", "--password-stdin"]) == 0
    assert main(["logout"]) == 0
    _stdin(monkeypatch, "first-password-1\n")
    assert main(["login", "--user", "王科长", "--password-stdin"]) == 0
    capsys.readouterr()
    assert main(["whoami"]) == 0
    assert "王科长（财政局）" in capsys.readouterr().out
    assert main(["init", "--user", "李四"]) == 0
    assert "未创建用户 李四" in capsys.readouterr().out
    _stdin(monkeypatch, "\n")
    assert main(["login", "--user", "王科长", "--password-stdin"]) != 0
    assert "标准输入中没有密码" in capsys.readouterr().err


def test_a_date_that_does_not_exist_on_the_command_line(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["evidence", "submit", "x.pdf", "--effective-date", "2026-02-30"]) != 0
    assert "'2026-02-30' 不存在" in capsys.readouterr().err


def test_demo_says_where_who_and_what_next(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert f"库：sqlite:///{env / 'r.db'}" in out
    assert "当前登录：admin（财政局）" in out
    assert "rectify findings show WB-GXJ/2024/01" in out
    # Codes never wrap in the problem list.
    assert "WB-GXJ/2024/01" in out.split("接下来")[0]
