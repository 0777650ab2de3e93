"""PostgreSQL: a one-event save and an aggregate's read, each in one round trip.

A command saves one event. Through the ORM session that was BEGIN, LOCK, INSERT,
INSERT of the seal link, COMMIT: four client turns while the event table's EXCLUSIVE
lock is held, and that lock (it orders notification ids, and so the seal) is held
through the commit's WAL flush as well. With twenty writers on two cores the lock
holder was often waiting for a core between its turns. Here the seal link is computed
by the server in the same statement as the INSERT (`sha256` over the same
length-prefixed fields as `seal.next_link`; `verify` recomputes it in Python) and
BEGIN, LOCK, INSERT and COMMIT go out in one psycopg pipeline: the lock is held for
the server's own work and the flush, never for a client turn.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError, StoredEvent
from sqlalchemy import Engine

from rectify.domain.mapping import EVENTS_TABLE
from rectify.projections.seal import Checkpoint

# link(n) = sha256(link(n-1) || id || originator || version || len(topic) topic ||
# len(state) state) — seal.next_link, field for field (int8send/int4send are big-endian).
_INSERT_AND_SEAL = f"""
WITH e AS (
    INSERT INTO {EVENTS_TABLE} (originator_id, originator_version, topic, state)
    VALUES (%s, %s, %s, %s)
    RETURNING id, originator_id, originator_version, topic, state
)
INSERT INTO seal_links (notification_id, link)
SELECT e.id, encode(sha256(
    coalesce(
        (SELECT decode(s.link, 'hex') FROM seal_links s
         WHERE s.notification_id < e.id ORDER BY s.notification_id DESC LIMIT 1),
        '\\x{"00" * 32}'::bytea)
    || int8send(e.id) || uuid_send(e.originator_id) || int8send(e.originator_version)
    || int4send(octet_length(convert_to(e.topic, 'UTF8'))) || convert_to(e.topic, 'UTF8')
    || int8send(octet_length(e.state)::bigint) || e.state), 'hex')
FROM e
RETURNING notification_id, link
"""

_LOCK = f"LOCK TABLE {EVENTS_TABLE} IN EXCLUSIVE MODE"


def insert_one_sealed(engine: Engine, event: StoredEvent) -> Checkpoint:
    """Record and seal one event in its own transaction; returns its (id, link).
    IntegrityError (as the library raises it) when its version is already taken."""
    import psycopg

    raw = engine.raw_connection()
    try:
        pg: Any = raw.driver_connection
        refused: Exception | None = None
        try:
            with pg.pipeline(), pg.cursor() as lock, pg.cursor() as insert:
                lock.execute(_LOCK)
                insert.execute(
                    _INSERT_AND_SEAL,
                    (
                        event.originator_id,
                        event.originator_version,
                        event.topic,
                        bytes(event.state),
                    ),
                )
                try:
                    pg.commit()  # queued behind the INSERT: the same round trip
                except psycopg.IntegrityError as exc:
                    # Caught inside the pipeline, so leaving it does not log the abort.
                    refused = exc
                else:
                    notification_id, link = insert.fetchone()
        except psycopg.errors.PipelineAborted:
            if refused is None:
                pg.rollback()
                raise
        except BaseException:
            pg.rollback()
            raise
        if refused is not None:
            pg.rollback()
            raise IntegrityError(refused) from refused
        return Checkpoint(int(notification_id), str(link))
    finally:
        raw.close()


def select_stream(
    engine: Engine,
    originator_id: UUID,
    gt: int | None,
    lte: int | None,
    desc: bool,
    limit: int | None,
) -> list[StoredEvent]:
    """One aggregate's events with one statement in autocommit (no BEGIN, no ROLLBACK:
    a single SELECT sees one snapshot anyway)."""
    sql = f"SELECT originator_version, topic, state FROM {EVENTS_TABLE} WHERE originator_id = %s"
    params: list[Any] = [originator_id]
    if gt is not None:
        sql += " AND originator_version > %s"
        params.append(gt)
    if lte is not None:
        sql += " AND originator_version <= %s"
        params.append(lte)
    sql += " ORDER BY originator_version" + (" DESC" if desc else "")
    if limit is not None:
        sql += " LIMIT %s"
        params.append(limit)
    raw = engine.raw_connection()
    try:
        pg: Any = raw.driver_connection
        pg.autocommit = True
        try:
            rows = pg.execute(sql, params).fetchall()
        finally:
            pg.autocommit = False
    finally:
        raw.close()
    return [
        StoredEvent(
            originator_id=originator_id,
            originator_version=int(version),
            topic=topic,
            state=bytes(state),
        )
        for version, topic, state in rows
    ]
