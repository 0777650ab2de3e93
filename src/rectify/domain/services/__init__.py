"""The application services, one per context, all on the one RectifyApp (event store and
repository): the problem list, evaluations and budgets, evidence, people, the clock's
schedule (policy and occurrences).

Command names follow one pattern, ``verb_object`` in the imperative — ``record_finding``,
``issue_finding``, ``adjust_budget``, ``set_score``, ``submit_evidence``, ``add_user`` —
and getters ``get_object`` (NotFound when missing) / ``find_object`` (None when
missing), each typed. ``new_*`` / ``register_*`` return an unsaved aggregate with every
check made, for writes that save several aggregates at once (the package importer).

Each name is imported on first use (PEP 562): a login imports only the people service,
not every context and aggregate (tests/cli/test_startup.py).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rectify.domain.services.bundle import Services as Services
    from rectify.domain.services.comments import CommentService as CommentService
    from rectify.domain.services.evaluations import EvaluationService as EvaluationService
    from rectify.domain.services.evidence import EvidenceService as EvidenceService
    from rectify.domain.services.findings import FindingService as FindingService
    from rectify.domain.services.monitoring import MonitoringService as MonitoringService
    from rectify.domain.services.people import PeopleService as PeopleService
    from rectify.domain.services.results import ResultService as ResultService
    from rectify.domain.services.schedule import ScheduleService as ScheduleService
    from rectify.domain.services.targets import TargetService as TargetService

_MODULES = {
    "CommentService": "comments",
    "EvaluationService": "evaluations",
    "EvidenceService": "evidence",
    "FindingService": "findings",
    "MonitoringService": "monitoring",
    "PeopleService": "people",
    "ResultService": "results",
    "ScheduleService": "schedule",
    "Services": "bundle",
    "TargetService": "targets",
}

__all__ = sorted(_MODULES)


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
