"""`--help` says what the command does: every option explains itself, and the claims
that were once untrue (fixed defaults, options that did nothing, the order of what is
shown) are held against the behaviour, in process on SQLite."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from rectify.cli.main import build_parser, main
from tests.cli.helpers import in_process_env
from tests.conftest import WEIBIN

ADMIN = "admin-secret-1"
REF = "WB-GXJ/2024/01"


def _commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, (*path, name))


def _help(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as done:
        main([*argv, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


def test_every_option_of_every_command_says_what_it_does() -> None:
    silent = [
        f"rectify {' '.join(path)} {'/'.join(action.option_strings)}"
        for path, parser in _commands(build_parser())
        for action in parser._actions
        if action.option_strings and not action.help
    ]
    assert silent == []
    assert len(list(_commands(build_parser()))) > 60  # the walk reached the leaves


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    in_process_env(
        monkeypatch,
        f"sqlite:///{tmp_path / 'r.db'}",
        tmp_path,
        RECTIFY_USER="admin",
        RECTIFY_PASSWORD=ADMIN,
        RECTIFY_TODAY="2025-03-03",
    )
    assert main(["init"]) == 0
    assert main(["import", "evaluation", str(WEIBIN)]) == 0
    yield


def test_issue_due_default_follows_the_deadline_policy(
    store: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "时限政策" in _help(capsys, "findings", "issue")
    assert main(["policy", "set", "deadline.phased=45", "--reason", "缩短"]) == 0
    assert main(["findings", "issue", REF, "--class", "phased", "--requirements", "整改"]) == 0
    capsys.readouterr()
    assert main(["findings", "show", REF, "--json"]) == 0
    due = json.loads(capsys.readouterr().out)["finding"]["due"]
    assert date.fromisoformat(due) >= date(2025, 3, 3) + timedelta(days=45)  # not the built-in 90
    assert date.fromisoformat(due) < date(2025, 3, 3) + timedelta(days=90)


def test_long_term_today_is_the_day_the_re_review_must_follow(
    store: None, capsys: pytest.CaptureFixture[str]
) -> None:
    text = _help(capsys, "findings", "long-term")
    assert "系统日期" not in text and "复核日期须晚于它" in text
    main(["findings", "issue", REF, "--class", "phased", "--requirements", "整改"])
    capsys.readouterr()
    argv = ["findings", "long-term", REF, "--re-review", "2025-06-30", "--reason", "体制"]
    assert main([*argv, "--today", "2025-07-01"]) != 0
    assert "须晚于今天 2025-07-01" in capsys.readouterr().err
    assert main(argv) == 0  # the clock's day (RECTIFY_TODAY) is earlier


def test_scorecard_export_takes_no_today_it_would_ignore(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert "--today" not in _help(capsys, "export", "scorecard")
    for document in ("problem-list", "notice", "report", "ledger"):
        assert "--today" in _help(capsys, "export", document)
    with pytest.raises(SystemExit) as refused:
        main(["export", "scorecard", "K", "-o", "x.docx", "--today", "2025-01-01"])
    assert refused.value.code == 2


def test_demo_shows_what_its_help_says_in_that_order(
    store: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "显示各评价的状态与问题清单" in _help(capsys, "demo")
    assert main(["demo", "--no-tui"]) == 0
    out = capsys.readouterr().out
    assert 0 <= out.index("评价状态") < out.index("问题清单")
