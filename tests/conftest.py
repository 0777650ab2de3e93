"""Shared fixtures: a real SQLite file and a real PostgreSQL database per test.

PostgreSQL is not optional: a test run without it fails rather than skips
(`.ci/run` starts the server when it is down). Each test gets its own database,
dropped afterwards, so tests and parallel sessions never see each other's events.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import psycopg
import pytest

from rectify.bootstrap import House, open_house
from rectify.domain.clock import FixedClock
from rectify.domain.identity import Principal, Role, acting_as

PG_ADMIN = os.environ.get("RECTIFY_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_BASE = os.environ.get("RECTIFY_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")

EXAMPLES = Path(__file__).resolve().parents[1] / "src" / "rectify" / "examples"
WEIBIN = EXAMPLES / "weibin-2024.evaluation.json"
ZHENGZHOU = EXAMPLES / "zhengzhou-service-2021.evaluation.json"


def _create_pg_database() -> str:
    name = f"rectify_t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name


def _drop_pg_database(name: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(autouse=True)
def _checkpoint_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Seal checkpoints go to the test's own directory, never to the real state dir."""
    monkeypatch.setenv("RECTIFY_CHECKPOINT_FILE", str(tmp_path / "checkpoints.log"))


@pytest.fixture
def pg_url() -> Iterator[str]:
    name = _create_pg_database()
    try:
        yield f"{PG_BASE}/{name}"
    finally:
        _drop_pg_database(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The same test on a SQLite file and on the PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'rectify.db'}"
        return
    name = _create_pg_database()
    try:
        yield f"{PG_BASE}/{name}"
    finally:
        _drop_pg_database(name)


@pytest.fixture
def store(db_url: str) -> Iterator[object]:
    from rectify.projections.store import open_store

    opened = open_store(db_url, create=True)
    try:
        yield opened
    finally:
        opened.close()


TEST_DAY = date(2025, 3, 3)


def _open_test_house(url: str, tmp_path: Path) -> House:
    house = open_house(url, create=True, clock=FixedClock.on(TEST_DAY), blob_dir=tmp_path / "blobs")
    house.people.password_cost_n = 2**10  # fast hashing for tests
    return house


@pytest.fixture
def house(db_url: str, tmp_path: Path) -> Iterator[House]:
    """A House (rectify.bootstrap) on each backend: the store created, blobs in tmp_path,
    the clock standing at 2025-03-03 09:00 Beijing time."""
    with _open_test_house(db_url, tmp_path) as opened:
        yield opened


@pytest.fixture
def sqlite_house(tmp_path: Path) -> Iterator[House]:
    """The same on a SQLite file only, for rules that do not depend on the backend."""
    with _open_test_house(f"sqlite:///{tmp_path / 'rectify.db'}", tmp_path) as opened:
        yield opened


@pytest.fixture
def bureau_house(house: House) -> Iterator[House]:
    """The house with a bureau principal acting (read models caught up on exit)."""
    with house.acting(Principal("bureau-test", Role.BUREAU)):
        yield house


@pytest.fixture
def bureau() -> Iterator[Principal]:
    with acting_as(Principal("bureau-test", Role.BUREAU)) as principal:
        yield principal
