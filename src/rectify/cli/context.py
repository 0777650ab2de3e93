"""Per-command wiring, all of it from the composition root (rectify.bootstrap)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rectify.bootstrap import House, checkpoints, open_house
from rectify.domain.identity import Principal


@contextmanager
def opened(create: bool = False) -> Iterator[House]:
    with open_house(create=create) as house:
        yield house


@contextmanager
def session(house: House, *, catch_up: bool = True) -> Iterator[Principal]:
    """Run a command as the logged-in principal; afterwards bring read models up to date."""
    with house.acting(house.principal_from_environment(), catch_up=catch_up) as principal:
        yield principal
    # Outside the database, so a later cut-off tail fails `verify` (bootstrap/checkpoints.py).
    checkpoints.save(house.store, house.clock.now())
