"""`rectify check FILE [--json]`: validate and recompute an evaluation package.

Exit 0 when no check fails, 1 when some do, 2 when the package is invalid (every
error printed with its JSON path to stderr, no traceback). Nothing is written.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys
from typing import Any, TextIO

from rich.console import Console
from rich.text import Text

from rectify.cli import output
from rectify.reports.checker import KIND_LABELS, CheckReport, check_package, value_text
from rectify.reports.package import InvalidPackage, load_package

HELP = "校验评价包并复算得分（不写入）/ validate an evaluation package and recompute its scores"


def register(subparsers: argparse._SubParsersAction[Any]) -> None:
    parser = subparsers.add_parser(
        "check",
        help=HELP,
        description=(
            "校验评价包（rectify/evaluation@1）并按末级得分、书面规则和包内数据复算，"
            "列出报告自相矛盾之处。退出码：0 无问题，1 有检查未通过，2 评价包无效。\n"
            "Validate an evaluation package and recompute it; exit 0 when every check "
            "passes, 1 when some fail, 2 when the package is invalid."
        ),
    )
    parser.add_argument(
        "file", metavar="FILE", type=pathlib.Path, help="评价包 JSON 文件 / package file"
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="输出一个 JSON 对象 / print one JSON object",
    )
    parser.set_defaults(func=run, handler=run)


def render_unchecked(report: CheckReport, console: Console) -> None:
    if not report.unchecked:
        return
    console.print(f"[yellow]报告未披露的数据，以下 {len(report.unchecked)} 项未能检查：[/yellow]")
    for u in report.unchecked:
        console.print(f"  {u.path}：{u.message}", markup=False)


def render_text(report: CheckReport, console: Console) -> None:
    console.print(
        f"计算总分：[bold]{report.total}[/bold]　等级：[bold]{report.grade or '—'}[/bold]"
    )
    render_unchecked(report, console)
    if not report.checks:
        console.print("[green]全部检查通过。[/green]")
        return
    # The JSON path goes under the kind of check, so the explanation keeps its width.
    table = output.table(
        f"发现 {len(report.checks)} 处问题",
        ("类别 · 位置", "报告值", "计算值", "说明"),
        codes=("类别 · 位置",),
        numbers=("报告值", "计算值"),
    )
    for c in report.checks:
        table.add_row(
            Text(f"{KIND_LABELS.get(c.kind, c.kind)}\n{c.path}"),
            value_text(c.stated),
            value_text(c.computed),
            c.message,
        )
    console.print(table)


def run(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    stdout = out if out is not None else sys.stdout
    stderr = err if err is not None else sys.stderr
    try:
        package = load_package(pathlib.Path(args.file))
    except InvalidPackage as exc:
        print(f"评价包无效（{len(exc.errors)} 处错误）：{exc.file}", file=stderr)
        for e in exc.errors:
            print(f"{exc.file}: {e.path}: {e.message}", file=stderr)
        return InvalidPackage.exit_code
    report = check_package(package)
    if getattr(args, "json", False):
        stdout.write(json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        # The terminal's width (COLUMNS when set), like every other CLI table.
        render_text(
            report, output.console if out is None else Console(file=stdout, highlight=False)
        )
    return 1 if report.failed else 0
