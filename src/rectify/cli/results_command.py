"""`rectify results policy|decide|show`: result application (结果应用).

Parsing and printing only; the commands are `House.results`, the reads the
result-decisions read model beside the budget and the problem-list figures.
"""

from __future__ import annotations

import argparse

from rich.table import Table

from rectify.bootstrap import open_house
from rectify.cli.evaluation_commands import _decimal
from rectify.cli.output import console, print_json
from rectify.domain.errors import InvalidInput
from rectify.domain.results import parse_bands
from rectify.domain.vocabulary import RESULT_CONSEQUENCE_LABELS
from rectify.projections.results import results_view


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    res = sub.add_parser("results", help="结果应用（政策、决定、与下年度预算并列显示）")
    rsub = res.add_subparsers(dest="results_command", required=True, metavar="COMMAND")

    policy = rsub.add_parser("policy", help="设定结果应用政策（财政局；须说明理由）")
    policy.add_argument(
        "--band",
        action="append",
        required=True,
        metavar="GRADE:MIN:MAX:CONSEQUENCE[:SHARE]",
        help="如 优:90::priority、中:60:80:cut:10（MAX 不含、空为不设上限；"
        "后果 priority/keep/cut/suspend，核减比例 %），可重复",
    )
    policy.add_argument("--reason", required=True, help="理由（如政策文件号）")
    policy.set_defaults(func=run_policy)

    decide = rsub.add_parser("decide", help="决定一项评价的结果应用（默认按政策）")
    decide.add_argument("key", help="评价键")
    decide.add_argument("--reason", required=True, help="理由")
    decide.add_argument(
        "--consequence", choices=sorted(RESULT_CONSEQUENCE_LABELS), help="偏离政策时给出"
    )
    decide.add_argument("--share", type=_decimal, help="核减比例（%）")
    decide.add_argument("--budget-year", type=int, help="影响的预算年度（默认评价年度的下一年）")
    decide.set_defaults(func=run_decide)

    show = rsub.add_parser("show", help="某部门某预算年度的结果应用、预算与整改情况")
    show.add_argument("department")
    show.add_argument("year", type=int, help="预算年度")
    show.add_argument("--json", action="store_true", help="输出 JSON")
    show.set_defaults(func=run_show)


def _band(text: str, i: int) -> dict[str, str | None]:
    parts = text.split(":")
    if len(parts) not in (4, 5):
        raise InvalidInput(f"--band[{i}] {text!r} 应为 等级:下限:上限:后果[:比例]")
    grade, low, high, consequence = parts[:4]
    return {
        "grade": grade,
        "min": low,
        "max": high or None,
        "consequence": consequence,
        "share": parts[4] if len(parts) == 5 else None,
    }


def run_policy(args: argparse.Namespace) -> int:
    bands = parse_bands([_band(b, i) for i, b in enumerate(args.band)], "--band")
    with open_house() as house, house.session():
        house.results.set_policy(bands, args.reason)
    console.print(
        "已设定结果应用政策："
        + "；".join(
            f"{b.grade} [{b.min}, {b.max or '∞'}) {RESULT_CONSEQUENCE_LABELS[b.consequence]}"
            + (f" {b.share}%" if b.share is not None else "")
            for b in bands
        )
    )
    return 0


def run_decide(args: argparse.Namespace) -> int:
    with open_house() as house, house.session():
        d = house.results.decide(
            args.key,
            reason=args.reason,
            consequence=args.consequence,
            share=args.share,
            budget_year=args.budget_year,
        )
    share = f" {d.share}%" if d.share is not None else ""
    console.print(
        f"{args.key}：{d.grade}，{d.budget_year} 年度预算{RESULT_CONSEQUENCE_LABELS[d.consequence]}{share}"
    )
    return 0


def run_show(args: argparse.Namespace) -> int:
    with open_house() as house, house.session() as principal, house.store.engine.connect() as conn:
        view = results_view(
            conn, args.department, args.year, principal=principal, today=house.clock.today()
        )
    if args.json:
        print_json(view)
        return 0
    console.print(f"[bold]{args.department} {args.year} 年度预算与结果应用[/]")
    if view.budget is not None:
        b = view.budget
        console.print(f"  年初预算 {b.initial}{b.unit}，调整后 {b.adjusted}{b.unit}")
    else:
        console.print("  该年度预算尚未登记")
    table = Table()
    for col in ("评价", "总分", "等级", "结果应用", "决定人", "理由"):
        table.add_column(col)
    for d in view.decisions:
        share = f" {d.share}%" if d.share is not None else ""
        table.add_row(
            d.evaluation_key,
            str(d.total),
            d.grade,
            RESULT_CONSEQUENCE_LABELS[d.consequence] + share,
            d.actor,
            d.reason,
        )
    console.print(table)
    for f in view.rectification:
        console.print(
            f"  {f.year} 年度整改情况：问题 {f.total} 个，已销号 {f.closed} 个，"
            f"整改率（按数量）{f.rate_by_count if f.rate_by_count is not None else '—'}%，逾期 {f.overdue} 个"
        )
    return 0
