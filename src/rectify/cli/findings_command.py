"""`rectify findings ...`: the problem list — every lifecycle action and the queries.

Actions run as the authenticated user (`session`); the domain checks role, state and
scope, and any refusal is one Chinese line with a non-zero exit and nothing recorded.
Queries are scoped to the user too: a department user sees only its own findings.

Size: one subcommand per lifecycle action of the problem list, each a few lines of
parsing and printing; splitting queries from actions is a planned follow-up.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeAlias

from rich.text import Text

from rectify.bootstrap import House, open_house
from rectify.cli import output
from rectify.cli.output import console, print_json
from rectify.domain import formatting, vocabulary
from rectify.domain.identity import Principal
from rectify.domain.parsing import parse_amount, parse_date, parse_int, parse_uuid
from rectify.domain.vocabulary import Action, RectificationClass, by_value
from rectify.projections import queries

if TYPE_CHECKING:
    from rectify.domain.finding import Finding
    from rectify.projections.figures import Figures

STATUS_LABELS = by_value(vocabulary.STATUS_LABELS)
CLASS_LABELS = by_value(vocabulary.CLASS_LABELS)
# Subcommand → the lifecycle action it takes, for "已<action>" after it succeeds.
DONE_ACTIONS = {
    "measures": Action.RECORD_MEASURES,
    "person": Action.NAME_RESPONSIBLE,
    "progress": Action.REPORT_PROGRESS,
    "attach": Action.ATTACH_EVIDENCE,
    "request-closure": Action.REQUEST_CLOSURE,
    "close": Action.CLOSE,
    "return": Action.RETURN,
    "extend": Action.EXTEND_DEADLINE,
    "long-term": Action.ACCEPT_LONG_TERM,
    "reopen": Action.REOPEN,
    "carry-over": Action.CARRY_OVER,
    "withdraw": Action.WITHDRAW,
    "link-repeat": Action.LINK_REPEAT,
}

SubParsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


# -- parsing helpers (one Chinese line, never an argparse usage dump) -------------------


def today_from(args: argparse.Namespace, house: House) -> date:
    """--today, else the house clock (RECTIFY_TODAY fixes it: see rectify.bootstrap)."""
    return parse_date(getattr(args, "today", None), "今天的日期") or house.clock.today()


# -- registration -----------------------------------------------------------------------


def register(sub: SubParsers) -> None:
    findings = sub.add_parser("findings", help="问题清单（problem list）")
    fsub = findings.add_subparsers(dest="findings_command", required=True, metavar="COMMAND")
    _register_queries(fsub)
    _register_actions(fsub)


def _register_queries(fsub: SubParsers) -> None:
    ls = fsub.add_parser("list", help="列出问题（list findings）")
    ls.add_argument("--year", help="年度（含结转到该年度的问题）")
    ls.add_argument("--department", help="部门或单位编码（department or unit code）")
    ls.add_argument("--status", choices=sorted(STATUS_LABELS), help="状态（status）")
    ls.add_argument("--class", dest="klass", choices=sorted(CLASS_LABELS), help="整改类别")
    ls.add_argument(
        "--overdue", action="store_true", help="只看已逾期（整改时限已过且未销号/撤销）"
    )
    ls.add_argument("--repeat", action="store_true", help="只看屡查屡犯（关联了以前年度问题）")
    ls.add_argument("--text", help="标题或描述包含此文字")
    ls.add_argument("--today", metavar="D", help="按此日期判断逾期（默认今天）")
    ls.add_argument("--after", metavar="REF", help="从此编号之后开始（keyset page）")
    ls.add_argument("--limit", type=int, default=queries.PAGE, help="最多条数（page size）")
    ls.add_argument("--json", action="store_true", help="输出 JSON（stable, for scripts）")
    ls.set_defaults(func=run_list)

    show = fsub.add_parser("show", help="查看一个问题及其整改过程（timeline）")
    show.add_argument("ref", metavar="REF")
    show.add_argument("--today", metavar="D", help="按此日期判断逾期（默认今天）")
    show.add_argument("--json", action="store_true", help="输出 JSON")
    show.set_defaults(func=run_show)

    fig = fsub.add_parser(
        "figures", help="整改统计：按部门、年度的状态数、整改率、逾期、延期、结转、屡查屡犯"
    )
    fig.add_argument("--year", help="年度")
    fig.add_argument("--department", help="部门或单位编码")
    fig.add_argument("--today", metavar="D", help="按此日期判断逾期（默认今天）")
    fig.add_argument("--json", action="store_true", help="输出 JSON")
    fig.set_defaults(func=run_figures)


def _register_actions(fsub: SubParsers) -> None:
    rec = fsub.add_parser("record", help="手工记录一个问题（评价机构、财政局）")
    rec.add_argument("ref", metavar="REF", help="问题编号")
    rec.add_argument("--department", required=True, help="责任部门编码")
    rec.add_argument("--unit", help="责任单位编码（部门下属单位）")
    rec.add_argument("--year", required=True, help="评价年度")
    rec.add_argument("--category", required=True, help="问题类别")
    rec.add_argument("--title", required=True, help="问题标题")
    rec.add_argument("--description", required=True, help="问题描述")
    rec.add_argument("--root-cause", help="原因分析")
    rec.add_argument(
        "--indicator", action="append", default=[], metavar="CODE", help="相关指标（可多次）"
    )
    rec.add_argument("--amount", help="涉及金额")
    rec.add_argument("--amount-unit", help="金额单位，如 万元")
    rec.add_argument("--suggestion", help="建议")
    rec.add_argument("--evaluation", help="所属评价（evaluation key）")
    rec.add_argument("--class", dest="klass", choices=sorted(CLASS_LABELS), help="整改类别")
    rec.add_argument("--due", metavar="D", help="整改时限 YYYY-MM-DD")
    rec.set_defaults(func=run_record)

    issue = fsub.add_parser("issue", help="下发（财政局）")
    issue.add_argument("ref", metavar="REF")
    issue.add_argument(
        "--class", dest="klass", required=True, choices=sorted(CLASS_LABELS), help="整改类别"
    )
    issue.add_argument(
        "--due",
        metavar="D",
        help="整改时限（默认按时限政策 deadline.<类别>，见 rectify policy show；"
        "内置：立行立改 30 天，分阶段 90 天）",
    )
    issue.add_argument("--re-review", metavar="D", help="复核日期（持续整改）")
    issue.add_argument("--requirements", required=True, help="整改要求/标准")
    issue.add_argument("--on", metavar="D", help="下发日期（默认今天）")
    issue.set_defaults(func=run_issue)

    _simple(
        fsub,
        "measures",
        "记录整改措施（部门）",
        "text",
        "整改措施",
        lambda app, a: app.record_measures(a.ref, a.text),
    )
    _simple(
        fsub,
        "person",
        "指定责任人（部门）",
        "name",
        "责任人姓名",
        lambda app, a: app.name_responsible_person(a.ref, a.name),
    )

    prog = fsub.add_parser("progress", help="报告整改进展（部门）")
    prog.add_argument("ref", metavar="REF")
    prog.add_argument("--percent", required=True, help="完成比例 0–100")
    prog.add_argument("--text", required=True, help="进展说明")
    prog.add_argument("--date", metavar="D", help="进展日期（默认今天）")
    prog.set_defaults(
        func=_action(
            lambda app, a: app.report_progress(
                a.ref, a.text, parse_int(a.percent, "完成比例"), parse_date(a.date, "进展日期")
            )
        )
    )

    attach = fsub.add_parser("attach", help="附佐证材料（部门）")
    attach.add_argument("ref", metavar="REF")
    attach.add_argument("--evidence", required=True, metavar="ID", help="佐证材料编号")
    attach.set_defaults(
        func=_action(
            lambda app, a: app.attach_evidence(a.ref, parse_uuid(a.evidence, "佐证材料编号"))
        )
    )

    req = fsub.add_parser("request-closure", help="申请销号（部门，附佐证材料）")
    req.add_argument("ref", metavar="REF")
    req.add_argument(
        "--evidence", required=True, nargs="+", metavar="ID", help="佐证材料编号（可多个）"
    )
    req.add_argument("--note", help="说明")
    req.set_defaults(
        func=_action(
            lambda app, a: app.request_closure(
                a.ref, [parse_uuid(e, "佐证材料编号") for e in a.evidence], a.note
            )
        )
    )

    close = fsub.add_parser("close", help="销号（财政局）")
    close.add_argument("ref", metavar="REF")
    close.add_argument("--reason", help="意见")
    close.set_defaults(func=_action(lambda app, a: app.close_finding(a.ref, a.reason)))

    _reasoned(
        fsub,
        "return",
        "退回（财政局，须说明理由）",
        lambda app, a: app.return_finding(a.ref, a.reason),
    )

    ext = fsub.add_parser("extend", help="延期（财政局）")
    ext.add_argument("ref", metavar="REF")
    ext.add_argument("--due", required=True, metavar="D", help="新的整改时限")
    ext.add_argument("--reason", required=True, help="延期理由")
    ext.set_defaults(
        func=_action(
            lambda app, a: app.extend_deadline(a.ref, parse_date(a.due, "新的整改时限"), a.reason)
        )
    )

    lt = fsub.add_parser("long-term", help="转为持续整改 / 设定下次复核日期（财政局）")
    lt.add_argument("ref", metavar="REF")
    lt.add_argument("--re-review", required=True, metavar="D", help="复核日期")
    lt.add_argument("--reason", help="理由")
    lt.add_argument(
        "--today",
        metavar="D",
        help="今天的日期，复核日期须晚于它（默认今天；RECTIFY_TODAY 可指定）",
    )
    lt.set_defaults(
        func=_action(
            lambda app, a: app.accept_long_term(
                a.ref,
                parse_date(a.re_review, "复核日期"),
                a.reason,
                parse_date(a.today, "今天的日期"),
            )
        )
    )

    _reasoned(
        fsub,
        "reopen",
        "重新打开已销号的问题（财政局）",
        lambda app, a: app.reopen_finding(a.ref, a.reason),
    )

    carry = fsub.add_parser("carry-over", help="结转到以后年度继续整改（财政局）")
    carry.add_argument("ref", metavar="REF")
    carry.add_argument("--year", required=True, help="结转到的年度")
    carry.add_argument("--reason", help="理由")
    carry.set_defaults(
        func=_action(
            lambda app, a: app.carry_over_finding(a.ref, parse_int(a.year, "年度"), a.reason)
        )
    )

    _reasoned(
        fsub, "withdraw", "撤销误记的问题", lambda app, a: app.withdraw_finding(a.ref, a.reason)
    )

    rep = fsub.add_parser("link-repeat", help="关联以前年度的同类问题（屡查屡犯）")
    rep.add_argument("ref", metavar="REF")
    rep.add_argument("--earlier", required=True, metavar="REF", help="以前年度的问题编号")
    rep.set_defaults(func=_action(lambda app, a: app.link_repeat(a.ref, a.earlier)))


Change: TypeAlias = "Callable[[Any, argparse.Namespace], Finding]"


def _action(change: Change) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        with open_house() as house, house.session():
            finding = change(house.findings, args)
        action = DONE_ACTIONS.get(args.findings_command)
        done = vocabulary.ACTION_LABELS[action] if action else args.findings_command
        console.print(f"问题 {finding.ref}：已{done}，当前状态「{finding.status_label}」")
        return 0

    return run


def _simple(
    fsub: SubParsers, name: str, help_text: str, arg: str, arg_help: str, change: Change
) -> None:
    parser = fsub.add_parser(name, help=help_text)
    parser.add_argument("ref", metavar="REF")
    parser.add_argument(arg, help=arg_help)
    parser.set_defaults(func=_action(change))


def _reasoned(fsub: SubParsers, name: str, help_text: str, change: Change) -> None:
    parser = fsub.add_parser(name, help=help_text)
    parser.add_argument("ref", metavar="REF")
    parser.add_argument("--reason", required=True, help="理由")
    parser.set_defaults(func=_action(change))


# -- actions with their own output -------------------------------------------------------


def run_record(args: argparse.Namespace) -> int:
    year = parse_int(args.year, "年度")
    assert year is not None
    amount = parse_amount(args.amount)
    due = parse_date(args.due, "整改时限")
    with open_house() as house, house.session():
        house.findings.record_finding(
            ref=args.ref,
            department_code=args.department,
            unit_code=args.unit,
            fiscal_year=year,
            evaluation_key=args.evaluation,
            category=args.category,
            title=args.title,
            description=args.description,
            root_cause=args.root_cause,
            indicator_codes=tuple(args.indicator),
            amount=amount,
            amount_unit=args.amount_unit,
            suggestion=args.suggestion,
            rectification_class=RectificationClass(args.klass) if args.klass else None,
            due=due,
        )
    console.print(f"已记录问题 {args.ref.strip()}（待下发）")
    return 0


def run_issue(args: argparse.Namespace) -> int:
    due = parse_date(args.due, "整改时限")
    re_review = parse_date(args.re_review, "复核日期")
    issued_on = parse_date(args.on, "下发日期")
    with open_house() as house, house.session():
        finding = house.findings.issue_finding(
            args.ref,
            rectification_class=RectificationClass(args.klass),
            requirements=args.requirements,
            issued_on=issued_on,
            due=due,
            re_review_on=re_review,
        )
    when = []
    if finding.due:
        when.append(f"整改时限 {finding.due.isoformat()}")
    if finding.re_review_on:
        when.append(f"复核日期 {finding.re_review_on.isoformat()}")
    console.print(
        f"问题 {finding.ref}：已下发（{CLASS_LABELS[args.klass]}，{'，'.join(when)}），当前状态「{finding.status_label}」"
    )
    return 0


# -- queries -----------------------------------------------------------------------------


def run_list(args: argparse.Namespace) -> int:
    year = parse_int(args.year, "年度")
    with open_house() as house, house.session() as principal:
        today = today_from(args, house)
        house.catch_up()
        with house.store.engine.connect() as conn:
            rows = queries.list_findings(
                conn,
                principal=principal,
                fiscal_year=year,
                department=args.department,
                status=args.status,
                rectification_class=args.klass,
                overdue=args.overdue,
                today=today,
                repeat=args.repeat,
                text=args.text,
                after=args.after,
                limit=max(1, args.limit),
            )
    if args.json:
        print_json({"findings": rows})
        return 0
    if not rows:
        console.print("没有符合条件的问题")
        return 0
    # Department and category go under the title, the rectification class under the
    # status and 逾期 under the deadline, so the title keeps room at 80 columns.
    table = output.table(
        "问题清单",
        ("编号", "年度", "问题（部门 · 类别）", "金额", "状态/类别", "整改时限"),
        codes=("编号", "年度", "金额", "状态/类别", "整改时限"),
    )
    for f in rows:
        amount = formatting.amount(f.amount, f.amount_unit)
        years = str(f.fiscal_year) + (f"→{f.last_carried_year}" if f.last_carried_year else "")
        due = formatting.day(f.due)
        owner = " · ".join(x for x in (f.department_name or f.department_code, f.category) if x)
        table.add_row(
            f.ref,
            years,
            f"{f.title}\n[dim]{owner}[/]",
            amount,
            f"{STATUS_LABELS.get(f.status, f.status)}\n"
            f"[dim]{CLASS_LABELS.get(f.rectification_class or '', '—')}[/]",
            f"[red]{due}\n（逾期）[/]" if f.overdue else due,
        )
    console.print(table)
    return 0


def _show_detail(detail: queries.FindingDetail) -> None:
    f = detail.finding
    lines = [
        ("编号", f.ref),
        (
            "部门",
            f"{f.department_name or f.department_code}"
            + (f" / {f.unit_code}" if f.unit_code else ""),
        ),
        (
            "年度",
            str(f.fiscal_year)
            + (f"（结转至 {'、'.join(map(str, f.carried_years))}）" if f.carried_years else ""),
        ),
        ("类别", f.category),
        ("问题", f.title),
        ("描述", f.description),
        ("涉及金额", formatting.amount(f.amount, f.amount_unit)),
        ("整改类别", CLASS_LABELS.get(f.rectification_class or "", "—")),
        ("整改要求", f.requirements or "—"),
        ("责任人", f.responsible_person or "—"),
        (
            "整改时限",
            formatting.day(f.due)
            + ("（逾期）" if f.overdue else "")
            + (f"，延期 {f.extension_count} 次" if f.extension_count else ""),
        ),
        ("复核日期", formatting.day(f.re_review_on)),
        ("完成比例", formatting.percent(f.progress_percent)),
        ("屡查屡犯", "、".join(f.repeat_of) or "—"),
        ("状态", STATUS_LABELS.get(f.status, f.status)),
    ]
    # Label and value as a header-less table: long text wraps under its value.
    facts = output.table(None, ("项", "内容"), codes=("项",), show_header=False)
    for label, value in lines:
        facts.add_row(f"{label}：", Text(value))
    console.print(facts)
    # The time goes over the actor, so the reason and details get the width.
    table = output.table("整改过程", ("时间 · 操作人", "操作", "理由", "内容"), codes=("操作",))
    for e in detail.timeline:
        details = formatting.details_text(e.details)
        when = Text(f"{formatting.moment(e.at)}\n{e.actor}")
        table.add_row(when, e.label, Text(e.reason or ""), Text(details))
    console.print(table)


def run_show(args: argparse.Namespace) -> int:
    with open_house() as house, house.session() as principal:
        today = today_from(args, house)
        house.catch_up()
        with house.store.engine.connect() as conn:
            detail = queries.finding_detail(conn, args.ref, principal=principal, today=today)
    if args.json:
        print_json({"finding": detail.finding, "timeline": detail.timeline})
        return 0
    _show_detail(detail)
    return 0


def run_figures(args: argparse.Namespace) -> int:
    # Here, not at the top: the figures module brings the figures projector's upserts
    # (both dialects' insert), ~50 ms that a list or show does not use.
    from rectify.projections.figures import figures

    year = parse_int(args.year, "年度")
    with open_house() as house, house.session() as principal:
        today = today_from(args, house)
        house.catch_up()
        with house.store.engine.connect() as conn:
            rows = figures(
                conn, principal=principal, year=year, department=args.department, today=today
            )
    if args.json:
        print_json({"figures": rows, "today": today})
        return 0
    _print_figures(rows, principal)
    return 0


def _rate(value: Decimal | None) -> str:
    return formatting.percent(value)


def _print_figures(rows: list[Figures], principal: Principal) -> None:
    if not rows:
        console.print("没有符合条件的问题")
        return
    # Department name under its code, rates by number over by amount: ten figures in
    # 80 columns.
    rates = "整改率\n数量/金额"
    table = output.table(
        "整改统计",
        ("部门", "年度", "问题", "各状态", rates, "逾期", "延期", "结转", "屡犯"),
        codes=("年度",),
        numbers=("问题", rates, "逾期", "延期", "结转", "屡犯"),
    )
    for r in rows:
        statuses = "、".join(f"{STATUS_LABELS.get(s, s)} {n}" for s, n in r.by_status.items())
        name = r.department_name or ""
        table.add_row(
            Text(r.department_code + (f"\n{name}" if name else "")),
            str(r.year),
            str(r.total),
            statuses,
            f"{_rate(r.rate_by_count)}\n{_rate(r.rate_by_amount)}",
            str(r.overdue),
            str(r.extended),
            str(r.carried_over),
            str(r.repeats),
        )
    console.print(table)
