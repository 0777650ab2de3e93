"""`rectify targets declare|revise|note|show|history`: performance targets (绩效目标).

Parsing and printing only; the commands are `House.targets`, the reads are the
`target_changes` read model (`rectify.projections.targets`).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rich.table import Table

from rectify.bootstrap import open_house
from rectify.cli.output import console, print_json
from rectify.domain.errors import NotFound
from rectify.domain.formatting import moment
from rectify.domain.parsing import parse_date
from rectify.domain.vocabulary import TARGET_CATEGORY_LABELS, TARGET_CHANGE_LABELS
from rectify.projections.targets import target_history, targets_in_force
from rectify.reports.targets_file import load_targets_file

KINDS = TARGET_CHANGE_LABELS


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    targets = sub.add_parser("targets", help="绩效目标（申报、调整、查看某日有效的目标）")
    tsub = targets.add_subparsers(dest="targets_command", required=True, metavar="COMMAND")

    declare = tsub.add_parser("declare", help="申报绩效目标表（JSON 文件 rectify/targets@1）")
    declare.add_argument("file", type=Path, metavar="FILE")
    declare.set_defaults(func=run_declare)

    revise = tsub.add_parser("revise", help="调整一个绩效指标（须说明理由）")
    _where(revise)
    revise.add_argument("code", help="指标代码")
    revise.add_argument("--value", help="新目标值")
    revise.add_argument("--operator", help="新运算符（≥ ≤ = > < 定性）")
    revise.add_argument("--unit", help="新计量单位")
    revise.add_argument("--name", help="新指标名称")
    revise.add_argument("--reason", required=True, help="调整理由（如调整文件号）")
    revise.add_argument("--effective", help="生效日期 YYYY-MM-DD（默认今天）")
    revise.set_defaults(func=run_revise)

    note = tsub.add_parser("note", help="记录报告另一处所写的目标（不改变现行目标）")
    _where(note)
    note.add_argument("code", help="指标代码")
    note.add_argument("--source", required=True, help="出处，如“报告正文”")
    note.add_argument("--operator", required=True, help="那一处所写的运算符（≥ ≤ = > < 定性）")
    note.add_argument("--value", required=True, help="那一处所写的目标值")
    note.add_argument("--unit", help="那一处所写的计量单位")
    note.set_defaults(func=run_note)

    show = tsub.add_parser("show", help="某日有效的绩效目标（默认全部已记录的）")
    _where(show)
    show.add_argument("--as-of", help="日期 YYYY-MM-DD：显示当日有效的目标")
    show.add_argument("--json", action="store_true", help="输出 JSON")
    show.set_defaults(func=run_show)

    history = tsub.add_parser("history", help="绩效目标的申报与调整记录")
    _where(history)
    history.add_argument("--json", action="store_true", help="输出 JSON")
    history.set_defaults(func=run_history)


def _where(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("department", help="部门代码")
    parser.add_argument("year", type=int, help="年度")
    parser.add_argument("--project", help="项目代码（项目绩效目标）")


def run_declare(args: argparse.Namespace) -> int:
    doc = load_targets_file(args.file)  # shape-checked before the store is opened
    with open_house() as house, house.session():
        targets = house.targets.declare_targets(
            doc.department,
            doc.fiscal_year,
            doc.rows,
            project_code=doc.project,
            effective=doc.effective,
            where=doc.source,
        )
    console.print(
        f"已申报绩效目标 {targets.key}：{len(targets.in_force())} 个指标，{targets.declared_on()} 起生效"
    )
    return 0


def run_revise(args: argparse.Namespace) -> int:
    changes: dict[str, Any] = {
        "value": args.value,
        "operator": args.operator,
        "unit": args.unit,
        "name": args.name,
    }
    effective = parse_date(args.effective, "生效日期")
    with open_house() as house, house.session():
        targets = house.targets.revise_target(
            args.department,
            args.year,
            args.code,
            changes,
            reason=args.reason,
            project_code=args.project,
            effective=effective,
        )
    now = targets.in_force()[args.code]
    console.print(f"已调整绩效目标 {targets.key} {args.code}：{now.shown}（理由：{args.reason}）")
    return 0


def run_note(args: argparse.Namespace) -> int:
    row = {
        "code": args.code,
        "operator": args.operator,
        "value": args.value,
        "unit": args.unit,
        "source": args.source,
    }
    with open_house() as house, house.session():
        current = (
            house.targets.get_targets(args.department, args.year, args.project)
            .in_force()
            .get(args.code)
        )
        if current is not None:
            row.update(name=current.name, category=current.category.value)
        targets = house.targets.note_target_version(
            args.department, args.year, row, project_code=args.project
        )
    console.print(f"已记录 {targets.key} {args.code} 在“{args.source}”中的另一版本，现行目标不变")
    return 0


def run_show(args: argparse.Namespace) -> int:
    day = parse_date(args.as_of, "日期")
    with open_house() as house, house.session() as principal, house.store.engine.connect() as conn:
        rows = targets_in_force(
            conn, args.department, args.year, day, principal=principal, project_code=args.project
        )
    if rows is None:
        raise NotFound(f"部门 {args.department} {args.year} 年度尚未申报绩效目标")
    if args.json:
        print_json(
            {"department": args.department, "fiscal_year": args.year, "as_of": day, "targets": rows}
        )
        return 0
    when = f"{day} 有效" if day else "现行"
    table = Table(title=f"{args.department} {args.year} 年度绩效目标（{when}）")
    for col in ("代码", "指标", "类别", "目标", "生效日", "调整", "其他版本"):
        table.add_column(col)
    for r in rows:
        target = (
            f"{r.value}（定性）"
            if r.operator == "qualitative"
            else f"{r.operator}{r.value}{r.unit or ''}"
        )
        revised = f"{r.revisions} 次：{r.reason}" if r.revisions else "—"
        table.add_row(
            r.code,
            r.name,
            TARGET_CATEGORY_LABELS.get(r.category, r.category),
            target,
            str(r.effective),
            revised,
            "；".join(r.other_versions) or "—",
        )
    console.print(table)
    return 0


def run_history(args: argparse.Namespace) -> int:
    with open_house() as house, house.session() as principal, house.store.engine.connect() as conn:
        rows = target_history(
            conn, args.department, args.year, principal=principal, project_code=args.project
        )
    if args.json:
        print_json(rows)
        return 0
    table = Table(title=f"{args.department} {args.year} 年度绩效目标记录")
    for col in ("记录时间", "操作", "指标", "目标", "生效日", "操作人", "理由"):
        table.add_column(col)
    for h in rows:
        table.add_row(
            moment(h.recorded_at),
            KINDS[h.kind],
            h.code,
            h.shown,
            str(h.effective),
            h.actor,
            h.reason or "—",
        )
    console.print(table)
    return 0
