"""argparse in Chinese: usage, section headings, -h, and argparse's own error messages.

argparse writes its messages in English through gettext; rather than patch the
module, this parser translates the few messages argparse produces when it reports an
error, and the formatter names the sections in Chinese.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from typing import Any, NoReturn

_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), chinese)
    for pattern, chinese in (
        (r"^the following arguments are required: (.*)$", r"缺少必需的参数：\1"),
        (r"^unrecognized arguments: (.*)$", r"无法识别的参数：\1"),
        (r"^invalid choice: (.*?) \(choose from (.*)\)$", r"无效的选择 \1（可选：\2）"),
        (r"^expected one argument$", "需要一个值"),
        (r"^expected at least one argument$", "至少需要一个值"),
        (r"^expected (\d+) arguments?$", r"需要 \1 个值"),
        (r"^ignored explicit argument (.*)$", r"不接受值 \1"),
        (r"^not allowed with argument (.*)$", r"不能与参数 \1 同时使用"),
        (r"^invalid int value: (.*)$", r"不是整数：\1"),
        (r"^invalid float value: (.*)$", r"不是数字：\1"),
        (r"^invalid (\w+) value: (.*)$", r"无效的值：\2"),
        (r"^one of the arguments (.*) is required$", r"参数 \1 须给出其一"),
        (r"^ambiguous option: (.*?) could match (.*)$", r"选项 \1 有歧义，可能是 \2"),
    )
)


def translate(message: str) -> str:
    """argparse's English error message in Chinese (unknown ones are kept as they are)."""
    prefix = ""
    argument = re.match(r"^argument (.+?): (.*)$", message, re.DOTALL)
    if argument:
        prefix, message = f"参数 {argument.group(1)}：", argument.group(2)
    for pattern, chinese in _MESSAGES:
        if pattern.match(message):
            return prefix + pattern.sub(chinese, message)
    return prefix + message


class ChineseHelpFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, prefix if prefix is not None else "用法：")

    def format_help(self) -> str:
        # Section headings end with argparse's ASCII colon; Chinese text takes "：".
        return re.sub(r"^(\S[^\n]*):\n", r"\1：\n", super().format_help(), flags=re.MULTILINE)


def add_commands(parser: argparse.ArgumentParser, **kwargs: Any) -> Any:
    """`parser.add_subparsers(...)`, typed loosely: each command module registers on it."""
    return parser.add_subparsers(**kwargs)


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser (and, through add_subparsers, sub-parsers) speaking Chinese."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        add_help = kwargs.pop("add_help", True)
        kwargs["add_help"] = False  # our own -h, with Chinese help
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", help="显示此帮助并退出")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{translate(message)}\n")
