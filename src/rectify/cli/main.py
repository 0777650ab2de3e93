"""Entry point of the `rectify` command."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import Protocol

from rectify import __version__
from rectify.cli.parser import ChineseArgumentParser, add_commands

DESCRIPTION = """rectify：绩效评价与问题整改跟踪（事件溯源）。

数据库由环境变量 RECTIFY_DB 指定：未设置时为用户数据目录下的 SQLite 文件；
也可为 sqlite:///路径 或 postgresql+psycopg://用户@主机/库。"""


# Each top-level command, the module that registers it and its one-line help: `--help`
# and `--version` need no command module, and a command imports only its own module
# (tests/cli/test_startup.py keeps this table equal to what the modules register).
COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("demo_command", "初始化库、导入自带的示例评价包并显示问题清单（first-run demo）"),
    "init": (
        "store_commands",
        "创建库、升级架构并创建首个财政局用户（create the store and the first bureau user）",
    ),
    "db": ("store_commands", "数据库架构（schema）"),
    "rebuild": ("store_commands", "清空并从事件重放全部读模型（drop and replay every read model）"),
    "verify": ("store_commands", "校验事件日志未被篡改（recompute the hash chain）"),
    "checkpoint": (
        "store_commands",
        "打印当前封存检查点 position:head-hash 并记入检查点文件（可由 cron 定时运行）",
    ),
    "login": ("user_commands", "登录并保存会话（session file, 0600）"),
    "logout": ("user_commands", "删除本库的登录会话"),
    "whoami": ("user_commands", "显示当前用户与角色"),
    "user": ("user_commands", "用户管理（users; bureau only）"),
    "import": ("import_command", "导入（import documents）"),
    "findings": ("findings_command", "问题清单（problem list）"),
    "evidence": ("evidence_command", "佐证材料（evidence files）"),
    "check": (
        "check_command",
        "校验评价包并复算得分（不写入）/ validate an evaluation package and recompute its scores",
    ),
    "evaluation": ("evaluation_commands", "绩效评价（evaluations）"),
    "score": ("evaluation_commands", "指标得分（scores）"),
    "compare": ("evaluation_commands", "同一部门某指标的跨年度得分"),
    "budget": ("evaluation_commands", "预算台账（budget ledger）"),
    "policy": ("policy_command", "时限与提醒政策（查看；财政局修改）"),
    "inbox": ("inbox_command", "我的提醒（到期、逾期、退回、申请销号…）"),
    "scheduler": (
        "scheduler_command",
        "时钟：按时记录整改提醒、逾期、复核与整改情况报送（system 用户）",
    ),
    "export": ("export_command", "导出公文与台账（Word GB/T 9704、Excel 整改台账）"),
    "tui": ("tui_command", "终端界面：首页、问题清单、问题详情与操作、评价、预算、事件日志"),
    "targets": ("targets_command", "绩效目标（申报、调整、查看某日有效的目标）"),
    "monitoring": ("monitoring_command", "绩效监控（监控计划、报告、预警）"),
    "review": ("review_command", "自评与复核（得分、报送、偏差）"),
    "comments": ("comments_command", "征求意见（发送、回复、答复、定稿）"),
    "results": ("results_command", "结果应用（政策、决定、与下年度预算并列显示）"),
}


class CommandModule(Protocol):
    def register(self, sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None: ...


def command_module(name: str) -> CommandModule:
    module: CommandModule = importlib.import_module(f"rectify.cli.{name}")
    return module


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole parser; with `only`, just that command's module is imported and
    registered, every other command being a placeholder with its help line."""
    parser = ChineseArgumentParser(prog="rectify", description=DESCRIPTION)
    parser.add_argument(
        "--version", action="version", version=f"rectify {__version__}", help="显示版本并退出"
    )
    sub = add_commands(parser, dest="command", required=True, metavar="COMMAND")
    wanted = {module for name, (module, _) in COMMANDS.items() if only is None or name == only}
    registered: set[str] = set()
    for name, (module, help_text) in COMMANDS.items():
        if module in wanted:
            if module not in registered:
                command_module(module).register(sub)
                registered.add(module)
        else:
            sub.add_parser(name, help=help_text)
    return parser


def command_of(argv: Sequence[str]) -> str | None:
    """The command word, if it is the first argument (all options are after it)."""
    return argv[0] if argv and argv[0] in COMMANDS else None


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    command = command_of(args_list)
    parser = build_parser(only=command) if command is not None else build_parser(only="")
    args = parser.parse_args(args_list)
    from rectify.cli.output import error
    from rectify.domain.errors import RectifyError

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
