"""What each role's home screen holds, gathered in one worker call."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rectify.domain.identity import Role
from rectify.projections.dashboard import DeadlineCounts
from rectify.projections.queries import FindingView
from rectify.tui.backend import Backend, InboxItem


@dataclass(frozen=True)
class EvaluationLine:
    key: str
    title: str
    year: int
    stage: str
    total: str
    grade: str
    differences: int  # leaves whose awarded score departs from the written rule


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


TODAY_MAX = date.max


def _evaluation_lines(backend: Backend) -> list[EvaluationLine]:
    lines = []
    for e in backend.evaluations():
        card = backend.scorecard(e.key)
        diffs = sum(1 for n in card.nodes if n.rule_difference not in (None, 0))
        lines.append(
            EvaluationLine(
                e.key, e.title, e.fiscal_year, e.stage, f"{card.total:f}", card.grade or "—", diffs
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
            evaluations=_evaluation_lines(backend),
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
        return HomeData(role, counts, [], "", evaluations=_evaluation_lines(backend))
    return HomeData(role, counts, [], "", figures=backend.figures())
