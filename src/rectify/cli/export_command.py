"""`rectify export problem-list|notice|report|scorecard|ledger`: documents people exchange.

Each command opens the House, acts as the logged-in user and reads only what that
user may see (a department exports only its own); the documents come from
`rectify.reports` and carry the seal checkpoint of the store in their footer.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from docx.document import Document
from rich.progress import Progress

from rectify.bootstrap import House, open_house
from rectify.cli.output import console, err_console
from rectify.domain.errors import InvalidInput, NotAllowed, NotFound
from rectify.domain.identity import Principal, Role
from rectify.projections import figures, queries, seal
from rectify.projections.evaluations import get_evaluation_summary
from rectify.projections.ledger import ledger_rows
from rectify.reports import labels
from rectify.reports.docx import notice, problem_list, scorecard, status_report
from rectify.reports.xlsx import ledger_export

TODAY_ENV = "RECTIFY_TODAY"
STAGES = {"self": "self", "review": "review", "third_party": "third_party", "final": "final"}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    exp = sub.add_parser("export", help="导出公文与台账（Word GB/T 9704、Excel 整改台账）")
    esub = exp.add_subparsers(dest="export_command", required=True, metavar="DOCUMENT")
    pl = esub.add_parser("problem-list", help="问题清单（按问题类别分组）")
    pl.add_argument("--year", type=int, help="年度（含结转到该年度的问题）")
    pl.add_argument("--department", help="部门或单位编码")
    pl.add_argument("--evaluation", metavar="KEY", help="只列此评价的问题")
    nt = esub.add_parser("notice", help="整改通知书（一个部门）")
    nt.add_argument("--department", required=True, help="部门编码")
    nt.add_argument("--year", type=int, help="年度")
    nt.add_argument("--issuer", help="落款机关（默认：评价的委托单位，否则“财政局”）")
    nt.add_argument("--date", help="成文日期 YYYY-MM-DD（默认今天）")
    rp = esub.add_parser("report", help="整改情况报告（一个年度）")
    rp.add_argument("--year", type=int, required=True, help="年度")
    rp.add_argument("--department", help="部门或单位编码")
    sc = esub.add_parser("scorecard", help="评分表（指标体系、权重、得分、评分规则）")
    sc.add_argument("key", metavar="EVALUATION_KEY", help="评价编号，如 WB-GXJ/2024/department")
    sc.add_argument("--stage", choices=sorted(STAGES), help="按此阶段的得分")
    sc.add_argument("--as-of", dest="as_of", help="截至此日期（YYYY-MM-DD）的得分")
    lg = esub.add_parser("ledger", help="整改台账（.xlsx，部门填写后可 `rectify import ledger`）")
    lg.add_argument("--year", type=int, help="年度（含结转到该年度的问题）")
    lg.add_argument("--department", help="部门或单位编码")
    for parser, suffix, run in (
        (pl, ".docx", run_problem_list),
        (nt, ".docx", run_notice),
        (rp, ".docx", run_report),
        (sc, ".docx", run_scorecard),
        (lg, ".xlsx", run_ledger),
    ):
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            required=True,
            metavar=f"FILE{suffix}",
            help=f"写出的文件（{suffix}；已存在则覆盖）",
        )
        if run is not run_scorecard:  # a 评分表 shows no overdue and no date of today
            parser.add_argument("--today", metavar="D", help="按此日期判断逾期（默认今天）")
        parser.set_defaults(func=run, suffix=suffix)


# -- shared steps -----------------------------------------------------------------------


def _parse_day(text: str | None, what: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"{what} {text!r} 不是存在的 YYYY-MM-DD 日期") from None


def _today(args: argparse.Namespace, house: House) -> date:
    return _parse_day(args.today or os.environ.get(TODAY_ENV), "今天的日期") or house.clock.today()


def _output(args: argparse.Namespace) -> Path:
    path: Path = args.output
    if path.suffix.lower() != args.suffix:
        raise InvalidInput(f"输出文件 {path} 的扩展名应为 {args.suffix}")
    if not path.parent.exists():
        raise InvalidInput(f"输出目录不存在：{path.parent}")
    return path


def _save(doc: Document, path: Path) -> None:
    try:
        doc.save(str(path))
    except OSError as exc:
        raise InvalidInput(f"无法写入 {path}：{exc.strerror or exc}") from None


def _checkpoint(house: House) -> str:
    with house.store.engine.connect() as conn:
        return str(seal.checkpoint(conn))


def _check_department(house: House, principal: Principal, code: str | None) -> None:
    """A department user may name only its own department or one of its units."""
    if code is None or principal.role is not Role.DEPARTMENT:
        return
    with house.store.engine.connect() as conn:
        parents = {d.code: d.parent_code for d in queries.list_departments(conn)}
    if code not in parents:
        raise NotFound(f"部门 {code} 不存在")
    if principal.department not in (code, parents[code]):
        raise NotAllowed(
            f"{principal.name}（部门 {principal.department}）只能导出本部门的内容，不能导出 {code}"
        )


def _all_findings(
    house: House, principal: Principal, *, today: date, **filters: object
) -> list[queries.FindingView]:
    out: list[queries.FindingView] = []
    with house.store.engine.connect() as conn:
        while True:
            page = queries.list_findings(
                conn,
                principal=principal,
                today=today,
                after=out[-1].ref if out else None,
                **filters,  # type: ignore[arg-type]
            )
            if not page:
                return out
            out.extend(page)


@contextmanager
def _reading() -> Iterator[tuple[House, Principal]]:
    """The House as the logged-in user, read models (and the seal) caught up first, so
    the document and the checkpoint in its footer show the same log."""
    with open_house() as house, house.session(catch_up=False) as principal:
        house.catch_up()
        yield house, principal


@contextmanager
def _progress(what: str, total: int | None) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr for long exports (only at a terminal)."""
    with Progress(console=err_console, transient=True, disable=not err_console.is_terminal) as bar:
        task = bar.add_task(what, total=total)
        yield lambda done: bar.update(task, completed=done)


def _done(path: Path, what: str, count: int, checkpoint: str) -> int:
    console.print(f"已导出{what}：{path}（{count} 项；封存检查点 {checkpoint}）")
    return 0


# -- the documents ----------------------------------------------------------------------


def run_problem_list(args: argparse.Namespace) -> int:
    path = _output(args)
    with _reading() as (house, principal):
        _check_department(house, principal, args.department)
        today = _today(args, house)
        items = _all_findings(
            house, principal, fiscal_year=args.year, department=args.department, today=today
        )
        if args.evaluation:
            items = [f for f in items if f.evaluation_key == args.evaluation]
        checkpoint = _checkpoint(house)
    scope = "、".join(
        part
        for part in (
            f"{args.year}年度" if args.year else "",
            f"部门 {args.department}" if args.department else "",
            f"评价 {args.evaluation}" if args.evaluation else "",
        )
        if part
    )
    heading = f"{args.year}年度绩效评价问题清单" if args.year else "绩效评价问题清单"
    line = f"范围：{scope or '全部'}。共{len(items)}个问题，统计截至{labels.day(today)}。"
    with _progress("问题清单", len(items)) as tick:
        doc = problem_list.build(
            items, heading=heading, scope_line=line, checkpoint=checkpoint, progress=tick
        )
    _save(doc, path)
    return _done(path, "问题清单", len(items), checkpoint)


def run_notice(args: argparse.Namespace) -> int:
    path = _output(args)
    with _reading() as (house, principal):
        _check_department(house, principal, args.department)
        today = _today(args, house)
        items = [
            f
            for f in _all_findings(
                house, principal, fiscal_year=args.year, department=args.department, today=today
            )
            if f.status not in ("recorded", "withdrawn")
        ]
        with house.store.engine.connect() as conn:
            names = {d.code: d.name for d in queries.list_departments(conn)}
        issuer = args.issuer or _issuer(house, items)
        checkpoint = _checkpoint(house)
    if not items:
        raise NotFound(f"部门 {args.department} 没有已下发的问题，无需通知")
    on = _parse_day(args.date, "成文日期") or today
    doc = notice.build(
        names.get(args.department, args.department),
        items,
        issuer=issuer,
        on=on,
        checkpoint=checkpoint,
    )
    _save(doc, path)
    return _done(path, "整改通知书", len(items), checkpoint)


def _issuer(house: House, items: list[queries.FindingView]) -> str:
    for f in items:
        if f.evaluation_key:
            commissioned = house.evaluations.evaluation_at(f.evaluation_key).commissioned_by
            if commissioned:
                return str(commissioned)
    return "财政局"


def run_report(args: argparse.Namespace) -> int:
    path = _output(args)
    with _reading() as (house, principal):
        _check_department(house, principal, args.department)
        today = _today(args, house)
        with house.store.engine.connect() as conn:
            rows = figures.figures(
                conn, principal=principal, year=args.year, department=args.department, today=today
            )
        items = _all_findings(
            house, principal, fiscal_year=args.year, department=args.department, today=today
        )
        checkpoint = _checkpoint(house)
    line = f"统计截至{labels.day(today)}，数据来自事件日志（封存检查点见页脚）。"
    doc = status_report.build(args.year, rows, items, as_of_line=line, checkpoint=checkpoint)
    _save(doc, path)
    return _done(path, "整改情况报告", len(items), checkpoint)


def run_scorecard(args: argparse.Namespace) -> int:
    from rectify.domain.vocabulary import ScoreStage

    path = _output(args)
    as_of = _parse_day(args.as_of, "截至日期")
    stage = ScoreStage(args.stage) if args.stage else None
    with _reading() as (house, principal):
        with house.store.engine.connect() as conn:
            summary = get_evaluation_summary(conn, args.key)
        if summary is None:
            raise NotFound(f"评价 {args.key} 不存在")
        _check_department(house, principal, summary.department_code)
        card = house.evaluations.scorecard(args.key, as_of=as_of, stage=stage)
        evaluation = house.evaluations.evaluation_at(args.key, as_of=as_of)
        checkpoint = _checkpoint(house)
    rule_texts = {str(i["code"]): i.get("rule_text") for i in evaluation.indicators}
    when = "、".join(
        p
        for p in (
            f"{labels.STAGE_LABELS[args.stage]}阶段得分" if args.stage else "",
            f"截至{labels.day(as_of)}" if as_of else f"版本 {card.version}",
        )
        if p
    )
    doc = scorecard.build(
        card,
        heading=f"{summary.title}评分表",
        when_line=f"评价编号：{args.key}；{when}。",
        rule_texts=rule_texts,
        checkpoint=checkpoint,
    )
    _save(doc, path)
    return _done(path, "评分表", sum(1 for n in card.nodes if n.is_leaf), checkpoint)


def run_ledger(args: argparse.Namespace) -> int:
    path = _output(args)
    with _reading() as (house, principal):
        _check_department(house, principal, args.department)
        today = _today(args, house)
        with house.store.engine.connect() as conn:
            rows = list(
                ledger_rows(
                    conn,
                    principal=principal,
                    fiscal_year=args.year,
                    department=args.department,
                    today=today,
                )
            )
        checkpoint = _checkpoint(house)
    info = {
        "导出人": principal.name,
        "导出日期": today.isoformat(),
        "年度": str(args.year or "全部"),
        "部门": args.department or "全部",
    }
    with _progress("整改台账", len(rows)) as tick:
        try:
            count = ledger_export.export(
                rows, path, checkpoint=checkpoint, info=info, progress=tick
            )
        except OSError as exc:
            raise InvalidInput(f"无法写入 {path}：{exc.strerror or exc}") from None
    return _done(path, "整改台账", count, checkpoint)
