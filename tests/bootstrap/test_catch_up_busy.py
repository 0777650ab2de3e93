"""A command does not queue behind another process's catch-up (PostgreSQL): it returns,
and whoever reads next catches up first, so no reader sees the log without it."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select, text

from rectify.bootstrap import open_house
from rectify.domain.application import finding_fields
from rectify.domain.clock import FixedClock
from rectify.domain.identity import Principal, Role
from rectify.projections.findings import findings
from rectify.projections.positions import RUNNER_LOCK_KEY, projector_lock_key
from tests.conftest import TEST_DAY
from tests.projections.test_store import record_sample

BUREAU = Principal("bureau-test", Role.BUREAU)


def test_a_command_skips_a_busy_catch_up_and_the_next_read_catches_up(
    pg_url: str, tmp_path: Path
) -> None:
    house = open_house(pg_url, create=True, clock=FixedClock.on(TEST_DAY), blob_dir=tmp_path)
    with house, house.store.engine.connect() as other:
        with house.acting(BUREAU):
            record_sample(house, 1)
        # another process is catching up: it holds the findings projector's lock
        other.execute(
            text("SELECT pg_advisory_xact_lock(:key, :projector)"),
            {"key": RUNNER_LOCK_KEY, "projector": projector_lock_key("findings")},
        )
        with house.acting(BUREAU):  # returns although the lock is held
            house.services.app.save_all(
                house.findings.new_finding(
                    **finding_fields(
                        ref="D1/2024/09",
                        department_code="D1",
                        fiscal_year=2024,
                        category="预算管理",
                        title="又一个",
                        description="说明",
                    )
                )
            )
        with house.store.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(findings)).scalar_one() == 1
        other.rollback()  # that catch-up ends
        with house.acting(BUREAU):
            assert len(house.queries.list_findings()) == 2  # the read caught up first
        with house.store.engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(findings)).scalar_one() == 2


def test_without_contention_a_command_leaves_the_read_models_caught_up(house: object) -> None:
    from rectify.bootstrap import House

    assert isinstance(house, House)
    with house.acting(BUREAU):
        record_sample(house, 2)
    assert house.store.up_to_date()
