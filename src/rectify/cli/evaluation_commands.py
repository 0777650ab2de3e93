"""`rectify evaluation show`, `score history|set`, `compare`, `budget adjust` (and
`budget open`, in its own module).

Screens are Chinese (rich tables); `--json` prints a stable object with Decimals as
strings. Past states (`--as-of`, `--version`) are replayed from the events.
"""

from __future__ import annotations

import argparse
from datetime import date
from decimal import Decimal
from typing import Any

from rectify.bootstrap import open_house
from rectify.cli import budget_open_command, output
from rectify.cli.output import console, print_json
from rectify.domain import formatting
from rectify.domain.errors import InvalidInput
from rectify.domain.evaluation import Scorecard
from rectify.domain.parsing import parse_amount, parse_date
from rectify.domain.vocabulary import STAGE_LABELS, ScoreStage

STAGES = {s.value: s for s in ScoreStage}


def _decimal(text: str) -> Decimal:
    try:
        value = parse_amount(text, "数值")
    except InvalidInput as exc:
        raise argparse.ArgumentTypeError(exc.message) from None
    assert value is not None
    return value


def _date(text: str) -> date:
    try:
        value = parse_date(text, "日期")
    except InvalidInput as exc:
        raise argparse.ArgumentTypeError(exc.message) from None
    assert value is not None
    return value


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    evaluation = sub.add_parser("evaluation", help="绩效评价（evaluations）")
    esub = evaluation.add_subparsers(dest="evaluation_command", required=True, metavar="COMMAND")
    show = esub.add_parser("show", help="指标体系、得分、规则计算值、总分与等级")
    show.add_argument("key", metavar="KEY", help="评价编号，如 WB-GXJ/2024/department")
    when = show.add_mutually_exclusive_group()
    when.add_argument(
        "--as-of", type=_date, metavar="DATE", help="显示该日（北京时间）结束时的状态"
    )
    when.add_argument("--version", type=int, metavar="N", help="显示第 N 个版本的状态")
    show.add_argument("--stage", choices=sorted(STAGES), help="按某一阶段的得分计算")
    show.add_argument("--json", action="store_true", help="输出 JSON")
    show.set_defaults(func=run_show)

    score = sub.add_parser("score", help="指标得分（scores）")
    ssub = score.add_subparsers(dest="score_command", required=True, metavar="COMMAND")
    hist = ssub.add_parser("history", help="某末级指标的得分变更记录")
    hist.add_argument("key", metavar="KEY")
    hist.add_argument("code", metavar="CODE")
    hist.add_argument("--json", action="store_true", help="输出 JSON")
    hist.set_defaults(func=run_history)
    put = ssub.add_parser("set", help="录入或修改末级指标得分（修改须说明理由）")
    put.add_argument("key", metavar="KEY")
    put.add_argument("code", metavar="CODE")
    put.add_argument("value", type=_decimal, metavar="VALUE")
    put.add_argument("--stage", required=True, choices=sorted(STAGES), help="阶段")
    put.add_argument("--reason", help="理由（修改已有得分时必填）")
    put.add_argument("--narrative", help="评分过程说明")
    put.set_defaults(func=run_set)

    cmp_ = sub.add_parser("compare", help="同一部门某指标的跨年度得分")
    cmp_.add_argument("department", metavar="DEPT")
    cmp_.add_argument("indicator", metavar="CODE-or-NAME")
    cmp_.add_argument("--json", action="store_true", help="输出 JSON")
    cmp_.set_defaults(func=run_compare)

    budget = sub.add_parser("budget", help="预算台账（budget ledger）")
    bsub = budget.add_subparsers(dest="budget_command", required=True, metavar="COMMAND")
    adj = bsub.add_parser("adjust", help="预算追加（正数）或调减（负数）")
    adj.add_argument("department", metavar="DEPT")
    adj.add_argument("year", type=int, metavar="YEAR")
    adj.add_argument("--line", required=True, help="预算行代码")
    adj.add_argument("--amount", required=True, type=_decimal, help="金额（追加为正，调减为负）")
    adj.add_argument("--reason", required=True, help="理由")
    adj.add_argument("--date", type=_date, help="调整日期 YYYY-MM-DD")
    adj.add_argument("--document", help="文号")
    adj.add_argument("--json", action="store_true", help="输出 JSON")
    adj.set_defaults(func=run_adjust)
    budget_open_command.register(bsub)


# ----------------------------------------------------------------------------- helpers


def _s(value: Decimal | None) -> str | None:
    return None if value is None else formatting.decimal_text(value)


_range = formatting.interval_json
_range_text = formatting.interval


def scorecard_json(card: Scorecard) -> dict[str, Any]:
    return {
        "key": card.key,
        "version": card.version,
        "total": _s(card.total),
        "grade": card.grade,
        "stated_total": _s(card.stated_total),
        "stated_grade": card.stated_grade,
        "total_difference": _s(card.total_difference),
        "nodes": [
            {
                "code": n.code,
                "printed_code": n.printed_code,
                "name": n.name,
                "parent": n.parent,
                "depth": n.depth,
                "weight": _s(n.weight),
                "is_leaf": n.is_leaf,
                "score": _s(n.score),
                "stage": n.stage.value if n.stage else None,
                "stage_scores": {k: _s(v) for k, v in sorted(n.stage_scores.items())},
                "rule_range": _range(n.rule_range),
                "rule_difference": _s(n.rule_difference),
                "weight_difference": _s(n.weight_difference),
            }
            for n in card.nodes
        ],
    }


# ----------------------------------------------------------------------------- commands


def run_show(args: argparse.Namespace) -> int:
    stage = STAGES[args.stage] if args.stage else None
    with open_house() as house, house.session(catch_up=False):
        card = house.evaluations.scorecard(
            args.key, version=args.version, as_of=args.as_of, stage=stage
        )
    if args.json:
        print_json(scorecard_json(card))
        return 0
    when = f"（截至 {args.as_of}）" if args.as_of else f"（版本 {card.version}）"
    table = output.table(
        f"绩效评价 {card.key}{when}",
        ("指标", "名称", "权重", "得分", "阶段", "规则计算", "差异"),
        codes=("指标", "阶段", "规则计算"),
        numbers=("权重", "得分"),
    )
    for n in card.nodes:
        diff = ""
        if n.rule_difference:
            diff = f"[yellow]偏离规则 {_s(n.rule_difference)}[/]"
        elif n.weight_difference:
            diff = f"[yellow]下级权重合计差 {_s(n.weight_difference)}[/]"
        table.add_row(
            "  " * n.depth + (n.printed_code or n.code),
            n.name,
            _s(n.weight) or "",
            _s(n.score) or "—",
            STAGE_LABELS[n.stage] if n.stage else "",
            _range_text(n.rule_range) if n.is_leaf else "",
            diff,
        )
    console.print(table)
    console.print(f"总分 {_s(card.total)}，等级 {card.grade or '—'}")
    if card.stated_total is not None:
        note = (
            "一致" if not card.total_difference else f"[yellow]相差 {_s(card.total_difference)}[/]"
        )
        console.print(f"报告所列 {_s(card.stated_total)}（{card.stated_grade or '—'}）：{note}")
    return 0


def run_history(args: argparse.Namespace) -> int:
    with open_house() as house, house.session(catch_up=False):
        house.catch_up()
        rows = house.queries.score_history(args.key, args.code)
    if args.json:
        print_json({"key": args.key, "code": args.code, "changes": rows})
        return 0
    if not rows:
        console.print(f"指标 {args.code} 尚无得分记录")
        return 0
    table = output.table(
        f"{args.key} 指标 {args.code} 得分变更",
        ("版本", "时间", "阶段", "操作", "得分", "原得分", "操作人", "理由"),
        codes=("阶段", "操作"),
        numbers=("版本", "得分", "原得分"),
    )
    for r in rows:
        table.add_row(
            str(r.version),
            formatting.moment(r.recorded_at),
            STAGE_LABELS[ScoreStage(r.stage)],
            "录入" if r.kind == "entered" else "修改",
            _s(r.value) or "",
            _s(r.previous) or "—",
            r.actor,
            r.reason or "—",
        )
    console.print(table)
    return 0


def run_set(args: argparse.Namespace) -> int:
    with open_house() as house, house.session():
        changed = house.evaluations.set_score(
            args.key,
            args.code,
            args.value,
            stage=STAGES[args.stage],
            reason=args.reason,
            narrative=args.narrative,
        )
        card = house.evaluations.scorecard(args.key)
    if changed:
        console.print(
            f"已记录：{args.key} 指标 {args.code} {STAGE_LABELS[STAGES[args.stage]]}得分 {_s(args.value)}；"
            f"总分 {_s(card.total)}（{card.grade or '—'}）"
        )
    else:
        console.print("得分未变，未记录")
    return 0


def run_compare(args: argparse.Namespace) -> int:
    with open_house() as house, house.session(catch_up=False):
        house.catch_up()
        points = house.queries.compare(args.department, args.indicator)
    if args.json:
        print_json({"department": args.department, "indicator": args.indicator, "points": points})
        return 0
    if not points:
        console.print(f"部门 {args.department} 没有指标 {args.indicator} 的评价记录")
        return 0
    table = output.table(
        f"{args.department} 指标 {args.indicator} 跨年度得分",
        ("年度", "评价", "指标", "名称", "权重", "得分"),
        codes=("年度", "评价", "指标"),
        numbers=("权重", "得分"),
    )
    for p in points:
        table.add_row(
            str(p.fiscal_year),
            p.evaluation_key,
            p.code,
            p.name,
            _s(p.weight) or "",
            _s(p.score) or "—",
        )
    console.print(table)
    return 0


def run_adjust(args: argparse.Namespace) -> int:
    if args.amount == 0:
        raise InvalidInput("调整金额不能为 0")
    with open_house() as house, house.session():
        budget = house.evaluations.adjust_budget(
            args.department,
            args.year,
            line=args.line,
            amount=args.amount,
            reason=args.reason,
            on=args.date,
            document=args.document,
        )
        totals = budget.totals()
        rates = budget.rates()
    if args.json:
        print_json(
            {
                "department": args.department,
                "fiscal_year": args.year,
                "initial": _s(totals.initial),
                "adjusted": _s(totals.adjusted),
                "final": _s(totals.final),
                "rates": {k: _s(v) for k, v in rates.items()},
            }
        )
        return 0
    kind = "追加" if args.amount > 0 else "调减"
    rate = rates["adjustment_rate"]
    shown = f"{rate:.2f}%" if rate is not None else "—"
    console.print(
        f"已记录预算{kind}：{args.department} {args.year} 年 {args.line} {_s(args.amount)}{budget.unit}；"
        f"调整后预算 {_s(totals.adjusted)}，预算调整率 {shown}"
    )
    return 0
