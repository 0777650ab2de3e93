"""The event log as an auditor reads it: one row per stored event, newest last.

Rows come straight from the event table (not a read model: the log is the truth the
seal guards). `actor` and `reason` are read from the stored JSON state without
decoding the event class, so the log stays readable for events of any version.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Table, select

from rectify.projections.projector import as_bytes

PAGE = 200
# How many stored events one call reads at most while filtering by actor.
SCAN_LIMIT = 20_000


@dataclass(frozen=True)
class LoggedEvent:
    position: int
    originator_id: str
    version: int
    topic: str
    actor: str | None
    reason: str | None
    timestamp: str | None  # ISO text as stored
    subject: str | None = None  # the aggregate's ref, key or code, when known


def _state_fields(raw: bytes) -> dict[str, Any]:
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _timestamp(value: Any) -> str | None:
    if isinstance(value, dict):  # transcoded: {"_type_": ..., "_data_": "..."}
        value = value.get("_data_")
    return value if isinstance(value, str) else None


def list_events(
    conn: Connection,
    events: Table,
    *,
    after: int = 0,
    limit: int = PAGE,
    topics: Sequence[str] | None = None,
    actor: str | None = None,
    originator: str | None = None,
    originators: Sequence[UUID] = (),
) -> list[LoggedEvent]:
    """Events after position `after` (keyset), optionally by topics, actor, aggregate."""
    out: list[LoggedEvent] = []
    scanned = 0
    while len(out) < limit and scanned < SCAN_LIMIT:
        query = (
            select(
                events.c.id,
                events.c.originator_id,
                events.c.originator_version,
                events.c.topic,
                events.c.state,
            )
            .where(events.c.id > after)
            .order_by(events.c.id)
            .limit(limit)
        )
        if topics is not None:
            query = query.where(events.c.topic.in_(list(topics)))
        if originator:
            query = query.where(events.c.originator_id == originator)
        if originators:  # one aggregate, named several ways (a ref, a key, a code)
            query = query.where(events.c.originator_id.in_(list(originators)))
        rows = conn.execute(query).all()
        if not rows:
            break
        scanned += len(rows)
        for row in rows:
            fields = _state_fields(as_bytes(row.state))
            who = fields.get("actor")
            if actor and who != actor:
                continue
            why = fields.get("reason")
            out.append(
                LoggedEvent(
                    position=int(row.id),
                    originator_id=str(row.originator_id),
                    version=int(row.originator_version),
                    topic=str(row.topic),
                    actor=who if isinstance(who, str) else None,
                    reason=why if isinstance(why, str) else None,
                    timestamp=_timestamp(fields.get("timestamp")),
                )
            )
            if len(out) == limit:
                break
        after = int(rows[-1].id)
    return out
