"""The House: one opened store with everything an entry point needs, wired once."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from rectify.bootstrap import checkpoints, login
from rectify.bootstrap.catching_up import catch_up_after_save
from rectify.bootstrap.records import StoreRecords
from rectify.domain.base import recording_with
from rectify.domain.clock import Clock, FixedClock, SystemClock
from rectify.domain.deadlines import DeadlinePolicy
from rectify.domain.errors import InvalidInput
from rectify.domain.identity import Principal, acting_as
from rectify.domain.parsing import parse_date
from rectify.projections.store import Store, describe, open_store

if TYPE_CHECKING:
    from rectify.bootstrap.queries import Queries
    from rectify.domain.services import (
        CommentService,
        EvaluationService,
        EvidenceService,
        FindingService,
        MonitoringService,
        PeopleService,
        ResultService,
        ScheduleService,
        Services,
        TargetService,
    )

# Same as rectify.domain.evidence.DEFAULT_MAX_SIZE (tests/bootstrap/test_house.py), which
# is not imported here: the evidence aggregate loads with the services, when one acts.
DEFAULT_MAX_SIZE = 50 * 1024 * 1024

BLOB_DIR_ENV = "RECTIFY_BLOB_DIR"
MAX_BYTES_ENV = "RECTIFY_EVIDENCE_MAX_BYTES"
# Fixes the house clock's day: reproducible overdue figures, reports as of a day.
TODAY_ENV = "RECTIFY_TODAY"


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
    from platformdirs import user_data_dir  # here: only a default path needs it (~5 ms)

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


def clock_from_environment() -> Clock:
    day = parse_date(os.environ.get(TODAY_ENV) or None, TODAY_ENV)
    return FixedClock.on(day) if day is not None else SystemClock()


@dataclass
class House:
    """Lazy: a query reads the store's engine and logs in through `people` (which reads
    users from the event table); the Application and every other service are built
    when something first uses `services` (a command, an import)."""

    store: Store
    clock: Clock
    policy: DeadlinePolicy
    blob_dir: Path
    evidence_max_size: int = DEFAULT_MAX_SIZE
    _services: Services | None = field(default=None, init=False, repr=False)
    _people: PeopleService | None = field(default=None, init=False, repr=False)
    # A command's catch-up found another process catching up and did not wait for it.
    _lagging: bool = field(default=False, init=False, repr=False)

    # -- the application services (one RectifyApp underneath) --------------------------

    @property
    def services(self) -> Services:
        if self._services is None:
            from rectify.domain.evidence import FileBlobStore
            from rectify.domain.services.bundle import Services

            self._services = Services.build(
                self.store.app,
                clock=self.clock,
                policy=self.policy,
                blob_store=FileBlobStore(self.blob_dir, max_size=self.evidence_max_size),
                evidence_max_size=self.evidence_max_size,
                people=self.people,
            )
        return self._services

    @property
    def findings(self) -> FindingService:
        return self.services.findings

    @property
    def evaluations(self) -> EvaluationService:
        return self.services.evaluations

    @property
    def evidence(self) -> EvidenceService:
        return self.services.evidence

    @property
    def people(self) -> PeopleService:
        """Users and sessions; the same object as `services.people`."""
        if self._people is None:
            from rectify.domain.services.people import PeopleService

            self._people = PeopleService(StoreRecords(self.store), self.clock)
        return self._people

    @property
    def schedule(self) -> ScheduleService:
        """The clock's policy and occurrences (rectify.scheduler records through it)."""
        return self.services.schedule

    @property
    def targets(self) -> TargetService:
        """绩效目标: declare, revise, note another version."""
        return self.services.targets

    @property
    def monitoring(self) -> MonitoringService:
        """绩效监控: plans, reports, warnings → findings, overdue marks (the scheduler's hook)."""
        return self.services.monitoring

    @property
    def comments(self) -> CommentService:
        """征求意见: the comment round on a draft evaluation."""
        return self.services.comments

    @property
    def results(self) -> ResultService:
        """结果应用: the grade → budget consequence policy and each decision."""
        return self.services.results

    @property
    def queries(self) -> Queries:
        """Read models, scoped to the acting principal, "today" from the clock."""
        from rectify.bootstrap.queries import Queries  # every read model's queries: on use

        if self._lagging:
            catch_up_after_save(self.catch_up)  # this house's own commands first
        return Queries(self.store.engine, self.clock)

    @property
    def label(self) -> str:
        """The store's address without its password (session key, messages)."""
        return describe(self.store.url)

    # -- read models -------------------------------------------------------------------

    def catch_up(self) -> int:
        """Apply every new event (waiting for another process's catch-up to finish)."""
        applied = self.store.catch_up()
        self._lagging = False
        return applied

    def _catch_up_after_command(self) -> int:
        """Without waiting: if another process is catching up, it or the next reader
        (every query catches up first, waiting) applies this command's events."""
        applied = self.store.try_catch_up()
        if applied is None:
            self._lagging = True
            return 0
        return applied

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
        """Commands inside run as `principal`; on normal exit the read models catch up
        (unless another process is doing so right then: see _catch_up_after_command)."""
        with acting_as(principal), recording_with(self.clock):
            yield principal
        if catch_up:
            # Recorded is recorded: a busy database only delays the views (catching_up.py).
            catch_up_after_save(self._catch_up_after_command)
        # Outside the database, so a later cut-off tail fails `verify` (checkpoints.py).
        checkpoints.save(self.store, self.clock.now())

    @contextmanager
    def session(self, *, catch_up: bool = True) -> Iterator[Principal]:
        """`acting` as whoever is logged in (principal_from_environment)."""
        with self.acting(self.principal_from_environment(), catch_up=catch_up) as principal:
            yield principal

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
    outdated_ok: bool = False,
) -> House:
    """Open the store at `url` (else RECTIFY_DB, else the default file) and wire it."""
    store = open_store(url, create=create, outdated_ok=outdated_ok)
    try:
        return House(
            store=store,
            clock=clock or clock_from_environment(),
            policy=policy or DeadlinePolicy(),
            blob_dir=blob_dir or blob_dir_for(store),
            evidence_max_size=evidence_max_size(),
        )
    except BaseException:
        store.close()
        raise
