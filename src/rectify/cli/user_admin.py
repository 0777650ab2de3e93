"""`rectify user list | passwd | role | disable | enable | unlock` (bureau; a user may
change its own password). Each change is an event on the user; the log says that a
password changed, by whom, never what it is."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import Any

from rich.table import Table

from rectify.bootstrap import open_house
from rectify.cli.output import console, print_json
from rectify.cli.prompts import read_new_password, read_password
from rectify.domain import vocabulary
from rectify.domain.clock import BEIJING
from rectify.domain.errors import InvalidInput
from rectify.domain.identity import Role
from rectify.domain.vocabulary import by_value

ROLE_LABELS = by_value(vocabulary.ROLE_LABELS)


def register(usub: Any) -> None:
    ls = usub.add_parser("list", help="列出用户、角色、部门、状态（财政局）")
    ls.add_argument("--json", action="store_true", help="输出 JSON")
    ls.set_defaults(func=run_list)

    pw = usub.add_parser(
        "passwd",
        help="修改密码：本人（须原密码）或财政局重置他人密码",
        description="不给 NAME 时修改本人密码。--password-stdin：本人修改时依次读原密码、新密码两行；重置他人时读新密码一行。",
    )
    pw.add_argument("name", nargs="?", help="用户名（默认本人）")
    pw.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码")
    pw.set_defaults(func=run_passwd)

    role = usub.add_parser("role", help="变更用户角色（财政局）")
    role.add_argument("name")
    role.add_argument("--role", required=True, choices=sorted(ROLE_LABELS), help="新角色")
    role.add_argument("--department", help="部门用户所属的部门或单位编码")
    role.add_argument("--reason", required=True, help="理由")
    role.set_defaults(func=run_role)

    for verb, label in (
        ("disable", "停用用户"),
        ("enable", "启用用户"),
        ("unlock", "解除多次登录失败造成的锁定"),
    ):
        p = usub.add_parser(verb, help=f"{label}（财政局）")
        p.add_argument("name")
        p.add_argument("--reason", required=(verb == "disable"), default="", help="理由")
        p.set_defaults(func=run_state, verb=verb)


def _when(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, BEIJING).strftime("%Y-%m-%d %H:%M 北京时间")


def run_list(args: argparse.Namespace) -> int:
    with open_house() as house, house.session(catch_up=False):
        now = int(house.clock.now().timestamp())
        users = house.people.list_users()
        rows = [
            {
                "name": u.name,
                "role": u.role.value,
                "department": u.department_code,
                "display_name": u.display_name,
                "disabled": u.disabled,
                "locked_until": _when(u.locked_until) if u.locked(now) else None,
                "recent_failures": len(u.failures),
            }
            for u in users
        ]
    if args.json:
        print_json(rows)
        return 0
    table = Table(title=f"用户 {len(rows)} 个")
    for header in ("登录名", "角色", "部门", "显示名", "状态"):
        table.add_column(header)
    for r in rows:
        state = (
            "停用"
            if r["disabled"]
            else (f"锁定至 {r['locked_until']}" if r["locked_until"] else "正常")
        )
        table.add_row(
            str(r["name"]),
            ROLE_LABELS.get(str(r["role"]), str(r["role"])),
            str(r["department"] or ""),
            str(r["display_name"] or ""),
            state,
        )
    console.print(table)
    return 0


def run_passwd(args: argparse.Namespace) -> int:
    with open_house() as house, house.session() as me:
        name = args.name or me.name
        own = name.casefold() == me.name.casefold()
        old = None
        if own:
            old = _line() if args.password_stdin else read_password(False, "原密码")
        new = _line() if args.password_stdin else read_new_password(False, f"用户 {name} 的新密码")
        house.people.change_password(name, new, old_password=old)
    console.print(f"已修改用户 {name} 的密码（其已打开的登录会话全部失效）")
    return 0


def _line() -> str:
    line = sys.stdin.readline().rstrip("\n")
    if not line:
        raise InvalidInput("标准输入中缺少密码（本人修改：原密码、新密码各一行）")
    return line


def run_role(args: argparse.Namespace) -> int:
    with open_house() as house, house.session():
        house.people.change_user_role(
            args.name, Role(args.role), args.reason, department_code=args.department
        )
    console.print(f"已将用户 {args.name} 的角色变更为 {ROLE_LABELS[args.role]}")
    return 0


def run_state(args: argparse.Namespace) -> int:
    with open_house() as house, house.session():
        if args.verb == "disable":
            house.people.disable_user(args.name, args.reason)
        elif args.verb == "enable":
            house.people.enable_user(args.name, args.reason)
        else:
            house.people.unlock_user(args.name, args.reason)
    done = {"disable": "已停用", "enable": "已启用", "unlock": "已解除锁定"}[args.verb]
    console.print(f"{done}用户 {args.name}")
    return 0
