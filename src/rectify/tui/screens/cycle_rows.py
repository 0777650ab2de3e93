"""The rows and summaries of the 年度流程 tabs, from a `CycleView` (pure: no widgets).

Domain words come from `rectify.domain.vocabulary`; values are written as the CLI
writes them (`tui.labels`). An indicator with no review score is 未复核, never 0.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rich.text import Text

from rectify.domain.vocabulary import (
    MONITORING_STATUS_LABELS,
    REPORT_KIND_LABELS,
    RESULT_CONSEQUENCE_LABELS,
    TARGET_CATEGORY_LABELS,
    TARGET_CHANGE_LABELS,
    WARNING_KIND_LABELS,
)
from rectify.tui.cycle_data import CycleView
from rectify.tui.labels import day, number, rate, short, when

Row = tuple[Any, ...]
NONE = "—"

TARGET_COLUMNS = ("代码", "指标", "类别", "目标", "生效", "调整", "另一版本")
CHANGE_COLUMNS = ("代码", "记录", "生效", "目标", "理由", "操作人", "记录时间")
PERIOD_COLUMNS = ("报告期", "报告", "应报日", "状态", "报送日", "执行率", "时间进度")
WARNING_COLUMNS = ("预警", "类型", "转为问题", "内容")
VALUE_COLUMNS = ("期", "指标", "目标", "已完成", "预计全年", "偏差度", "偏差原因", "纠偏措施")
DEVIATION_COLUMNS = ("指标", "名称", "权重", "自评", "复核", "偏差")
REPLY_COLUMNS = ("编号", "对象", "意见", "理由", "回复日", "答复", "答复理由")
DECISION_COLUMNS = ("预算年度", "等级", "总分", "结果应用", "年初预算", "调整后", "决定人", "理由")
RECTIFICATION_COLUMNS = ("年度", "问题", "已销号", "整改率(数量)", "整改率(金额)", "逾期")


def _text(value: Any) -> str:
    return NONE if value is None or value == "" else str(value)


def heading(view: CycleView) -> str:
    key = f"  评价 {view.evaluation_key}" if view.evaluation_key else ""
    return f"[b]{view.department_code} {view.fiscal_year} 年度[/]{key}　d 换部门/年度"


def target_rows(view: CycleView) -> list[Row]:
    return [
        (
            t.code,
            short(t.name, 20),
            TARGET_CATEGORY_LABELS.get(t.category, t.category),
            f"{t.value}（定性）"
            if t.operator == "qualitative"
            else f"{t.operator}{t.value}{t.unit or ''}",
            day(t.effective),
            str(t.revisions) if t.revisions else NONE,
            "；".join(t.other_versions) or NONE,
        )
        for t in view.targets
    ]


def change_rows(view: CycleView) -> list[Row]:
    return [
        (
            c.code,
            TARGET_CHANGE_LABELS.get(c.kind, c.kind),
            day(c.effective),
            c.shown,
            _text(c.reason),
            c.actor,
            when(c.recorded_at),
        )
        for c in view.target_changes
    ]


def period_rows(view: CycleView) -> list[Row]:
    return [
        (
            p.period,
            REPORT_KIND_LABELS.get(p.kind, p.kind),
            day(p.due),
            MONITORING_STATUS_LABELS.get(p.status, p.status) + ("（逾期报送）" if p.late else ""),
            day(p.filed_on),
            rate(p.execution_rate),
            rate(p.time_elapsed),
        )
        for p in view.periods
    ]


def warning_rows(view: CycleView) -> list[tuple[str | None, Row]]:
    """(the warning's id while it may still be converted, its row)."""
    out: list[tuple[str | None, Row]] = []
    for p in view.periods:
        for w in p.warnings:
            converted = w["finding_ref"]
            out.append(
                (
                    None if converted else w["warning_id"],
                    (
                        w["warning_id"],
                        WARNING_KIND_LABELS.get(w["kind"], w["kind"]),
                        converted or NONE,
                        w["message"],
                    ),
                )
            )
    return out


def _deviation(value: Decimal | None) -> Text:
    if value is None:
        return Text(NONE)
    return Text(f"{value}%", style="bold red" if value > 0 else "")


def value_rows(view: CycleView) -> list[Row]:
    return [
        (
            p.period,
            v["code"],
            v["target"],
            _text(v["reached"]),
            _text(v["expected"]),
            _deviation(v["deviation"]),
            _text(v["cause"]),
            _text(v["measure"]),
        )
        for p in view.periods
        for v in p.values
    ]


def deviation_rows(view: CycleView) -> list[Row]:
    rows: list[Row] = []
    for d in view.deviations:
        dev = d.deviation
        rows.append(
            (
                d.code,
                short(d.name, 20),
                number(d.weight),
                number(d.self_score) if d.self_score is not None else NONE,
                number(d.review_score) if d.review_score is not None else "未复核",
                Text(f"{dev:+}", style="bold red") if dev else (NONE if dev is None else "0"),
            )
        )
    return rows


def reply_rows(view: CycleView) -> list[Row]:
    if view.comment_round is None:
        return []
    rows: list[Row] = []
    for r in view.comment_round.replies:
        stance = "无异议" if r["agrees"] else "有异议"
        if r["proposed"] is not None:
            stance += f"（建议 {r['proposed']}）"
        verdict = NONE if r["accepted"] is None else ("采纳" if r["accepted"] else "不采纳")
        rows.append(
            (
                r["reply_id"],
                f"{'问题' if r['kind'] == 'finding' else '得分'} {r['subject']}",
                stance,
                _text(r["reasons"]),
                day(r["replied_on"]) + ("（逾期）" if r["late"] else ""),
                verdict,
                _text(r["response"]),
            )
        )
    return rows


def decision_rows(view: CycleView) -> list[Row]:
    rows: list[Row] = []
    for result in view.results:
        budget = result.budget
        for d in result.decisions:
            share = f" {d.share}%" if d.share is not None else ""
            rows.append(
                (
                    str(d.budget_year),
                    d.grade,
                    number(d.total),
                    RESULT_CONSEQUENCE_LABELS.get(d.consequence, d.consequence) + share,
                    number(budget.initial, budget.unit) if budget else "尚未登记",
                    number(budget.adjusted, budget.unit) if budget else NONE,
                    d.actor,
                    d.reason,
                )
            )
    return rows


def rectification_rows(view: CycleView) -> list[Row]:
    seen: set[int] = set()
    rows: list[Row] = []
    for result in view.results:
        for f in result.rectification:
            if f.year in seen:
                continue
            seen.add(f.year)
            rows.append(
                (
                    str(f.year),
                    str(f.total),
                    str(f.closed),
                    rate(f.rate_by_count),
                    rate(f.rate_by_amount),
                    str(f.overdue),
                )
            )
    return rows


def summary(tab: str, view: CycleView) -> str:
    """One line above a tab's tables: what is there, or which step is not reached yet."""
    if tab == "cycle-targets":
        revised = sum(1 for t in view.targets if t.revisions)
        return (
            f"现行目标 {len(view.targets)} 个，调整过 {revised} 个"
            if view.targets
            else "尚未申报绩效目标（rectify targets declare）"
        )
    if tab == "cycle-monitoring":
        if not view.periods:
            return "尚无监控计划（rectify monitoring plan）"
        warnings = sum(len(p.warnings) for p in view.periods)
        owed = sum(1 for p in view.periods if p.status != "filed")
        return f"报告期 {len(view.periods)} 个，未报 {owed} 个；预警 {warnings} 条"
    if tab == "cycle-review":
        if view.evaluation_key is None:
            return "尚无评价"
        reviewed = [d for d in view.deviations if d.deviation is not None]
        return (
            f"末级指标 {len(view.deviations)} 个，已复核 {len(reviewed)} 个（偏差 = 复核 − 自评）"
        )
    if tab == "cycle-comments":
        r = view.comment_round
        if r is None:
            return "尚未征求意见（rectify comments open）"
        state = f"{day(r.closed_on)} 定稿" if r.closed_on else "进行中"
        return f"{day(r.sent_on)} 发送，{day(r.deadline)} 前回复，{state}；回复 {len(r.replies)} 条"
    if not view.results:
        return "尚未决定结果应用（rectify results decide）"
    return "结果应用与该预算年度的年初预算并列；下表为被评价年度的整改情况"
