"""The House: one opened store with everything an entry point needs, wired once."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from platformdirs import user_data_dir

from rectify.bootstrap import login
from rectify.domain.application import RectifyApp
from rectify.domain.clock import Clock, SystemClock
from rectify.domain.deadlines import DeadlinePolicy
from rectify.domain.errors import InvalidInput
from rectify.domain.evidence import DEFAULT_MAX_SIZE, FileBlobStore
from rectify.domain.identity import Principal, acting_as
from rectify.projections.store import Store, describe, open_store

BLOB_DIR_ENV = "RECTIFY_BLOB_DIR"
MAX_BYTES_ENV = "RECTIFY_EVIDENCE_MAX_BYTES"


def blob_dir_for(store: Store) -> Path:
    """RECTIFY_BLOB_DIR, else `blobs/` beside the SQLite file, else one folder per
    PostgreSQL database under the user data directory."""
    configured = os.environ.get(BLOB_DIR_ENV, "").strip()
    if configured:
        return Path(configured).expanduser()
    url = store.url
    if url.drivername == "sqlite":
        return Path(str(url.database)).expanduser().resolve().parent / "blobs"
    host = f"{url.host or 'localhost'}-{url.port or 5432}-{url.database or 'default'}"
    return Path(user_data_dir("rectify", appauthor=False)) / "blobs" / host


def evidence_max_size() -> int:
    raw = os.environ.get(MAX_BYTES_ENV, "").strip()
    if not raw:
        return DEFAULT_MAX_SIZE
    try:
        limit = int(raw)
    except ValueError:
        raise InvalidInput(f"{MAX_BYTES_ENV} 须为正整数（收到 {raw!r}）") from None
    if limit <= 0:
        raise InvalidInput(f"{MAX_BYTES_ENV} 须为正整数（收到 {limit}）")
    return limit


@dataclass
class House:
    store: Store
    clock: Clock
    policy: DeadlinePolicy = field(default_factory=DeadlinePolicy)

    # -- the application services ---------------------------------------------------

    @property
    def app(self) -> RectifyApp:
        return self.store.app

    @property
    def findings(self) -> RectifyApp:
        return self.store.app

    @property
    def evaluations(self) -> RectifyApp:
        return self.store.app

    @property
    def evidence(self) -> RectifyApp:
        return self.store.app

    @property
    def people(self) -> RectifyApp:
        return self.store.app

    @property
    def label(self) -> str:
        """The store's address without its password (session key, messages)."""
        return describe(self.store.url)

    # -- read models -------------------------------------------------------------------

    def catch_up(self) -> int:
        return self.store.catch_up()

    # -- who acts ----------------------------------------------------------------------

    def authenticate(self, name: str, password: str) -> Principal:
        return self.people.authenticate(name, password)

    def principal_from_environment(self) -> Principal:
        return login.principal_from_environment(self.people, self.label, self._now())

    def remember_login(self, principal: Principal) -> Path:
        return login.remember_login(self.people, self.label, principal, self._now())

    def forget_login(self) -> bool:
        return login.forget_login(self.people, self.label)

    @contextmanager
    def acting(self, principal: Principal, *, catch_up: bool = True) -> Iterator[Principal]:
        """Commands inside run as `principal`; on normal exit the read models catch up."""
        with acting_as(principal):
            yield principal
        if catch_up:
            self.catch_up()

    def _now(self) -> int:
        return int(self.clock.now().timestamp())

    # -- lifetime ----------------------------------------------------------------------

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> House:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def open_house(
    url: str | None = None,
    *,
    create: bool = False,
    clock: Clock | None = None,
    blob_dir: Path | None = None,
    policy: DeadlinePolicy | None = None,
) -> House:
    """Open the store at `url` (else RECTIFY_DB, else the default file) and wire it."""
    store = open_store(url, create=create)
    try:
        house = House(store=store, clock=clock or SystemClock(), policy=policy or DeadlinePolicy())
        app = store.app
        app.deadline_policy = house.policy
        app.clock = house.clock
        app.evidence_max_size = evidence_max_size()
        app.set_blob_store(
            FileBlobStore(blob_dir or blob_dir_for(store), max_size=app.evidence_max_size)
        )
    except BaseException:
        store.close()
        raise
    return house
