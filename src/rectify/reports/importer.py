"""Turning an evaluation package into events, idempotently.

A package is addressed by its keys (department code, finding ref), so importing the
same package twice finds every aggregate already there and records nothing. All
aggregates of one import are saved in one atomic write: a failure records nothing.

The import is the same write path as the commands: departments, findings, scores and
budget adjustments are made through the application services' checks (role, scope,
duplicate, department, budget role); only the save is shared. An evaluator's package
that would adjust a budget is therefore refused whole (docs/DECISIONS.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from eventsourcing.domain import Aggregate

from rectify.domain.application import finding_fields
from rectify.domain.finding import Finding, RectificationClass
from rectify.domain.identity import current_principal
from rectify.domain.permissions import EVALUATION_PERMISSIONS, require
from rectify.domain.services import Services
from rectify.reports.evaluation_import import plan_evaluation
from rectify.reports.package import Package, PackageFinding


@dataclass(frozen=True)
class ImportResult:
    evaluation_key: str
    events: int
    departments_new: tuple[str, ...] = ()
    departments_renamed: tuple[str, ...] = ()
    findings_new: tuple[str, ...] = ()
    findings_unchanged: tuple[str, ...] = ()
    # Refs whose package text differs from what is recorded (not overwritten here).
    findings_differing: tuple[str, ...] = field(default=())
    # The Evaluation and Budget (see reports/evaluation_import.py).
    evaluation_new: bool = False
    evaluation_revised: bool = False
    scores_entered: int = 0
    scores_revised: int = 0
    budget_new: bool = False
    budget_events: int = 0
    # Every revised score: (indicator code, stage, recorded value, package value).
    score_changes: tuple[tuple[str, str, Decimal, Decimal], ...] = ()


def import_package(services: Services, pkg: Package) -> ImportResult:
    require(
        EVALUATION_PERMISSIONS["import_package"],
        current_principal(),
        subject=f" {pkg.evaluation.key}",
    )
    findings = services.findings
    changed: list[Aggregate] = []
    new_departments: list[str] = []
    renamed: list[str] = []
    known: list[str] = []
    for org, parent in [(pkg.department, None), *[(u, u.parent) for u in pkg.units]]:
        existed = services.app.find_department(org.code) is not None
        department = findings.register_department(org.code, org.name, parent)
        known.append(org.code)
        if department.pending_events:
            changed.append(department)
            (renamed if existed else new_departments).append(org.code)

    new, unchanged, differing = [], [], []
    for item in pkg.findings:
        fields = _finding_fields(pkg, item)
        existing = findings.find_finding(item.ref)
        if existing is None:
            changed.append(findings.new_finding(**fields, pending_departments=known))
            new.append(item.ref)
        elif _same_as_recorded(services, existing, fields):
            unchanged.append(item.ref)
        else:
            differing.append(item.ref)

    planned = plan_evaluation(services.evaluations, pkg)
    changed.extend(planned.aggregates)

    events = sum(len(a.pending_events) for a in changed)
    if changed:
        services.app.save_all(*changed)
    return ImportResult(
        evaluation_key=pkg.evaluation.key,
        events=events,
        departments_new=tuple(new_departments),
        departments_renamed=tuple(renamed),
        findings_new=tuple(new),
        findings_unchanged=tuple(unchanged),
        findings_differing=tuple(differing),
        evaluation_new=planned.evaluation_new,
        evaluation_revised=planned.evaluation_revised,
        scores_entered=planned.scores_entered,
        scores_revised=planned.scores_revised,
        budget_new=planned.budget_new,
        budget_events=planned.budget_events,
        score_changes=planned.score_changes,
    )


def _finding_fields(pkg: Package, item: PackageFinding) -> dict[str, Any]:
    department = pkg.department.code
    unit = item.responsible_unit if item.responsible_unit not in (None, department) else None
    suggestions = [s.text for s in pkg.suggestions if item.ref in s.finding_refs]
    return dict(
        finding_fields(
            ref=item.ref,
            department_code=department,
            unit_code=unit,
            fiscal_year=pkg.evaluation.fiscal_year,
            evaluation_key=pkg.evaluation.key,
            category=item.category or "",
            title=item.title,
            description=item.description or "",
            root_cause=item.root_cause,
            indicator_codes=tuple(item.indicator_codes),
            amount=item.amount,
            amount_unit=pkg.evaluation.amount_unit if item.amount is not None else None,
            suggestion="\n".join(suggestions) or None,
            rectification_class=(
                RectificationClass(item.rectification_class) if item.rectification_class else None
            ),
            due=item.due,
        )
    )


def _same_as_recorded(services: Services, existing: Finding, fields: dict[str, Any]) -> bool:
    """Compare with what was first recorded: later lifecycle events (issue, extend...)
    legitimately change the state, and are not differences in the package."""
    [recorded] = list(services.app.repository.event_store.get(existing.id, lte=1))
    return all(_normal(getattr(recorded, name)) == _normal(value) for name, value in fields.items())


def _normal(value: object) -> object:
    # Stored events come back from JSON with lists where the domain wrote tuples.
    return tuple(value) if isinstance(value, list | tuple) else value
