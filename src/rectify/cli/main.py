"""Entry point of the `rectify` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Protocol

from rectify import __version__
from rectify.cli import (
    check_command,
    demo_command,
    evaluation_commands,
    evidence_command,
    findings_command,
    import_command,
    store_commands,
    user_commands,
)
from rectify.cli.output import error
from rectify.cli.parser import ChineseArgumentParser, add_commands
from rectify.domain.errors import RectifyError

DESCRIPTION = """rectify：绩效评价与问题整改跟踪（事件溯源）。

数据库由环境变量 RECTIFY_DB 指定：未设置时为用户数据目录下的 SQLite 文件；
也可为 sqlite:///路径 或 postgresql+psycopg://用户@主机/库。"""


def build_parser() -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(prog="rectify", description=DESCRIPTION)
    parser.add_argument(
        "--version", action="version", version=f"rectify {__version__}", help="显示版本并退出"
    )
    sub = add_commands(parser, dest="command", required=True, metavar="COMMAND")
    for module in _command_modules():
        module.register(sub)
    return parser


class CommandModule(Protocol):
    def register(self, sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None: ...


def _command_modules() -> list[CommandModule]:
    modules: list[CommandModule] = [
        demo_command,
        store_commands,
        user_commands,
        import_command,
        findings_command,
        evidence_command,
        check_command,
        evaluation_commands,
    ]
    return modules


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except RectifyError as exc:
        error(exc.message)
        return exc.exit_code
    except KeyboardInterrupt:
        error("已中断")
        return 130


if __name__ == "__main__":
    sys.exit(main())
