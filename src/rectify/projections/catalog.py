"""Every read model, in the order the runner applies them, and the event store's tables."""

from __future__ import annotations

from rectify.domain.application import EVENTS_TABLE
from rectify.projections.deadline_watch import DeadlineWatchProjector
from rectify.projections.departments import DepartmentsProjector
from rectify.projections.evaluations import BudgetsProjector, EvaluationsProjector
from rectify.projections.findings import FindingsProjector
from rectify.projections.inbox import InboxProjector
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
        DeadlineWatchProjector(),
        InboxProjector(),
    ]


# Imported for its table's registration on the shared MetaData.
__all__ = ["EVENT_STORE_TABLES", "all_projectors", "projection_positions"]
