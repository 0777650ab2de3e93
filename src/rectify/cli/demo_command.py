"""`rectify demo`: the first-run job — initialise the store, import the bundled
example packages, print the problem list and each evaluation's status."""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from importlib import resources
from pathlib import Path

from rectify.bootstrap import House, open_house
from rectify.bootstrap.demo_history import seed_history
from rectify.cli import findings_command, tui_command
from rectify.cli.output import console
from rectify.cli.parser import ChineseArgumentParser, add_commands
from rectify.reports.checker import check_package
from rectify.reports.importer import import_package
from rectify.reports.package import load_package


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = sub.add_parser(
        "demo",
        help="初始化库、导入自带的示例评价包并显示问题清单（first-run demo）",
        description="在 RECTIFY_DB（默认：用户数据目录下的 SQLite 文件）中初始化库，"
        "导入自带的两个真实评价包（可重复运行，不会重复记录），然后显示各评价的状态与问题清单；"
        "在终端中运行时随后打开终端界面（rectify tui）。",
    )
    demo.add_argument("--no-tui", action="store_true", help="只打印摘要，不打开终端界面")
    demo.set_defaults(func=run_demo)


def example_packages() -> list[Path]:
    folder = resources.files("rectify") / "examples"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".evaluation.json"))


def run_demo(args: argparse.Namespace) -> int:
    packages = [load_package(path) for path in example_packages()]
    with open_house(create=True) as house:
        if not house.people.has_users():
            _bootstrap_demo_user(house)
        with house.session() as principal:
            for package in packages:
                result = import_package(house.services, package)
                console.print(f"导入 {result.evaluation_key}：新增事件 {result.events} 个")
            history = seed_history(house)
            span = f"{history.years[0]}–{history.years[-1]}"
            console.print(
                f"示例历史（{history.departments} 个部门，{span} 年度，由生成器产生）："
                + (
                    f"新增事件 {history.events} 个，问题 {history.findings} 项"
                    if history.events
                    else "已存在，未新增"
                )
            )
        console.print()
        console.print("[bold]评价状态[/]")
        for package in packages:
            report = check_package(package)
            stated = package.evaluation.stated
            failing = len(report.checks)
            console.print(
                f"  {package.evaluation.title}（{package.evaluation.key}）\n"
                f"    报告所称总分 {stated.total if stated.total is not None else '—'} {stated.grade or ''}；"
                f"按指标重算 {report.total} {report.grade}；"
                f"核查发现 {failing} 处问题（rectify check 查看明细）；问题清单 {len(package.findings)} 项"
            )
        console.print()
        where = house.label
    # Parse real arguments so the listing gets every option's default.
    parser = ChineseArgumentParser(prog="rectify")
    findings_command.register(add_commands(parser))
    # The shipped packages' problem lists (the generated history has its own departments:
    # `rectify findings list --year 2025`, or the terminal UI).
    code = 0
    for department in sorted({p.department.code for p in packages if p.findings}):
        listing = parser.parse_args(["findings", "list", "--department", department])
        code = max(code, int(listing.func(listing)))
    console.print()
    console.print(f"库：{where}（RECTIFY_DB 可指定别的库）")
    console.print(f"当前登录：{principal.name}（财政局）")
    console.print(NEXT_STEPS)
    if code == 0 and not args.no_tui and sys.stdin.isatty() and sys.stdout.isatty():
        console.print("正在打开终端界面（? 帮助，Ctrl+Q 退出）…")
        tui_command.launch()
    return code


NEXT_STEPS = """接下来可以试试：
  rectify findings show WB-GXJ/2024/01        查看一个问题及其整改过程
  rectify findings list --year 2025 --overdue  示例历史中 2025 年度已逾期的问题
  rectify findings issue WB-GXJ/2024/01 --class immediate --requirements "30 日内整改"
                                              下发问题（整改时限按政策默认）
  rectify evaluation show WB-GXJ/2024/department   指标、得分与等级
  rectify check 评价包.json                    核查一个评价包
  rectify --help                              全部命令"""


def _bootstrap_demo_user(house: House) -> None:
    """A fresh store gets a first bureau user, so the demo acts as a named person."""
    name = os.environ.get("RECTIFY_USER", "").strip() or "admin"
    password = os.environ.get("RECTIFY_PASSWORD") or secrets.token_urlsafe(12)
    principal = house.people.bootstrap_first_user(name, password, "示例管理员")
    house.remember_login(principal)
    if "RECTIFY_PASSWORD" not in os.environ:
        console.print(
            f"已创建首个财政局用户 [bold]{name}[/]，初始密码 [bold]{password}[/]（仅显示这一次，请妥善保存）"
        )
