"""`rectify check`: exit codes, text table, JSON output, invalid package on stderr."""

from __future__ import annotations

import argparse
import io
import json
import pathlib

from rectify.cli.check_command import register, run

EXAMPLES = pathlib.Path(__file__).parents[2] / "src" / "rectify" / "examples"
WEIBIN = EXAMPLES / "weibin-2024.evaluation.json"


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="rectify")
    register(parser.add_subparsers(dest="command"))
    return parser.parse_args(argv)


def call(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    args = parse(argv)
    code = args.func(args, out, err)
    return code, out.getvalue(), err.getvalue()


def test_json_output_and_exit_1() -> None:
    code, out, err = call(["check", str(WEIBIN), "--json"])
    assert code == 1
    assert err == ""
    data = json.loads(out)
    assert data["total"] == "87.66" and data["grade"] == "良"
    assert "良" in out  # ensure_ascii=False
    assert {c["kind"] for c in data["checks"]} == {
        "duplicate_code",
        "rule_mismatch",
        "uncovered_deduction",
    }


def test_text_table() -> None:
    code, out, _ = call(["check", str(WEIBIN)])
    assert code == 1
    assert "87.66" in out and "评分与规则不符" in out and "indicators[A2.2]" in out


def test_clean_package_exits_0(tmp_path: pathlib.Path) -> None:
    data = json.loads(WEIBIN.read_text("utf-8"))
    for ind in data["indicators"]:
        ind.pop("printed_code", None)
    data["findings"][0]["indicator_codes"] += ["A", "B", "C", "D"]
    for ind in data["indicators"]:
        if ind["code"] == "A2.2":
            ind["awarded"] = 3.0
        if ind["code"] == "C2.1":
            ind["inputs"]["results"] = [True, True]
            ind["awarded"] = 5.0
        if ind["code"] == "C2.2":
            ind["inputs"]["results"] = [True, True]
            ind["awarded"] = 4.0
        if ind["code"] in ("A2", "A", "C2", "C"):
            ind.pop("awarded")
    data["evaluation"]["stated"] = {"total": 90.53, "grade": "优"}
    f = tmp_path / "clean.json"
    f.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    code, out, _ = call(["check", str(f), "--json"])
    assert json.loads(out)["checks"] == []
    assert code == 0


def test_invalid_package_exit_2_lists_paths(tmp_path: pathlib.Path) -> None:
    data = json.loads(WEIBIN.read_text("utf-8"))
    data["findings"][1]["duedate"] = "x"
    data["indicators"][2]["awarded"] = "2"
    f = tmp_path / "bad.json"
    f.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    code, out, err = call(["check", str(f)])
    assert code == 2
    assert out == ""
    assert f"{f}: $.findings[1].duedate:" in err
    assert f"{f}: $.indicators[2].awarded:" in err
    assert "Traceback" not in err


def test_run_directly_with_namespace(tmp_path: pathlib.Path) -> None:
    assert (
        run(
            argparse.Namespace(file=tmp_path / "none.json", json=False),
            io.StringIO(),
            io.StringIO(),
        )
        == 2
    )
