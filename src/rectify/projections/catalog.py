"""Every read model, in the order the runner applies them, and the event store's tables."""

from __future__ import annotations

from rectify.domain.application import EVENTS_TABLE
from rectify.projections.departments import DepartmentsProjector
from rectify.projections.evaluations import BudgetsProjector, EvaluationsProjector
from rectify.projections.findings import FindingsProjector
from rectify.projections.positions import projection_positions
from rectify.projections.projector import Projector
from rectify.projections.seal import seal_links
from rectify.projections.timeline import TimelineProjector

# Tables the eventsourcing library owns; Alembic never creates, alters or drops them.
EVENT_STORE_TABLES = frozenset({EVENTS_TABLE})


def all_projectors() -> list[Projector]:
    # The seal is no read model: links are written with the events (projections/sealing.py).
    return [
        DepartmentsProjector(),
        FindingsProjector(),
        TimelineProjector(),
        EvaluationsProjector(),
        BudgetsProjector(),
    ]


# Imported for their tables' registration on the shared MetaData.
__all__ = ["EVENT_STORE_TABLES", "all_projectors", "projection_positions", "seal_links"]
