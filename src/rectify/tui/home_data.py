"""What each role's home screen holds, gathered in one worker call."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rectify.domain.evaluation import STAGE_ORDER, Scorecard, ScoreStage
from rectify.domain.identity import Role
from rectify.projections.dashboard import DeadlineCounts
from rectify.projections.queries import FindingView
from rectify.tui.backend import Backend, InboxItem
from rectify.tui.labels import stage_label


@dataclass(frozen=True)
class EvaluationLine:
    key: str
    title: str
    year: int
    stage: str
    total: str
    grade: str
    differences: int  # leaves whose awarded score departs from the written rule
    waiting: int = 0  # leaves not yet scored at the evaluation's own stage


@dataclass(frozen=True)
class CheckLine:
    """One thing for the evaluator to look at (the checks `rectify check` makes on a
    package, made here on the stored evaluation's scorecard), or a score waiting."""

    key: str
    title: str
    code: str
    what: str


@dataclass(frozen=True)
class HomeData:
    role: Role
    counts: DeadlineCounts
    todo: list[FindingView]  # the list at the top: what to act on first
    todo_title: str
    returned_reasons: dict[str, str] = field(default_factory=dict)
    figures: list[Any] = field(default_factory=list)
    evaluations: list[EvaluationLine] = field(default_factory=list)
    reminders: list[InboxItem] = field(default_factory=list)  # unread; reports owed first
    checks: list[CheckLine] = field(default_factory=list)  # evaluator: what to look at


TODAY_MAX = date.max
BUREAU_EVALUATIONS = 20  # the newest evaluations on the bureau's home (all: 3 评价)
STAGE_VALUES = {s.value for s in ScoreStage}


def _checks(key: str, title: str, stage: str, card: Scorecard) -> list[CheckLine]:
    """Where the scorecard contradicts itself or a score waits for this stage."""
    out = []
    if card.total_difference not in (None, 0):
        out.append(
            CheckLine(
                key, title, "总分", f"报告所称总分与计算不符（差 {card.total_difference:+f}）"
            )
        )
    own = STAGE_ORDER.index(ScoreStage(stage)) if stage in STAGE_VALUES else None
    for n in card.nodes:
        code = n.printed_code or n.code
        if n.weight_difference not in (None, 0):
            out.append(
                CheckLine(
                    key, title, code, f"下级权重合计与本级不符（差 {n.weight_difference:+f}）"
                )
            )
        if n.rule_difference not in (None, 0):
            out.append(
                CheckLine(
                    key, title, code, f"得分 {n.score} 与评分规则不符（差 {n.rule_difference:+f}）"
                )
            )
        if (
            n.is_leaf
            and own is not None
            and n.stage is not None
            and STAGE_ORDER.index(n.stage) < own
        ):
            out.append(
                CheckLine(
                    key,
                    title,
                    code,
                    f"只有{stage_label(n.stage.value)}得分，待{stage_label(stage)}评分",
                )
            )
        elif n.is_leaf and n.score is None:
            out.append(CheckLine(key, title, code, "尚未评分"))
    return out


def _evaluation_lines(
    backend: Backend, checks: list[CheckLine] | None = None, latest: int | None = None
) -> list[EvaluationLine]:
    """A line per evaluation (newest fiscal year first), each from its scorecard;
    `latest`: only that many (a scorecard costs ~7 ms: a province's 1,000 evaluations
    made the bureau's home wait 7–8 s)."""
    lines = []
    for e in backend.evaluations()[:latest]:
        card = backend.scorecard(e.key)
        diffs = sum(1 for n in card.nodes if n.rule_difference not in (None, 0))
        found = _checks(e.key, e.title, e.stage, card)
        waiting = sum(1 for c in found if c.what.startswith(("只有", "尚未")))
        if checks is not None:
            checks.extend(found)
        lines.append(
            EvaluationLine(
                e.key,
                e.title,
                e.fiscal_year,
                e.stage,
                f"{card.total:f}",
                card.grade or "—",
                diffs,
                waiting,
            )
        )
    return lines


def gather(backend: Backend) -> HomeData:
    principal = backend.principal
    assert principal is not None
    counts = backend.deadline_counts()
    role = principal.role
    if role is Role.BUREAU:
        waiting = backend.most_urgent(status="closure_requested", limit=10)
        shown = {f.ref for f in waiting}
        overdue = [f for f in backend.most_urgent(limit=10) if f.overdue and f.ref not in shown]
        return HomeData(
            role,
            counts,
            waiting + overdue,
            "待审核（申请销号）与已逾期",
            figures=backend.figures(),
            evaluations=_evaluation_lines(backend, latest=BUREAU_EVALUATIONS),
        )
    if role is Role.DEPARTMENT:
        todo = backend.most_urgent(limit=20)
        reasons = {}
        for f in todo:
            if f.status == "returned":
                returns = [
                    e for e in backend.finding(f.ref).timeline if e.event.endswith("Returned")
                ]
                if returns:
                    reasons[f.ref] = returns[-1].reason or ""
        owed = ("report_overdue", "report_due")
        unread = backend.inbox(unread_only=True)
        reminders = sorted(unread, key=lambda i: (i.kind not in owed, i.for_date or TODAY_MAX))[:10]
        return HomeData(
            role,
            counts,
            todo,
            "我的待办（按整改时限）",
            returned_reasons=reasons,
            reminders=reminders,
        )
    if role is Role.EVALUATOR:
        checks: list[CheckLine] = []
        lines = _evaluation_lines(backend, checks)
        return HomeData(role, counts, [], "", evaluations=lines, checks=checks)
    return HomeData(role, counts, [], "", figures=backend.figures())
