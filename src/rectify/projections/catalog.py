"""Every read model, in the order the runner applies them, and the event store's tables."""

from __future__ import annotations

# The runner decodes every aggregate's events: their topics resolve only once the
# modules defining them are imported, whoever opened the store.
import rectify.domain.budget
import rectify.domain.department
import rectify.domain.evaluation
import rectify.domain.evidence
import rectify.domain.finding
import rectify.domain.user  # noqa: F401
from rectify.domain.application import EVENTS_TABLE
from rectify.projections.departments import DepartmentsProjector
from rectify.projections.evaluations import BudgetsProjector, EvaluationsProjector
from rectify.projections.findings import FindingsProjector
from rectify.projections.positions import projection_positions
from rectify.projections.projector import Projector
from rectify.projections.seal import SealProjector
from rectify.projections.timeline import TimelineProjector

# Tables the eventsourcing library owns; Alembic never creates, alters or drops them.
EVENT_STORE_TABLES = frozenset({EVENTS_TABLE})


def all_projectors() -> list[Projector]:
    # The seal first: a batch seals events before any read model reads them.
    return [
        SealProjector(),
        DepartmentsProjector(),
        FindingsProjector(),
        TimelineProjector(),
        EvaluationsProjector(),
        BudgetsProjector(),
    ]


# Imported for its table's registration on the shared MetaData.
__all__ = ["EVENT_STORE_TABLES", "all_projectors", "projection_positions"]
