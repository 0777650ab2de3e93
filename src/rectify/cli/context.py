"""Per-command wiring: open the store, establish who acts, catch the read models up."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rectify.cli.session import resolve_principal
from rectify.domain.identity import Principal, acting_as
from rectify.projections.store import Store, open_store


@contextmanager
def opened(create: bool = False) -> Iterator[Store]:
    store = open_store(create=create)
    try:
        yield store
    finally:
        store.close()


@contextmanager
def session(store: Store, *, catch_up: bool = True) -> Iterator[Principal]:
    """Run a command as the logged-in principal; afterwards bring read models up to date."""
    principal = resolve_principal(store)
    with acting_as(principal):
        yield principal
    if catch_up:
        store.catch_up()
