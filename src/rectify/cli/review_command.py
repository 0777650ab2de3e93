"""`rectify review self|record|submit|deviation`: self-evaluation (自评) and review (复核).

Parsing and printing only. Scores go through the Evaluation aggregate's stages (`self`,
`review`), so its role rules hold (a department scores only its own self-evaluation);
`submit` files the owed self-evaluation report of the monitoring plan; `deviation`
reads `rectify.projections.review`.
"""

from __future__ import annotations

import argparse

from rich.table import Table

from rectify.bootstrap import open_house
from rectify.cli.evaluation_commands import _decimal
from rectify.cli.output import console, print_json
from rectify.domain.errors import InvalidInput
from rectify.domain.evaluation import ScoreStage
from rectify.domain.parsing import parse_date
from rectify.projections.review import deviations


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    rev = sub.add_parser("review", help="自评与复核（得分、报送、偏差）")
    rsub = rev.add_subparsers(dest="review_command", required=True, metavar="COMMAND")
    for name, help_ in (
        ("self", "录入自评得分（部门本部门）"),
        ("record", "录入复核得分与说明（财政局/评价机构）"),
    ):
        p = rsub.add_parser(name, help=help_)
        p.add_argument("key", help="评价键，如 WB-GXJ/2024/department")
        p.add_argument("code", help="指标代码")
        p.add_argument("value", type=_decimal, help="得分")
        p.add_argument("--note", help="说明（复核意见）")
        p.add_argument("--reason", help="修改已录入得分的理由")
        p.set_defaults(
            func=run_score, stage=ScoreStage.SELF if name == "self" else ScoreStage.REVIEW
        )

    submit = rsub.add_parser(
        "submit", help="报送自评报告（按监控计划中的期限，逾期照收并记为逾期）"
    )
    submit.add_argument("department")
    submit.add_argument("year", type=int)
    submit.add_argument("--on", help="报送日期 YYYY-MM-DD（默认今天）")
    submit.set_defaults(func=run_submit)

    dev = rsub.add_parser("deviation", help="自评与复核的偏差：按评价，或按部门跨年度")
    dev.add_argument("key", nargs="?", help="评价键")
    dev.add_argument("--department", help="部门代码（跨年度）")
    dev.add_argument("--indicator", help="只看一个指标")
    dev.add_argument("--json", action="store_true", help="输出 JSON")
    dev.set_defaults(func=run_deviation)


def run_score(args: argparse.Namespace) -> int:
    with open_house() as house, house.session():
        changed = house.evaluations.set_score(
            args.key,
            args.code,
            args.value,
            stage=args.stage,
            reason=args.reason,
            narrative=args.note,
        )
    word = "自评" if args.stage is ScoreStage.SELF else "复核"
    console.print(
        f"{args.key} {args.code} {word}得分 {args.value}" + ("" if changed else "（未变化）")
    )
    return 0


def run_submit(args: argparse.Namespace) -> int:
    with open_house() as house, house.session():
        period = house.monitoring.submit_self_evaluation(
            args.department, args.year, parse_date(args.on, "报送日期")
        )
    console.print(f"已报送 {args.department} {args.year} 年度自评报告（期限 {period.due}）")
    return 0


def run_deviation(args: argparse.Namespace) -> int:
    if (args.key is None) == (args.department is None):
        raise InvalidInput("请给出评价键，或 --department 部门代码（二者之一）")
    with open_house() as house, house.session() as principal, house.store.engine.connect() as conn:
        rows = deviations(
            conn,
            principal=principal,
            key=args.key,
            department_code=args.department,
            code=args.indicator,
        )
    if args.json:
        print_json([{**r.__dict__, "deviation": r.deviation} for r in rows])
        return 0
    table = Table(title="自评与复核偏差（复核 − 自评）")
    for col in ("年度", "指标", "名称", "权重", "自评", "复核", "偏差"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            str(r.fiscal_year),
            r.code,
            r.name,
            str(r.weight),
            str(r.self_score or "—"),
            str(r.review_score) if r.review_score is not None else "未复核",
            str(r.deviation) if r.deviation is not None else "—",
        )
    console.print(table)
    return 0
