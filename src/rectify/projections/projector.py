"""What a projector is: a named read model that applies stored events in order."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar
from uuid import UUID

from sqlalchemy import Connection, Table


@dataclass(frozen=True)
class RawEvent:
    """One row of the event table, as the seal sees it."""

    notification_id: int
    originator_id: UUID
    originator_version: int
    topic: str
    state: bytes


Handler = Callable[[Connection, Any], None]


class Projector:
    """Base for read models. Subclasses set `name`, `tables` and `handlers()`.

    `handlers()` maps event topics to functions writing rows; the runner decodes an
    event only if some projector handles its topic, and gives every projector its own
    tracked position so a new read model can catch up on its own.

    A batch is `begin_batch` (with the decoded events this projector will be given,
    so it can read what they touch in one go), the handlers in log order, then
    `end_batch`, which writes the batch's rows in bulk.
    """

    name: ClassVar[str]
    tables: ClassVar[tuple[Table, ...]] = ()
    # Whether `rectify rebuild` may drop and replay it. The seal must never be rebuilt
    # from the log it guards: that would launder tampering.
    rebuildable: ClassVar[bool] = True
    # Whether `begin_batch` reads only this projector's own tables and its handlers only
    # gather rows in memory, leaving every write to `end_batch`: a parallel rebuild's
    # group worker then runs all but `end_batch` before it takes the write lock.
    gathers: ClassVar[bool] = False

    def handlers(self) -> Mapping[str, Handler]:
        return {}

    def begin_batch(self, conn: Connection, events: Sequence[Any]) -> None:
        """Called at the start of each batch transaction, before any handler."""

    def end_batch(self, conn: Connection) -> None:
        """Called after the batch's last handler: write what the handlers gathered."""


def as_bytes(value: object) -> bytes:
    """A stored state as bytes, whatever type the driver (or a tamperer) left there."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, memoryview | bytearray):
        return bytes(value)
    if isinstance(value, str):
        return value.encode("utf-8")
    raise TypeError(f"unexpected stored state of type {type(value).__name__}")
