"""The evaluation part of a package import: Evaluation (tree, scores, surveys) and Budget.

Called by `import_package`, which saves everything of one import atomically. Idempotent:
a package already recorded changes nothing. A changed package records only the
differences, each as a revision with the reason 重新导入 (re-import):
- a leaf score that differs → one ScoreRevised at that stage;
- a leaf score the package adds → ScoreEntered;
- the tree, bands, stated figures or surveys that differ → one Evaluation.Revised;
- budget figures that differ → the Budget event for that part (Restated,
  FinalAccountsRecorded, ControlsRecorded, StaffingRecorded); adjustments the package
  lists that are not recorded yet → Adjusted (matched by line, amount, date, document).
A score a later package no longer shows is kept (history is never deleted).

Who may: importing at all is EVALUATION_PERMISSIONS["import_package"]; the budget as the
report states it is BUDGET_PERMISSIONS["state_budget"]; every adjustment (listed, or the
gap between a line's stated initial and adjusted figures) is checked like
`budget adjust` (`check_budget_role`), so an evaluator's package that adjusts a budget
is refused whole and records nothing.

Scores per stage come from the leaf's `scores` list; the package's own stage gets
`awarded`, the rule `inputs` and the `narrative`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from eventsourcing.domain import Aggregate

from rectify.domain.budget import Budget
from rectify.domain.evaluation import Evaluation, ScoreStage, plain, rule_to_data
from rectify.domain.identity import current_principal
from rectify.domain.permissions import BUDGET_PERMISSIONS, EVALUATION_PERMISSIONS, require
from rectify.domain.services import EvaluationService
from rectify.reports.package import Indicator, Package

REIMPORT_REASON = "重新导入"


@dataclass(frozen=True)
class EvaluationImport:
    aggregates: tuple[Aggregate, ...]
    evaluation_new: bool
    scores_entered: int
    scores_revised: int
    evaluation_revised: bool
    budget_new: bool
    budget_events: int
    # Every revised score: (indicator code, stage, recorded value, package value).
    score_changes: tuple[tuple[str, str, Decimal, Decimal], ...] = ()


def indicator_data(ind: Indicator) -> dict[str, Any]:
    return {
        "code": ind.code,
        "printed_code": ind.printed_code,
        "parent": ind.parent,
        "name": ind.name,
        "weight": ind.weight,
        "benchmark": ind.benchmark,
        "explanation": ind.explanation,
        "checkpoints": list(ind.checkpoints),
        "rule_text": ind.rule_text,
        "rule": rule_to_data(ind.rule),
        "evidence": list(ind.evidence),
    }


def header_data(pkg: Package) -> dict[str, Any]:
    ev = pkg.evaluation
    report_date = ev.report_date
    data: dict[str, Any] = plain(
        {
            "subject": ev.subject,
            "project": ev.project.model_dump(exclude={"note"}) if ev.project else None,
            "stage": ScoreStage(ev.stage),
            "title": ev.title,
            "commissioned_by": ev.commissioned_by,
            "evaluator": ev.evaluator,
            "report_date": report_date
            if isinstance(report_date, str | None)
            else report_date.isoformat(),
            "amount_unit": ev.amount_unit,
            "grade_bands": [{"grade": b.grade, "min": b.min} for b in ev.grade_bands],
            "rounding": {
                "places": ev.rounding.places,
                "mode": ev.rounding.mode,
                "aggregate": ev.rounding.aggregate,
            },
            "stated_total": ev.stated.total,
            "stated_grade": ev.stated.grade,
            "total_weight": ev.stated.total_weight,
            "indicators": [indicator_data(i) for i in pkg.indicators],
            "surveys": [s.model_dump(exclude={"note"}) for s in pkg.surveys],
        }
    )
    return data


def leaf_scores(pkg: Package) -> list[tuple[Indicator, ScoreStage, Decimal, bool]]:
    """(leaf, stage, value, is the package's own stage) for every score the package shows."""
    own = ScoreStage(pkg.evaluation.stage)
    leaves = pkg.leaf_codes()
    out: list[tuple[Indicator, ScoreStage, Decimal, bool]] = []
    for ind in pkg.indicators:
        if ind.code not in leaves:
            continue
        if ind.awarded is not None:
            out.append((ind, own, ind.awarded, True))
        for sc in ind.scores or []:
            stage = ScoreStage(sc.stage)
            if stage is not own and sc.awarded is not None:
                out.append((ind, stage, sc.awarded, False))
    return out


def plan_evaluation(evaluations: EvaluationService, pkg: Package) -> EvaluationImport:
    """The Evaluation and Budget aggregates with the events this package adds (unsaved)."""
    ev = pkg.evaluation
    header = header_data(pkg)
    existing = evaluations.find_evaluation(ev.key)
    revised_header = False
    if existing is None:
        require(
            EVALUATION_PERMISSIONS["register_evaluation"], current_principal(), subject=f" {ev.key}"
        )
        Evaluation.validate_tree(ev.key, header["indicators"])
        evaluation = Evaluation(
            key=ev.key,
            department_code=pkg.department.code,
            fiscal_year=ev.fiscal_year,
            **header,
        )
    else:
        evaluation = existing
        revised_header = evaluation.revise(header, REIMPORT_REASON)

    entered = revised = 0
    changes: list[tuple[str, str, Decimal, Decimal]] = []
    for ind, stage, value, own in leaf_scores(pkg):
        inputs = plain(dict(ind.inputs)) if own and ind.inputs is not None else None
        narrative = ind.narrative if own else None
        current = evaluation.score_at(ind.code, stage)
        if current is None:
            evaluation.enter_score(ind.code, stage, value, inputs=inputs, narrative=narrative)
            entered += 1
            continue
        before = current.value
        if evaluation.revise_score(
            ind.code, stage, value, reason=REIMPORT_REASON, inputs=inputs, narrative=narrative
        ):
            revised += 1
            if before != value:
                changes.append((ind.code, stage.value, before, value))

    aggregates: list[Aggregate] = [evaluation] if evaluation.pending_events else []
    budget, budget_new = plan_budget(evaluations, pkg)
    if budget is not None and budget.pending_events:
        aggregates.append(budget)
    return EvaluationImport(
        aggregates=tuple(aggregates),
        evaluation_new=existing is None,
        scores_entered=entered,
        scores_revised=revised,
        evaluation_revised=revised_header,
        budget_new=budget_new,
        budget_events=len(budget.pending_events) if budget is not None else 0,
        score_changes=tuple(changes),
    )


def plan_budget(evaluations: EvaluationService, pkg: Package) -> tuple[Budget | None, bool]:
    if pkg.budget is None and not pkg.staffing:
        return None, False
    code, year = pkg.department.code, pkg.evaluation.fiscal_year
    require(BUDGET_PERMISSIONS["state_budget"], current_principal(), subject=f"（部门 {code}）")
    b = pkg.budget
    lines = [
        {
            "code": ln.code,
            "name": ln.name,
            "nature": ln.nature,
            "unit": ln.unit,
            "initial": ln.initial,
            "stated_adjusted": ln.adjusted,
        }
        for ln in (b.lines if b is not None else [])
    ]
    sources = plain(b.sources.model_dump(exclude={"note"})) if b is not None and b.sources else None
    stated = (
        {k: v for k, v in b.stated.model_dump(exclude={"note"}).items() if v is not None}
        if b is not None
        else {}
    )
    unit = (b.unit if b is not None and b.unit else None) or pkg.evaluation.amount_unit
    existing = evaluations.find_budget(code, year)
    if existing is None:
        Budget.validate_lines(code, year, lines)
        budget = Budget(
            department_code=code,
            fiscal_year=year,
            unit=unit,
            lines=lines,
            sources=sources,
            stated=stated,
        )
        reason: str | None = None
    else:
        budget = existing
        reason = REIMPORT_REASON
        budget.restate(lines, sources, stated, REIMPORT_REASON)

    if b is not None:
        # Adjustments: add those the package lists beyond what is recorded (a multiset).
        recorded = Counter((a.line, a.amount, a.on, a.document) for a in budget.adjustments)
        for adj in b.adjustments:
            k = (adj.line, adj.amount, adj.date, adj.document)
            if recorded[k] > 0:
                recorded[k] -= 1
                continue
            evaluations.check_budget_role(code, f"（评价包所列调整，预算行 {adj.line}）")
            budget.adjust(
                adj.line,
                adj.amount,
                reason=adj.reason or "评价包所列预算调整",
                on=adj.date,
                document=adj.document,
            )
        # Lines whose stated adjusted figure is not explained by listed adjustments.
        # Where some adjustment names no line, a line's gap may be that adjustment:
        # attributing it again would count it twice, so the gaps stay unexplained.
        unassigned = any(adj.line is None for adj in b.adjustments)
        for ln in b.lines if not unassigned else ():
            if ln.initial is None or ln.adjusted is None:
                continue
            gap = ln.adjusted - (budget.adjusted_of(ln.code) or Decimal(0))
            if gap != 0:
                evaluations.check_budget_role(code, f"（评价包调整后预算数，预算行 {ln.code}）")
                budget.adjust(ln.code, gap, reason="评价包调整后预算数与所列调整之差")
        finals = {ln.code: ln.final for ln in b.lines if ln.final is not None}
        if finals or b.carryover is not None:
            budget.record_final_accounts(finals, b.carryover, reason)
        pf = b.public_funds.model_dump(exclude={"note"}) if b.public_funds else None
        tp = b.three_public.model_dump(exclude={"note"}) if b.three_public else None
        if pf is not None or tp is not None:
            budget.record_controls(pf, tp, reason)
    if pkg.staffing:
        budget.record_staffing(
            [
                {"unit": s.unit, "authorized": s.authorized, "actual": s.actual}
                for s in pkg.staffing
            ],
            reason,
        )
    return budget, existing is None
