"""`rectify evaluation show`, `score history|set`, `compare`, `budget adjust` as a process,
on a SQLite file and on PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import WEIBIN

RECTIFY = str(Path(sys.executable).with_name("rectify"))
PASSWORD = "bureau-secret-1"
KEY = "WB-GXJ/2024/department"


class Cli:
    def __init__(self, db_url: str, tmp_path: Path) -> None:
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("RECTIFY_")}
        self.env.update(
            RECTIFY_DB=db_url, RECTIFY_SESSION_FILE=str(tmp_path / "session.json"), COLUMNS="200"
        )

    def run(self, *args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [RECTIFY, *args],
            input=input,
            capture_output=True,
            text=True,
            env=self.env,
            timeout=120,
            check=False,
        )
        assert "Traceback" not in result.stderr, result.stderr
        return result

    def ok(self, *args: str, input: str | None = None) -> str:
        result = self.run(*args, input=input)
        assert result.returncode == 0, (
            f"rectify {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
        )
        return result.stdout


@pytest.fixture
def cli(db_url: str, tmp_path: Path) -> Cli:
    cli = Cli(db_url, tmp_path)
    cli.ok("init", "--user", "admin", "--password-stdin", input=PASSWORD + "\n")
    cli.ok("import", "evaluation", str(WEIBIN))
    return cli


def test_show_set_history_and_version(cli: Cli) -> None:
    shown = json.loads(cli.ok("evaluation", "show", KEY, "--json"))
    assert (shown["total"], shown["grade"], shown["stated_total"]) == ("87.66", "良", "87.66")
    leaf = next(n for n in shown["nodes"] if n["code"] == "A2.2")
    assert (
        leaf["score"] == "1.50"
        and leaf["rule_range"] == "3.00"
        and leaf["rule_difference"] == "1.50"
    )
    version = shown["version"]
    assert "总分 87.66，等级 良" in cli.ok("evaluation", "show", KEY)

    refused = cli.run("score", "set", KEY, "B1.2", "2", "--stage", "third_party")
    assert refused.returncode != 0 and "须说明理由" in refused.stderr
    too_big = cli.run("score", "set", KEY, "B1.2", "2.5", "--stage", "third_party", "--reason", "x")
    assert too_big.returncode != 0 and "超出范围" in too_big.stderr
    unknown = cli.run("score", "set", KEY, "Z9", "1", "--stage", "third_party", "--reason", "x")
    assert unknown.returncode != 0 and "Z9 不存在" in unknown.stderr
    assert "总分 89.66" in cli.ok(
        "score", "set", KEY, "B1.2", "2", "--stage", "third_party", "--reason", "复核调整"
    )

    history = json.loads(cli.ok("score", "history", KEY, "B1.2", "--json"))["changes"]
    assert [(c["kind"], c["value"], c["reason"], c["actor"]) for c in history] == [
        ("entered", "0.0", None, "admin"),
        ("revised", "2", "复核调整", "admin"),
    ]
    assert "复核调整" in cli.ok("score", "history", KEY, "B1.2")
    earlier = json.loads(cli.ok("evaluation", "show", KEY, "--version", str(version), "--json"))
    assert earlier["total"] == "87.66"
    points = json.loads(cli.ok("compare", "WB-GXJ", "预算调整率", "--json"))["points"]
    assert [(p["fiscal_year"], p["score"]) for p in points] == [(2024, "2.00")]


def test_budget_adjust(cli: Cli) -> None:
    out = json.loads(
        cli.ok(
            "budget",
            "adjust",
            "WB-GXJ",
            "2024",
            "--line",
            "project",
            "--amount",
            "85.44",
            "--reason",
            "追加项目资金",
            "--document",
            "卫财预〔2024〕9号",
            "--date",
            "2024-10-08",
            "--json",
        )
    )
    assert out["adjusted"] == "619.07"
    assert out["rates"]["adjustment_rate"].startswith("-27.51")
    text = cli.ok(
        "budget",
        "adjust",
        "WB-GXJ",
        "2024",
        "--line",
        "project",
        "--amount",
        "-1",
        "--reason",
        "调减",
    )
    assert "已记录预算调减" in text and "预算调整率" in text
    missing = cli.run(
        "budget", "adjust", "WB-GXJ", "2024", "--line", "nope", "--amount", "1", "--reason", "x"
    )
    assert missing.returncode != 0 and "预算行 nope 不存在" in missing.stderr
