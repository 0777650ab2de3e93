"""`rectify monitoring plan|file|show|to-finding|overdue`: performance monitoring (绩效监控).

Parsing and printing only: the commands are `House.monitoring`, the reads the
monitoring read models. `overdue` is the scan the scheduler runs on its timer.
"""

from __future__ import annotations

import argparse
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from rich.table import Table

from rectify.bootstrap import open_house
from rectify.cli.output import console, print_json
from rectify.domain.errors import InvalidInput
from rectify.domain.monitoring import SELF_EVALUATION, Period, WarningRules
from rectify.domain.parsing import parse_date
from rectify.domain.vocabulary import MONITORING_STATUS_LABELS, WARNING_KIND_LABELS
from rectify.projections.monitoring import monitoring_view, owed_reports
from rectify.reports.monitoring_file import load_monitoring_file


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    mon = sub.add_parser("monitoring", help="绩效监控（监控计划、报告、预警）")
    msub = mon.add_subparsers(dest="monitoring_command", required=True, metavar="COMMAND")

    plan = msub.add_parser("plan", help="制定监控计划：期间与报送期限、预警阈值（财政局）")
    plan.add_argument("department")
    plan.add_argument("year", type=int)
    plan.add_argument(
        "--period",
        action="append",
        required=True,
        metavar="NAME:START:END:DUE",
        help="如 H1:2024-01-01:2024-06-30:2024-07-15，可重复",
    )
    plan.add_argument(
        "--self-evaluation-due",
        metavar="DATE",
        help="自评报告的报送期限（如次年 2025-03-31；报送用 rectify review submit）",
    )
    plan.add_argument(
        "--lag", default="10", help="执行进度落后时间进度超过多少个百分点预警（默认 10）"
    )
    plan.add_argument("--miss", default="10", help="指标预计偏差超过百分之多少预警（默认 10）")
    plan.set_defaults(func=run_plan)

    file_ = msub.add_parser("file", help="报送监控报告（JSON 文件 rectify/monitoring@1）")
    file_.add_argument("file", type=Path, metavar="FILE")
    file_.set_defaults(func=run_file)

    show = msub.add_parser("show", help="各期间报送情况、指标偏差与预警")
    show.add_argument("department")
    show.add_argument("year", type=int)
    show.add_argument("--json", action="store_true", help="输出 JSON")
    show.set_defaults(func=run_show)

    conv = msub.add_parser("to-finding", help="将预警转为问题（一步完成）")
    conv.add_argument("department")
    conv.add_argument("year", type=int)
    conv.add_argument("warning", help="预警编号，如 WB-GXJ/2024/H1/W1")
    conv.add_argument("--title", help="问题标题（默认取预警内容）")
    conv.set_defaults(func=run_to_finding)

    overdue = msub.add_parser(
        "overdue", help="标记已过报送期限仍未报送的监控报告（调度器定时运行）"
    )
    overdue.add_argument("--today", help="今天的日期 YYYY-MM-DD（默认系统日期）")
    overdue.add_argument("--json", action="store_true", help="输出 JSON")
    overdue.set_defaults(func=run_overdue)


def _decimal(text: str, what: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise InvalidInput(f"{what} {text!r} 不是数字") from None
    if not value.is_finite():
        raise InvalidInput(f"{what} {text!r} 不是数字")
    return value


def _period(text: str) -> Period:
    parts = text.split(":")
    if len(parts) != 4:
        raise InvalidInput(f"--period {text!r} 应为 名称:开始:结束:报送期限")
    name, start, end, due = parts
    what = f"--period {name} 的日期"
    first, last, until = (parse_date(x, what) for x in (start, end, due))
    assert first is not None and last is not None and until is not None
    return Period(name.strip(), first, last, until)


def run_plan(args: argparse.Namespace) -> int:
    periods = [_period(p) for p in args.period]
    self_due = parse_date(args.self_evaluation_due, "--self-evaluation-due")
    if self_due is not None:
        periods.append(
            Period(
                "自评", date(args.year, 1, 1), date(args.year, 12, 31), self_due, SELF_EVALUATION
            )
        )
    rules = WarningRules(_decimal(args.lag, "--lag"), _decimal(args.miss, "--miss"))
    with open_house() as house, house.session():
        plan = house.monitoring.plan_monitoring(args.department, args.year, periods, rules)
    console.print(
        f"已制定监控计划 {plan.label}：{'、'.join(f'{p.name}（{p.due} 前报送）' for p in periods)}"
    )
    return 0


def run_file(args: argparse.Namespace) -> int:
    doc = load_monitoring_file(args.file)
    with open_house() as house, house.session():
        warnings = house.monitoring.file_monitoring_report(
            doc.department,
            doc.fiscal_year,
            doc.period,
            doc.values,
            doc.execution,
            filed_on=doc.filed_on,
            where=f"{args.file}: $.values",
        )
    console.print(
        f"已报送 {doc.department} {doc.fiscal_year} 年度 {doc.period} 监控报告；预警 {len(warnings)} 条"
    )
    for w in warnings:
        console.print(f"  [yellow]{w['id']}[/]：{w['message']}")
    return 0


def run_show(args: argparse.Namespace) -> int:
    with open_house() as house, house.session() as principal, house.store.engine.connect() as conn:
        periods = monitoring_view(conn, args.department, args.year, principal=principal)
    if args.json:
        print_json(periods)
        return 0
    if not periods:
        console.print(f"{args.department} {args.year} 年度尚无监控计划")
        return 0
    for p in periods:
        late = "（逾期报送）" if p.late else ""
        console.print(
            f"[bold]{p.period}[/] {p.start}～{p.end}，{p.due} 前报送：{MONITORING_STATUS_LABELS[p.status]}{late}"
        )
        if p.execution_rate is not None:
            console.print(f"  预算执行率 {p.execution_rate}%，时间进度 {p.time_elapsed}%")
        if p.values:
            table = Table()
            for col in ("指标", "目标", "已完成", "预计全年", "偏差度", "偏差原因", "纠偏措施"):
                table.add_column(col)
            for v in p.values:
                dev = f"{v['deviation']}%" if v["deviation"] is not None else "—"
                table.add_row(
                    v["code"],
                    v["target"],
                    str(v["reached"] or "—"),
                    str(v["expected"] or "—"),
                    dev,
                    v["cause"] or "—",
                    v["measure"] or "—",
                )
            console.print(table)
        for w in p.warnings:
            turned = f" → 问题 {w['finding_ref']}" if w["finding_ref"] else ""
            console.print(
                f"  预警 {w['warning_id']}（{WARNING_KIND_LABELS[w['kind']]}）：{w['message']}{turned}"
            )
    return 0


def run_to_finding(args: argparse.Namespace) -> int:
    with open_house() as house, house.session():
        ref = house.monitoring.convert_warning(
            args.department, args.year, args.warning, title=args.title
        )
    console.print(f"预警 {args.warning} 已转为问题 {ref}（待下发）")
    return 0


def run_overdue(args: argparse.Namespace) -> int:
    with open_house() as house, house.session():
        today = parse_date(args.today, "今天的日期") or house.clock.today()
        house.catch_up()
        with house.store.engine.connect() as conn:
            owed = owed_reports(conn, today)
        marked = [o for o in owed if house.monitoring.mark_monitoring_overdue(*o, today=today)]
    if args.json:
        print_json([{"department": d, "fiscal_year": y, "period": p} for d, y, p in marked])
    else:
        console.print(
            f"标记逾期的监控报告 {len(marked)} 份"
            + "".join(f"\n  {d} {y} {p}" for d, y, p in marked)
        )
    return 0
