"""Reading passwords: one line of stdin, RECTIFY_PASSWORD, or typed at a terminal.

Sessions themselves (the session file, RECTIFY_USER) live in rectify.bootstrap.login.
"""

from __future__ import annotations

import getpass
import os
import sys

from rectify.domain.errors import InvalidInput


def _stdin_line() -> str:
    line = sys.stdin.readline().rstrip("\n")
    if not line:
        raise InvalidInput("标准输入中没有密码")
    return line


def read_new_password(from_stdin: bool, prompt: str = "新密码") -> str:
    """A new password: one line of stdin, or typed twice at a terminal."""
    if from_stdin:
        return _stdin_line()
    env = os.environ.get("RECTIFY_PASSWORD")
    if env:
        return env
    if not sys.stdin.isatty():
        raise InvalidInput(
            "无法提示输入密码（不是终端）：请用 --password-stdin 或设置 RECTIFY_PASSWORD"
        )
    first = getpass.getpass(f"{prompt}：")
    if getpass.getpass(f"再次输入{prompt}：") != first:
        raise InvalidInput("两次输入的密码不一致")
    return first


def read_password(from_stdin: bool = False, prompt: str = "密码") -> str:
    if from_stdin:
        return _stdin_line()
    env = os.environ.get("RECTIFY_PASSWORD")
    if env:
        return env
    if not sys.stdin.isatty():
        raise InvalidInput(
            "无法提示输入密码（不是终端）：请用 --password-stdin 或设置 RECTIFY_PASSWORD"
        )
    return getpass.getpass(f"{prompt}：")
