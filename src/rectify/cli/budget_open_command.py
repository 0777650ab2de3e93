"""`rectify budget open`: record a year's 年初预算 (e.g. the year a result application
affects), then show it beside the result decisions that name that budget year.

Parsing and printing only; the command is `House.evaluations.open_budget`, the read
the same `results_view` as `rectify results show`.
"""

from __future__ import annotations

import argparse
from decimal import Decimal
from typing import Any

from rectify.bootstrap import open_house
from rectify.cli.output import console, print_json
from rectify.domain.errors import InvalidInput
from rectify.domain.formatting import decimal_text
from rectify.domain.parsing import parse_amount
from rectify.domain.vocabulary import RESULT_CONSEQUENCE_LABELS
from rectify.projections.results import results_view

NATURES = ("basic", "project")


def register(bsub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    opened = bsub.add_parser(
        "open", help="登记某年度年初预算（财政局），并与该年度的结果应用并列显示"
    )
    opened.add_argument("department", metavar="DEPT")
    opened.add_argument("year", type=int, metavar="YEAR", help="预算年度")
    opened.add_argument(
        "--line",
        action="append",
        required=True,
        metavar="CODE:NAME:AMOUNT[:NATURE]",
        help="预算行，如 basic:基本支出:120（性质 basic 基本支出 / project 项目支出），可重复",
    )
    opened.add_argument("--unit", default="万元", help="金额单位：万元（默认）或 元")
    opened.add_argument("--json", action="store_true", help="输出 JSON")
    opened.set_defaults(func=run_open)


def _line(text: str, i: int) -> dict[str, Any]:
    parts = text.split(":")
    where = f"--line[{i + 1}] {text!r}"
    if len(parts) not in (3, 4):
        raise InvalidInput(f"{where} 应为 代码:名称:金额[:性质]")
    code, name, amount = (p.strip() for p in parts[:3])
    nature = parts[3].strip() if len(parts) == 4 else None
    if nature is not None and nature not in NATURES:
        raise InvalidInput(f"{where}：性质 {nature!r} 应为 {' 或 '.join(NATURES)}")
    initial = parse_amount(amount, f"{where} 的金额")
    return {"code": code, "name": name, "nature": nature, "initial": initial}


def _s(value: Decimal | None) -> str | None:
    return None if value is None else decimal_text(value)


def run_open(args: argparse.Namespace) -> int:
    lines = [_line(text, i) for i, text in enumerate(args.line)]
    with open_house() as house, house.session() as principal:
        house.evaluations.open_budget(args.department, args.year, unit=args.unit, lines=lines)
        house.store.catch_up()
        with house.store.engine.connect() as conn:
            view = results_view(
                conn, args.department, args.year, principal=principal, today=house.clock.today()
            )
    if args.json:
        print_json(
            {
                "department": args.department,
                "fiscal_year": args.year,
                "unit": args.unit,
                "initial": _s(view.budget.initial) if view.budget else None,
                "lines": [{**ln, "initial": _s(ln["initial"])} for ln in lines],
                "decisions": view.decisions,
            }
        )
        return 0
    total = sum((ln["initial"] for ln in lines), Decimal(0))
    console.print(
        f"已登记 {args.department} {args.year} 年度年初预算 {_s(total)}{args.unit}"
        f"（{len(lines)} 行）"
    )
    if not view.decisions:
        console.print("  该预算年度尚无结果应用决定（rectify results decide）")
    for d in view.decisions:
        share = f" {d.share}%" if d.share is not None else ""
        console.print(
            f"  结果应用：{d.evaluation_key} {d.grade} → "
            f"{RESULT_CONSEQUENCE_LABELS[d.consequence]}{share}（{d.actor}：{d.reason}）"
        )
    return 0
