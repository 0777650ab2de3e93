"""The base aggregate: every event records who acted and, where a person decided, why.

Conventions for every aggregate in this package:
- the aggregate class has `TOPIC = "rectify/<Aggregate>"`;
- every event is declared with `@event("PastTense", topic="rectify/<Aggregate>.PastTense")`
  on a private method; a public method guards (raises) and then calls it, because an
  early `return` inside an `@event` method would still record the event;
- topics are permanent: renaming a class or module must not change them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid5

import eventsourcing.domain
from eventsourcing.domain import Aggregate

from rectify.domain.clock import Clock
from rectify.domain.identity import current_actor

# The clock events are stamped with: the house's clock while a principal acts in it
# (`House.acting`), so a simulated year records its events on its own dates and
# `--as-of` sees them there; the wall clock otherwise (and with the SystemClock).
_recording_clock: ContextVar[Clock | None] = ContextVar("rectify_recording_clock", default=None)


@contextmanager
def recording_with(clock: Clock) -> Iterator[None]:
    token = _recording_clock.set(clock)
    try:
        yield
    finally:
        _recording_clock.reset(token)


def recording_now() -> datetime:
    clock = _recording_clock.get()
    if clock is None:  # the library's own source of "now", looked up at call time
        return eventsourcing.domain.datetime_now_with_tzinfo()
    return clock.now().astimezone(UTC)


# Stable namespace for ids derived from business keys (department code, finding ref...),
# so that importing the same package twice addresses the same aggregates.
RECTIFY_NAMESPACE = UUID("6b1d3f3e-6c55-4d8e-9a2f-1f0c8f6e2a7d")


def derived_id(kind: str, key: str) -> UUID:
    return uuid5(RECTIFY_NAMESPACE, f"{kind}:{key}")


class RectifyAggregate(Aggregate):
    class Event(Aggregate.Event):
        actor: str
        reason: str | None

        @staticmethod
        def create_timestamp() -> datetime:
            return recording_now()

    def trigger_event(self, event_class: Any, **kwargs: Any) -> None:
        kwargs.setdefault("actor", current_actor())
        kwargs.setdefault("reason", None)
        super().trigger_event(event_class, **kwargs)

    @classmethod
    def _create(cls, event_class: Any, *, id: Any = None, **kwargs: Any) -> Any:  # noqa: A002
        kwargs.setdefault("actor", current_actor())
        kwargs.setdefault("reason", None)
        return super()._create(event_class, id=id, **kwargs)


# The library redefines every inherited event class on each subclass and then demands
# an explicit topic for it. Our aggregates declare their own created event with
# `@event("...", topic=...)` on __init__, so the generic `Created` must not be inherited.
del RectifyAggregate.Created
