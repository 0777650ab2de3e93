"""The services bundle: every application service on the one RectifyApp."""

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
        people: PeopleService | None = None,
    ) -> Services:
        """Every service on `app`; `people` is the house's own people service when it
        was made before the app (a login reads users without building it)."""
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
            people=people or PeopleService(app, clock),
            targets=targets,
            monitoring=MonitoringService(app, clock, targets, findings),
            comments=CommentService(app, clock, evaluations, findings),
            results=ResultService(app, evaluations),
        )
