"""`rectify import evaluation|ledger|scorecard FILE`: packages, 台账 and Word reports in."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path

from rectify.bootstrap import open_house
from rectify.cli.output import console, print_json
from rectify.domain.errors import InvalidInput
from rectify.domain.evaluation import STAGE_LABELS, ScoreStage
from rectify.projections.ledger import ledger_rows
from rectify.reports.docx.package_reader import read_report
from rectify.reports.evaluation_import import REIMPORT_REASON
from rectify.reports.importer import import_package
from rectify.reports.package import load_package
from rectify.reports.xlsx.ledger_apply import apply_ledger
from rectify.reports.xlsx.ledger_read import read_ledger


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    imp = sub.add_parser("import", help="导入（import documents）")
    isub = imp.add_subparsers(dest="import_command", required=True, metavar="KIND")
    ev = isub.add_parser(
        "evaluation",
        help="导入评价包 rectify/evaluation@1（幂等：重复导入不增加事件）",
        description="校验并导入一个评价包（JSON）。包无效时列出每个错误及其 JSON 路径，不写入任何内容。",
    )
    ev.add_argument("file", type=Path, metavar="FILE", help="评价包 JSON 文件")
    ev.add_argument("--json", action="store_true", help="输出 JSON 摘要")
    ev.set_defaults(func=run_import)
    register_documents(isub)


def run_import(args: argparse.Namespace) -> int:
    package = load_package(args.file)  # validate fully before opening the store
    with open_house() as house, house.session():
        result = import_package(house.services, package)
    if args.json:
        print_json(result)
        return 0
    console.print(f"评价包 {result.evaluation_key}：新增事件 {result.events} 个")
    if result.departments_new:
        console.print(f"  新登记部门/单位：{'、'.join(result.departments_new)}")
    if result.departments_renamed:
        console.print(f"  更名部门/单位：{'、'.join(result.departments_renamed)}")
    console.print(
        f"  新问题 {len(result.findings_new)} 个，未变 {len(result.findings_unchanged)} 个"
    )
    if result.scores_entered:
        console.print(f"  新录入得分 {result.scores_entered} 个")
    for code, stage, before, after in result.score_changes:
        label = STAGE_LABELS[ScoreStage(stage)]
        console.print(f"  得分修改（{REIMPORT_REASON}）：指标 {code}（{label}）{before} → {after}")
    if result.findings_differing:
        console.print(
            f"  [yellow]与已记录内容不同（未覆盖）：{'、'.join(result.findings_differing)}[/]"
        )
    return 0


def register_documents(isub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    lg = isub.add_parser(
        "ledger",
        help="导入部门填写的整改台账（.xlsx；按问题编号对应，幂等，全部成功才记录）",
        description="读取整改台账中部门填写的责任人、整改措施、整改进展、完成比例与“已申请销号”，"
        "以当前登录用户的身份、按其角色与范围记录。任何一行有误则列出每个错误（工作表、行、列），不记录任何内容。",
    )
    lg.add_argument("file", type=Path, metavar="FILE.xlsx", help="整改台账")
    lg.add_argument("--dry-run", action="store_true", help="只列出将记录的变更，不写入")
    lg.add_argument("--json", action="store_true", help="输出 JSON")
    lg.set_defaults(func=run_import_ledger)
    sc = isub.add_parser(
        "scorecard",
        help="从 Word 报告的评分表与问题清单读出评价包骨架（JSON），供人工核对补全",
        description="读取 .docx 中的评分表（一级/二级/三级指标、权重、得分、评分规则，合并单元格按跨度解析）"
        "与问题清单，写出 rectify/evaluation@1 骨架；未能读取的内容逐项列出并留空，不猜测。",
    )
    sc.add_argument("file", type=Path, metavar="FILE.docx", help="Word 报告")
    sc.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        metavar="PACKAGE.json",
        help="写出的评价包骨架（已存在则覆盖）",
    )
    sc.set_defaults(func=run_import_scorecard)


def run_import_ledger(args: argparse.Namespace) -> int:
    sheet = read_ledger(args.file)  # read the whole file before opening the store
    with open_house() as house, house.session() as principal:
        house.catch_up()
        today = house.clock.today()
        with house.store.engine.connect() as conn:
            current = {
                r.finding.ref: r for r in ledger_rows(conn, principal=principal, today=today)
            }
        outcome = apply_ledger(
            house.findings, sheet, today=today, dry_run=args.dry_run, current=current
        )
    if args.json:
        print_json(
            {
                "file": str(args.file),
                "user": principal.name,
                "dry_run": args.dry_run,
                **asdict(outcome),
            }
        )
        return 0
    verb = "将记录" if args.dry_run else "已记录"
    for change in outcome.changes:
        console.print(f"  第 {change.row} 行 {change.ref}：{verb}{change.action}「{change.value}」")
    if not outcome.changes:
        console.print(f"台账 {args.file}：{outcome.rows} 行均与记录一致，没有需要记录的变更")
    else:
        console.print(
            f"台账 {args.file}：{verb} {len(outcome.changes)} 项变更，涉及 {outcome.findings_changed} 个问题"
            + ("（试运行，未写入）" if args.dry_run else "")
        )
    return 0


def run_import_scorecard(args: argparse.Namespace) -> int:
    if args.output.suffix.lower() != ".json":
        raise InvalidInput(f"输出文件 {args.output} 的扩展名应为 .json")
    skeleton = read_report(args.file)
    try:
        args.output.write_text(
            json.dumps(skeleton.package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    except OSError as exc:
        raise InvalidInput(f"无法写入 {args.output}：{exc.strerror or exc}") from None
    package = skeleton.package
    console.print(
        f"已写出评价包骨架 {args.output}：指标 {len(package['indicators'])} 个，问题 {len(package['findings'])} 个"
    )
    if skeleton.unread:
        console.print(f"未能读取 {len(skeleton.unread)} 处（已留空，请人工补全）：")
        for item in skeleton.unread:
            console.print(f"  {item}")
    return 0
