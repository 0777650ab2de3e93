"""The application services, one per context, all on the one RectifyApp (event store and
repository): the problem list, evaluations and budgets, evidence, people, the clock's
schedule (policy and occurrences).

Command names follow one pattern, ``verb_object`` in the imperative — ``record_finding``,
``issue_finding``, ``adjust_budget``, ``set_score``, ``submit_evidence``, ``add_user`` —
and getters ``get_object`` (NotFound when missing) / ``find_object`` (None when
missing), each typed. ``new_*`` / ``register_*`` return an unsaved aggregate with every
check made, for writes that save several aggregates at once (the package importer).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from rectify.domain.application import RectifyApp
from rectify.domain.clock import Clock
from rectify.domain.deadlines import DeadlinePolicy
from rectify.domain.evidence import DEFAULT_MAX_SIZE, BlobStore
from rectify.domain.services.comments import CommentService
from rectify.domain.services.evaluations import EvaluationService
from rectify.domain.services.evidence import EvidenceService
from rectify.domain.services.findings import FindingService
from rectify.domain.services.monitoring import MonitoringService
from rectify.domain.services.people import PeopleService
from rectify.domain.services.results import ResultService
from rectify.domain.services.schedule import RecordedDeadlineDays, ScheduleService
from rectify.domain.services.targets import TargetService

__all__ = [
    "CommentService",
    "EvaluationService",
    "EvidenceService",
    "FindingService",
    "MonitoringService",
    "PeopleService",
    "ResultService",
    "ScheduleService",
    "Services",
    "TargetService",
]


@dataclass(frozen=True)
class Services:
    app: RectifyApp
    findings: FindingService
    evaluations: EvaluationService
    evidence: EvidenceService
    people: PeopleService
    schedule: ScheduleService
    # The yearly cycle (issue #12).
    targets: TargetService
    monitoring: MonitoringService
    comments: CommentService
    results: ResultService

    @classmethod
    def build(
        cls,
        app: RectifyApp,
        *,
        clock: Clock,
        policy: DeadlinePolicy,
        blob_store: BlobStore,
        evidence_max_size: int = DEFAULT_MAX_SIZE,
    ) -> Services:
        schedule = ScheduleService(app)
        # Default deadlines by class follow the bureau's recorded policy (`policy set`).
        policy = replace(policy, days=RecordedDeadlineDays(schedule, policy.days))
        findings = FindingService(app, clock, policy)
        evaluations = EvaluationService(app)
        targets = TargetService(app, clock)
        return cls(
            app=app,
            schedule=schedule,
            findings=findings,
            evaluations=evaluations,
            evidence=EvidenceService(app, blob_store, evidence_max_size, clock),
            people=PeopleService(app, clock),
            targets=targets,
            monitoring=MonitoringService(app, clock, targets, findings),
            comments=CommentService(app, clock, evaluations, findings),
            results=ResultService(app, evaluations),
        )
