"""The seal: a hash chain over every stored event, in notification order.

link(n) = sha256(link(n-1) || id || originator || version || topic || state), each
field length-prefixed so no two different events can encode alike. `verify`
recomputes the chain from the event table itself and names the first notification
id whose stored event no longer matches what was sealed. Links are written in the
transaction that records the events (projections/sealing.py). A checkpoint
(`position:head-hash`) kept outside the database proves a later copy still extends it.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from uuid import UUID

from sqlalchemy import BigInteger, Column, Connection, String, Table, bindparam, select

from rectify.domain.errors import InvalidInput
from rectify.projections.batch import DriverQuery
from rectify.projections.metadata import metadata
from rectify.projections.projector import RawEvent, as_bytes

GENESIS = bytes(32)

seal_links = Table(
    "seal_links",
    metadata,
    Column("notification_id", BigInteger, primary_key=True, autoincrement=False),
    Column("link", String(64), nullable=False),
)


_INT64 = struct.Struct(">q").pack
_LENGTH = struct.Struct(">Q").pack


@lru_cache(maxsize=1024)
def _topic_field(topic: str) -> bytes:
    encoded = topic.encode("utf-8")
    return struct.pack(">I", len(encoded)) + encoded


def next_link(
    previous: bytes,
    notification_id: int,
    originator: bytes,
    version: int,
    topic: str,
    state: bytes,
) -> bytes:
    """The next link; `originator` is the id's 16 bytes."""
    return hashlib.sha256(
        b"".join(
            (
                previous,
                _INT64(notification_id),
                originator,
                _INT64(version),
                _topic_field(topic),
                _LENGTH(len(state)),
                state,
            )
        )
    ).digest()


def chain(previous: bytes, raw: RawEvent) -> bytes:
    return next_link(
        previous,
        raw.notification_id,
        raw.originator_id.bytes,
        raw.originator_version,
        raw.topic,
        raw.state,
    )


def sealed_head(conn: Connection) -> tuple[int, bytes]:
    row = conn.execute(
        select(seal_links.c.notification_id, seal_links.c.link)
        .order_by(seal_links.c.notification_id.desc())
        .limit(1)
    ).first()
    if row is None:
        return 0, GENESIS
    return int(row.notification_id), bytes.fromhex(row.link)


@dataclass(frozen=True)
class Checkpoint:
    position: int
    head: str

    def __str__(self) -> str:
        return f"{self.position}:{self.head}"

    @staticmethod
    def parse(text: str) -> Checkpoint:
        position, sep, head = text.strip().partition(":")
        try:
            if not sep or len(head) != 64:
                raise ValueError
            bytes.fromhex(head)
            return Checkpoint(int(position), head.lower())
        except ValueError:
            raise InvalidInput(
                f"检查点格式错误：{text!r}；应为 位置:64位十六进制哈希，如 12:ab…"
            ) from None


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int  # events whose link was recomputed
    sealed_position: int
    unsealed: int  # always 0: every event is sealed when recorded (kept for the JSON output)
    first_bad_id: int | None = None
    problem: str | None = None


# Pages of the log read by verify, as the driver's tuples (no per-row type processing).
PAGE = 10_000


def _pages(conn: Connection, query: DriverQuery) -> Iterator[Any]:
    last = 0
    while True:
        rows = query.rows(conn, after=last, size=PAGE)
        if not rows:
            return
        yield from rows
        last = int(rows[-1][0])


def _stored_events(conn: Connection, events: Table) -> Iterator[tuple[int, bytes, int, str, bytes]]:
    """(id, originator's 16 bytes, version, topic, state) in notification order."""
    e = events.c
    query = DriverQuery(
        select(e.id, e.originator_id, e.originator_version, e.topic, e.state)
        .where(e.id > bindparam("after"))
        .order_by(e.id)
        .limit(bindparam("size"))
    )
    for notification_id, originator, version, topic, state in _pages(conn, query):
        yield (
            int(notification_id),
            originator.bytes if isinstance(originator, UUID) else bytes(originator),
            int(version),
            topic,
            as_bytes(state),
        )


def _links(conn: Connection) -> Iterator[tuple[int, str]]:
    c = seal_links.c
    query = DriverQuery(
        select(c.notification_id, c.link)
        .where(c.notification_id > bindparam("after"))
        .order_by(c.notification_id)
        .limit(bindparam("size"))
    )
    for notification_id, value in _pages(conn, query):
        yield int(notification_id), str(value)


VerifyProgress = Callable[[int, int], None]  # (links checked, sealed position)
PROGRESS_EVERY = 2000


def verify(
    conn: Connection,
    events: Table,
    checkpoint: Checkpoint | None = None,
    progress: VerifyProgress | None = None,
) -> VerifyResult:
    """Recompute the chain from the event table and compare it link by link.

    Events are sealed in the transaction that records them (projections/sealing.py),
    so an event without a link was written around rectify: that is tampering, as is a
    link whose event is gone. Only a checkpoint kept outside the database can show
    that the tail (events and links together) was cut off. `progress(checked,
    sealed_position)` is called every PROGRESS_EVERY links (screens show a bar)."""
    sealed_position, _ = sealed_head(conn)
    stored = _stored_events(conn, events)
    links = _links(conn)
    previous = GENESIS
    checked = 0
    _link = next_link
    event = next(stored, None)
    link = next(links, None)
    while event is not None or link is not None:
        if link is None or (event is not None and event[0] < link[0]):
            assert event is not None
            return _failed(
                checked,
                sealed_position,
                event[0],
                f"第 {event[0]} 号事件没有封存链接：不是由 rectify 记录的（直接写入数据库，或封存被删改）",
            )
        if event is None or event[0] > link[0]:
            return _failed(checked, sealed_position, link[0], f"第 {link[0]} 号事件已被删除")
        previous = _link(previous, *event)
        if previous.hex() != link[1]:
            return _failed(
                checked,
                sealed_position,
                link[0],
                f"第 {link[0]} 号事件与封存时不同（被修改或被调换位置）",
            )
        checked += 1
        if progress is not None and checked % PROGRESS_EVERY == 0:
            progress(checked, sealed_position)
        if checkpoint is not None and link[0] == checkpoint.position and link[1] != checkpoint.head:
            return _failed(
                checked,
                sealed_position,
                link[0],
                f"日志不再延续检查点 {checkpoint}：第 {link[0]} 号的链值不同",
            )
        event = next(stored, None)
        link = next(links, None)
    if progress is not None:
        progress(checked, sealed_position)
    problem = _checkpoint_problem(conn, checkpoint, sealed_position)
    if problem is not None:
        return _failed(checked, sealed_position, sealed_position + 1, problem)
    return VerifyResult(True, checked, sealed_position, 0)


def _failed(checked: int, sealed_position: int, first_bad: int, problem: str) -> VerifyResult:
    return VerifyResult(False, checked, sealed_position, 0, first_bad, problem)


def _checkpoint_problem(
    conn: Connection, checkpoint: Checkpoint | None, sealed_position: int
) -> str | None:
    if checkpoint is None:
        return None
    if checkpoint.position > sealed_position:
        return (
            f"检查点位置 {checkpoint.position} 超出现有封存位置 {sealed_position}"
            "（末尾的事件连同封存被删除，或日志被截断、换成了旧备份）"
        )
    if checkpoint.position == 0:
        return None if checkpoint.head == GENESIS.hex() else f"检查点 {checkpoint} 无效"
    found = conn.execute(
        select(seal_links.c.link).where(seal_links.c.notification_id == checkpoint.position)
    ).scalar_one_or_none()
    if found is None:
        return f"检查点位置 {checkpoint.position} 在日志中不存在"
    return None


def checkpoint(conn: Connection) -> Checkpoint:
    position, head = sealed_head(conn)
    return Checkpoint(position, head.hex())
