"""A small generated province, caught up, for the rebuild tests of this folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rectify.bootstrap import House, open_house
from rectify.bootstrap.generator import generate
from rectify.domain.identity import Principal, Role, acting_as
from rectify.domain.schedule_policy import Policy


@pytest.fixture
def province(db_url: str, tmp_path: Path) -> Iterator[House]:
    """Its log ends in two changes of the deadline policy: their batch re-plans the
    findings it holds in memory, and the rest in SQL."""
    house = open_house(db_url, create=True, blob_dir=tmp_path / "blobs")
    generate(house.store.app, 3000, seed=5, departments=3, first_year=2022, years=2)
    with acting_as(Principal("bureau-test", Role.BUREAU)):
        policy = Policy(settings={"deadline.phased": "60"}, reason="试行")
        house.store.app.save_all(policy)
        policy.change({"first_report_days": "45"}, reason="加快首次报告")
        house.store.app.save_all(policy)
    house.catch_up()
    try:
        yield house
    finally:
        house.close()
