"""`rectify import evaluation FILE`: an evaluation package into events."""

from __future__ import annotations

import argparse
from pathlib import Path

from rectify.bootstrap import open_house
from rectify.cli.output import console, print_json
from rectify.domain.evaluation import STAGE_LABELS, ScoreStage
from rectify.reports.evaluation_import import REIMPORT_REASON
from rectify.reports.importer import import_package
from rectify.reports.package import load_package


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
    console.print(f"  新问题 {len(result.findings_new)} 个，未变 {len(result.findings_unchanged)} 个")
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
