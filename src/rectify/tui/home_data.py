"""What each role's home screen holds, in two parts: what SQL answers at once (the
counts, the lists, the figures), and the evaluation lines, each replayed from its
evaluation's events (~5 ms a scorecard), made in batches after the first part is shown:
a province's evaluator has a thousand of them (bench/bench_tui.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
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
class Todo:
    """The list at the top (what to act on first) and, for a department, why items
    came back and its unread reminders."""

    items: list[FindingView] = field(default_factory=list)
    title: str = ""
    returned_reasons: dict[str, str] = field(default_factory=dict)
    reminders: list[InboxItem] = field(default_factory=list)  # unread; reports owed first


@dataclass(frozen=True)
class HomeData:
    """A whole home, as `gather` makes it in one call."""

    role: Role
    counts: DeadlineCounts
    todo: Todo
    figures: list[Any] = field(default_factory=list)
    evaluations: list[EvaluationLine] = field(default_factory=list)
    checks: list[CheckLine] = field(default_factory=list)  # evaluator: what to look at


TODAY_MAX = date.max
BUREAU_EVALUATIONS = 20  # the newest evaluations on the bureau's home (all: 3 评价)
# The evaluator's home replays each of its evaluations (~5 ms a scorecard, more to show
# it): a province of 1,063 departments × 10 years kept a core busy for 272 s. The newest
# 200 are the year's work; every evaluation and its checks are on 3 评价 (k).
EVALUATOR_EVALUATIONS = 200
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


EVALUATION_BATCH = 20  # scorecards per batch: the first fills an 80×24 screen's table


def _evaluation_line(backend: Backend, e: Any, checks: list[CheckLine]) -> EvaluationLine:
    """The line of one evaluation, from its scorecard; its checks go to `checks`."""
    card = backend.scorecard(e.key)
    diffs = sum(1 for n in card.nodes if n.rule_difference not in (None, 0))
    found = _checks(e.key, e.title, e.stage, card)
    checks.extend(found)
    waiting = sum(1 for c in found if c.what.startswith(("只有", "尚未")))
    return EvaluationLine(
        e.key, e.title, e.fiscal_year, e.stage, f"{card.total:f}", card.grade or "—", diffs, waiting
    )


def evaluations_on_home(role: Role) -> int:
    """How many of the newest evaluations a role's home shows (0: none)."""
    return {Role.BUREAU: BUREAU_EVALUATIONS, Role.EVALUATOR: EVALUATOR_EVALUATIONS}.get(role, 0)


def evaluation_batches(
    backend: Backend, batch: int | None = None
) -> Iterator[tuple[list[EvaluationLine], list[CheckLine]]]:
    """The role's evaluation lines (newest fiscal year first) and their checks, a batch
    at a time: the newest `evaluations_on_home(role)` (the evaluator's checks are what
    to look at). Other roles have none."""
    assert backend.principal is not None
    role = backend.principal.role
    shown = evaluations_on_home(role)
    if not shown:
        return
    every = backend.evaluations()[:shown]
    size = batch or EVALUATION_BATCH
    for start in range(0, len(every), size):
        checks: list[CheckLine] = []
        lines = [_evaluation_line(backend, e, checks) for e in every[start : start + size]]
        yield lines, checks if role is Role.EVALUATOR else []


def todo_of(backend: Backend) -> Todo:
    principal = backend.principal
    assert principal is not None
    if principal.role is Role.BUREAU:
        waiting = backend.most_urgent(status="closure_requested", limit=10)
        shown = {f.ref for f in waiting}
        overdue = [f for f in backend.most_urgent(limit=10) if f.overdue and f.ref not in shown]
        return Todo(waiting + overdue, "待审核（申请销号）与已逾期")
    if principal.role is not Role.DEPARTMENT:
        return Todo()
    items = backend.most_urgent(limit=20)
    reasons = {}
    for f in items:
        if f.status == "returned":
            returns = [e for e in backend.finding(f.ref).timeline if e.event.endswith("Returned")]
            if returns:
                reasons[f.ref] = returns[-1].reason or ""
    owed = ("report_overdue", "report_due")
    unread = backend.inbox(unread_only=True)
    reminders = sorted(unread, key=lambda i: (i.kind not in owed, i.for_date or TODAY_MAX))[:10]
    return Todo(items, "我的待办（按整改时限）", reasons, reminders)


def first_parts(backend: Backend) -> dict[str, Callable[[], Any]]:
    """The calls behind the role's first screen, by section: each runs in its own
    thread worker and is shown when it comes (the database works on them at once)."""
    assert backend.principal is not None
    parts: dict[str, Callable[[], Any]] = {
        "counts": backend.deadline_counts,
        "todo": lambda: todo_of(backend),
    }
    if backend.principal.role in (Role.BUREAU, Role.AUDITOR):
        parts["figures"] = backend.figures
    return parts


def gather(backend: Backend) -> HomeData:
    """The whole home in one call: the calls the screen's workers make, one after
    another (the benchmark's plain query; the tests' whole picture)."""
    assert backend.principal is not None
    first = {tag: call() for tag, call in first_parts(backend).items()}
    lines: list[EvaluationLine] = []
    checks: list[CheckLine] = []
    for batch_lines, batch_checks in evaluation_batches(backend):
        lines.extend(batch_lines)
        checks.extend(batch_checks)
    return HomeData(
        backend.principal.role,
        first["counts"],
        first["todo"],
        first.get("figures", []),
        lines,
        checks,
    )
