"""`rectify login | logout | whoami | user add` (the rest of `user`: cli/user_admin.py)."""

from __future__ import annotations

import argparse
import os

from rectify.bootstrap import open_house
from rectify.cli import user_admin
from rectify.cli.output import console
from rectify.cli.prompts import read_new_password, read_password
from rectify.domain import vocabulary
from rectify.domain.errors import InvalidInput
from rectify.domain.identity import Role
from rectify.domain.vocabulary import by_value

ROLE_LABELS = by_value(vocabulary.ROLE_LABELS)
# Roles a person can be given (the scheduler acts as SYSTEM, never a person).
PERSON_ROLES = sorted(r.value for r in Role if r is not Role.SYSTEM)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    login = sub.add_parser("login", help="登录并保存会话（session file, 0600）")
    login.add_argument("--user", help="用户名（默认 RECTIFY_USER）")
    login.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（一行）")
    login.set_defaults(func=run_login)

    logout = sub.add_parser("logout", help="删除本库的登录会话")
    logout.set_defaults(func=run_logout)

    whoami = sub.add_parser("whoami", help="显示当前用户与角色")
    whoami.set_defaults(func=run_whoami)

    user = sub.add_parser("user", help="用户管理（users; bureau only）")
    usub = user.add_subparsers(dest="user_command", required=True, metavar="COMMAND")
    add = usub.add_parser("add", help="添加用户（财政局）")
    add.add_argument("name", help="登录名")
    add.add_argument("--role", required=True, choices=PERSON_ROLES, help="角色")
    add.add_argument("--department", help="部门用户所属的部门或单位编码")
    add.add_argument("--display-name", default="", help="显示名称")
    add.add_argument("--password-stdin", action="store_true", help="从标准输入读取密码（一行）")
    add.set_defaults(func=run_user_add)
    user_admin.register(usub)


def run_login(args: argparse.Namespace) -> int:
    name = (args.user or os.environ.get("RECTIFY_USER") or "").strip()
    if not name:
        raise InvalidInput("请用 --user 指定用户名")
    with open_house() as house:
        principal = house.people.authenticate(name, read_password(args.password_stdin))
        path = house.remember_login(principal)
        house.catch_up()
    console.print(
        f"已登录：{principal.name}（{ROLE_LABELS[principal.role.value]}）；会话保存在 {path}"
    )
    return 0


def run_logout(args: argparse.Namespace) -> int:
    with open_house() as house:
        removed = house.forget_login()
    console.print("已退出登录" if removed else "本库没有保存的登录会话")
    return 0


def run_whoami(args: argparse.Namespace) -> int:
    with open_house() as house:
        principal = house.principal_from_environment()
    bound = f"，部门 {principal.department}" if principal.department else ""
    console.print(f"{principal.name}（{ROLE_LABELS[principal.role.value]}{bound}）")
    return 0


def run_user_add(args: argparse.Namespace) -> int:
    password = read_new_password(args.password_stdin, prompt=f"用户 {args.name} 的密码")
    with open_house() as house, house.session():
        house.people.add_user(
            args.name, Role(args.role), password, args.display_name, department_code=args.department
        )
    console.print(f"已添加用户 {args.name}（{ROLE_LABELS[args.role]}）")
    return 0
