"""The seal: a hash chain over every stored event, in notification order.

link(n) = sha256(link(n-1) || id || originator || version || topic || state), each
field length-prefixed so no two different events can encode alike. `verify`
recomputes the chain from the event table itself and names the first notification
id whose stored event no longer matches what was sealed. A checkpoint
(`position:head-hash`) exported earlier proves a later copy still extends it.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BigInteger, Column, Connection, String, Table, select

from rectify.domain.errors import InvalidInput
from rectify.projections.metadata import metadata
from rectify.projections.projector import Projector, RawEvent, as_bytes

GENESIS = bytes(32)

seal_links = Table(
    "seal_links",
    metadata,
    Column("notification_id", BigInteger, primary_key=True, autoincrement=False),
    Column("link", String(64), nullable=False),
)


def chain(previous: bytes, raw: RawEvent) -> bytes:
    topic = raw.topic.encode("utf-8")
    digest = hashlib.sha256()
    digest.update(previous)
    digest.update(struct.pack(">q", raw.notification_id))
    digest.update(raw.originator_id.bytes)
    digest.update(struct.pack(">q", raw.originator_version))
    digest.update(struct.pack(">I", len(topic)))
    digest.update(topic)
    digest.update(struct.pack(">Q", len(raw.state)))
    digest.update(raw.state)
    return digest.digest()


class SealProjector(Projector):
    name = "seal"
    tables = (seal_links,)
    wants_raw = True
    rebuildable = False

    def __init__(self) -> None:
        self._head = GENESIS
        self._links: list[dict[str, object]] = []

    def begin_batch(self, conn: Connection, events: Sequence[Any]) -> None:
        self._head = sealed_head(conn)[1]
        self._links = []

    def apply_raw(self, conn: Connection, raw: RawEvent) -> None:
        self._head = chain(self._head, raw)
        self._links.append({"notification_id": raw.notification_id, "link": self._head.hex()})

    def end_batch(self, conn: Connection) -> None:
        if self._links:
            conn.execute(seal_links.insert(), self._links)
        self._links = []


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
    unsealed: int  # events after the sealed head (not yet sealed; not a failure)
    first_bad_id: int | None = None
    problem: str | None = None


def _stored_events(conn: Connection, events: Table, batch: int = 2000) -> Iterator[RawEvent]:
    last = 0
    while True:
        rows = conn.execute(
            select(events.c.id, events.c.originator_id, events.c.originator_version, events.c.topic, events.c.state)
            .where(events.c.id > last)
            .order_by(events.c.id)
            .limit(batch)
        ).all()
        if not rows:
            return
        for row in rows:
            yield RawEvent(int(row.id), row.originator_id, int(row.originator_version), row.topic, as_bytes(row.state))
        last = int(rows[-1].id)


def _links(conn: Connection, batch: int = 5000) -> Iterator[tuple[int, str]]:
    last = 0
    while True:
        rows = conn.execute(
            select(seal_links.c.notification_id, seal_links.c.link)
            .where(seal_links.c.notification_id > last)
            .order_by(seal_links.c.notification_id)
            .limit(batch)
        ).all()
        if not rows:
            return
        for row in rows:
            yield int(row.notification_id), str(row.link)
        last = int(rows[-1].notification_id)


VerifyProgress = Callable[[int, int], None]  # (links checked, sealed position)
PROGRESS_EVERY = 2000


def verify(
    conn: Connection,
    events: Table,
    checkpoint: Checkpoint | None = None,
    progress: VerifyProgress | None = None,
) -> VerifyResult:
    """Recompute the chain from the event table and compare it link by link.

    `progress(checked, sealed_position)` is called every PROGRESS_EVERY links (screens
    show a bar; the CLI passes none)."""
    sealed_position, _ = sealed_head(conn)
    stored = _stored_events(conn, events)
    links = _links(conn)
    previous = GENESIS
    checked = 0
    next_event = next(stored, None)
    for link_id, link in links:
        # An event below this link's id that has no link was slipped in afterwards.
        if next_event is not None and next_event.notification_id < link_id:
            return VerifyResult(False, checked, sealed_position, 0, next_event.notification_id,
                                f"第 {next_event.notification_id} 号事件是封存后插入的")
        if next_event is None or next_event.notification_id > link_id:
            return VerifyResult(False, checked, sealed_position, 0, link_id,
                                f"第 {link_id} 号事件已被删除")
        previous = chain(previous, next_event)
        if previous.hex() != link:
            return VerifyResult(False, checked, sealed_position, 0, link_id,
                                f"第 {link_id} 号事件与封存时不同（被修改或被调换位置）")
        checked += 1
        if progress is not None and checked % PROGRESS_EVERY == 0:
            progress(checked, sealed_position)
        if checkpoint is not None and link_id == checkpoint.position and link != checkpoint.head:
            return VerifyResult(False, checked, sealed_position, 0, link_id,
                                f"日志不再延续检查点 {checkpoint}：第 {link_id} 号的链值不同")
        next_event = next(stored, None)
    unsealed = 0
    while next_event is not None:
        unsealed += 1
        next_event = next(stored, None)
    if checkpoint is not None and checkpoint.position > sealed_position:
        return VerifyResult(False, checked, sealed_position, unsealed, sealed_position + 1,
                            f"检查点位置 {checkpoint.position} 超出现有封存位置 {sealed_position}（事件被删除或日志被截断）")
    if checkpoint is not None and checkpoint.position == 0 and checkpoint.head != GENESIS.hex():
        return VerifyResult(False, checked, sealed_position, unsealed, 0, f"检查点 {checkpoint} 无效")
    if progress is not None:
        progress(checked, sealed_position)
    return VerifyResult(True, checked, sealed_position, unsealed)


def checkpoint(conn: Connection) -> Checkpoint:
    position, head = sealed_head(conn)
    return Checkpoint(position, head.hex())
