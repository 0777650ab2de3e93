"""`rectify findings ...`: the problem list."""

from __future__ import annotations

import argparse

from rich.table import Table

from rectify.cli.context import opened
from rectify.cli.output import console, print_json
from rectify.projections import queries

STATUS_LABELS = {
    "recorded": "待下发",
    "issued": "整改中",
    "closure_requested": "已申请销号",
    "returned": "已退回",
    "closed": "已销号",
    "long_term": "持续整改",
    "withdrawn": "已撤销",
}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    findings = sub.add_parser("findings", help="问题清单（problem list）")
    fsub = findings.add_subparsers(dest="findings_command", required=True, metavar="COMMAND")
    ls = fsub.add_parser("list", help="列出问题（list findings）")
    ls.add_argument("--year", type=int, help="评价年度（fiscal year）")
    ls.add_argument("--department", help="部门或单位编码（department or unit code）")
    ls.add_argument("--status", choices=sorted(STATUS_LABELS), help="状态（status）")
    ls.add_argument("--after", metavar="REF", help="从此编号之后开始（keyset page）")
    ls.add_argument("--limit", type=int, default=queries.PAGE, help="最多条数（page size）")
    ls.add_argument("--json", action="store_true", help="输出 JSON（stable, for scripts）")
    ls.set_defaults(func=run_list)


def run_list(args: argparse.Namespace) -> int:
    with opened() as store:
        store.catch_up()
        with store.engine.connect() as conn:
            rows = queries.list_findings(
                conn,
                fiscal_year=args.year,
                department=args.department,
                status=args.status,
                after=args.after,
                limit=max(1, args.limit),
            )
    if args.json:
        print_json({"findings": rows})
        return 0
    if not rows:
        console.print("没有符合条件的问题")
        return 0
    table = Table(title="问题清单", show_lines=False)
    for header in ("编号", "年度", "部门", "类别", "问题", "金额", "状态", "整改时限"):
        table.add_column(header, overflow="fold", no_wrap=header == "编号")
    for f in rows:
        amount = f"{f.amount}{f.amount_unit or ''}" if f.amount is not None else "—"
        table.add_row(
            f.ref,
            str(f.fiscal_year),
            f.department_name or f.department_code,
            f.category,
            f.title,
            amount,
            STATUS_LABELS.get(f.status, f.status),
            f.due.isoformat() if f.due else "—",
        )
    console.print(table)
    return 0
