"""`rectify inbox [--unread] [--json]`, `rectify inbox read ID|--all`: my notifications."""

from __future__ import annotations

import argparse
from typing import Any

from rich.text import Text

from rectify.bootstrap import open_house
from rectify.cli import output
from rectify.cli.output import console, print_json
from rectify.domain.errors import InvalidInput
from rectify.projections.inbox_queries import inbox, mark_read
from rectify.scheduler.mail import kind_label


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("inbox", help="我的提醒（到期、逾期、退回、申请销号…）")
    parser.add_argument("--unread", action="store_true", help="只看未读")
    parser.add_argument("--json", action="store_true", help="输出 JSON")
    parser.set_defaults(func=run_list)
    isub = parser.add_subparsers(dest="inbox_command", metavar="COMMAND")
    read = isub.add_parser("read", help="标为已读：提醒编号，或 --all")
    read.add_argument("id", nargs="?", help="提醒编号（rectify inbox 列表中问题下方的一行）")
    read.add_argument("--all", action="store_true", help="全部标为已读")
    read.set_defaults(func=run_read)


def _plain(row: Any) -> dict[str, Any]:
    return {
        "id": row.key,
        "kind": row.kind,
        "label": kind_label(row.kind),
        "ref": row.ref,
        "title": row.title,
        "department_code": row.department_code,
        "unit_code": row.unit_code,
        "for_date": row.for_date.isoformat() if row.for_date else None,
        "about": row.about.isoformat() if row.about else None,
        "detail": row.detail,
        "read": bool(row.read),
    }


def run_list(args: argparse.Namespace) -> int:
    with open_house() as house, house.session() as principal:
        house.catch_up()
        with house.store.engine.connect() as conn:
            rows = [_plain(r) for r in inbox(conn, principal, unread_only=args.unread)]
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        console.print("没有提醒" if not args.unread else "没有未读提醒")
        return 0
    # The id (for `inbox read`) goes under the problem: one line each would need 120
    # columns. ● marks the unread.
    table = output.table(
        f"提醒 {len(rows)} 条（● 未读）",
        ("", "日期", "提醒", "问题 · 提醒编号"),
        codes=("", "日期"),
    )
    for r in rows:
        unit = f"/{r['unit_code']}" if r["unit_code"] else ""
        problem = Text(f"{r['ref']} {r['title']}（{r['department_code']}{unit}）")
        problem.append(f"\n{r['id']}", style="dim")
        table.add_row(" " if r["read"] else "●", r["for_date"] or "", r["label"], problem)
    console.print(table)
    return 0


def run_read(args: argparse.Namespace) -> int:
    if bool(args.id) == bool(args.all):
        raise InvalidInput("请给出一个提醒编号，或 --all（二者选一）")
    with open_house() as house, house.session() as principal:
        house.catch_up()
        key = None if args.all else args.id.strip()
        count = mark_read(house.store.engine, principal, key, now=house.clock.now())
    console.print(f"已标为已读 {count} 条")
    return 0
