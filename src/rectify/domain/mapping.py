"""How events are stored: the application's name, its event table, its transcoder.

Kept apart from `application.py` so that reading an aggregate's events (a login, a
catch-up) needs neither the eventsourcing Application nor every aggregate module.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Mapper,
    UUIDAsHex,
)

from rectify.domain.identity import Role
from rectify.domain.occurrence import OccurrenceKind
from rectify.domain.transcodings import enum_transcoding, register_common
from rectify.domain.vocabulary import FindingStatus, RectificationClass, ScoreStage

APPLICATION_NAME = "rectify"  # ≤ 32 characters: the tracking column is that wide on PostgreSQL
EVENTS_TABLE = f"{APPLICATION_NAME}_events"
# The library's snapshot store for the same application (not sealed: derived, see
# projections/snapshots.py).
SNAPSHOTS_TABLE = f"{APPLICATION_NAME}_snapshots"
# Aggregates whose history grows without bound (a user gains an event at every login),
# by topic: a snapshot every so many events (RectifyApp.save). Each session check loads
# the latest snapshot and at most this many events after it.
SNAPSHOT_INTERVALS = {"rectify/User": 100}


def register_transcodings(transcoder: JSONTranscoder) -> None:
    """Every value type rectify stores in an event: the Application's own, then ours."""
    for base in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO()):
        transcoder.register(base)
    register_common(transcoder)
    transcoder.register(enum_transcoding(FindingStatus, "finding_status"))
    transcoder.register(enum_transcoding(RectificationClass, "rectification_class"))
    transcoder.register(enum_transcoding(Role, "role"))
    transcoder.register(enum_transcoding(ScoreStage, "score_stage"))
    transcoder.register(enum_transcoding(OccurrenceKind, "occurrence_kind"))


def new_mapper() -> Mapper[UUID]:
    """The mapper RectifyApp builds (no cipher, no compression), without the Application."""
    transcoder = JSONTranscoder()
    register_transcodings(transcoder)
    return Mapper(transcoder=transcoder)
