"""The sealing recorder: one event or many, the chain is the one `verify` recomputes, and
the checkpoint a command leaves is its own committed link."""

from __future__ import annotations

from uuid import uuid4

import pytest
from eventsourcing.persistence import StoredEvent

from rectify.bootstrap import House, checkpoints
from rectify.domain.errors import ConcurrencyConflict
from rectify.domain.finding import Finding
from rectify.domain.identity import Principal, Role
from rectify.projections import seal
from tests.projections.test_store import record_sample

BUREAU = Principal("bureau-test", Role.BUREAU)


def test_single_and_batched_saves_chain_as_verify_recomputes(house: House) -> None:
    with house.acting(BUREAU):
        record_sample(house, 2)  # one event per save
        findings = [
            house.findings.new_finding(
                ref=f"D1/2024/b{i}",
                department_code="D1",
                fiscal_year=2024,
                category="预算管理",
                title="批量",
                description="说明",
            )
            for i in range(3)
        ]
        house.services.app.save_all(*findings)  # three events in one save
    with house.store.engine.connect() as conn:
        result = seal.verify(conn, house.store.events)
        head = seal.checkpoint(conn)
    assert result.ok and result.checked == 6
    assert house.store.last_sealed() == head


def test_a_refused_save_leaves_the_last_committed_link(house: House) -> None:
    with house.acting(BUREAU):
        record_sample(house, 1)
    committed = house.store.last_sealed()
    assert committed is not None and committed.position == 2
    app = house.services.app
    stale: Finding = app.repository.get(Finding.create_id("D1/2024/00"))
    with house.acting(BUREAU):
        house.findings.withdraw_finding("D1/2024/00", "先到")
        stale.withdraw("后到")
        with pytest.raises(ConcurrencyConflict):
            app.save_all(stale)
    after = house.store.last_sealed()
    assert after is not None and after.position == 3  # the first withdrawal, not the refused one
    with house.store.engine.connect() as conn:
        assert seal.checkpoint(conn) == after
    assert checkpoints.save(house.store, house.clock.now()) == after


def test_the_servers_link_is_the_one_verify_recomputes(house: House) -> None:
    """pg_record computes the link in SQL on PostgreSQL (SQLite: the Python path); a
    multi-byte topic, an empty state and every byte value must chain as seal.next_link."""
    recorder = house.services.app.recorder
    odd = [
        StoredEvent(uuid4(), 1, "rectify/测试.事件", b""),
        StoredEvent(uuid4(), 1, "t", bytes(range(256)) * 3),
    ]
    for event in odd:
        recorder.insert_events([event])  # one event, no transaction: the pipelined path
    with house.store.engine.connect() as conn:
        result = seal.verify(conn, house.store.events)
        head = seal.checkpoint(conn)
    assert result.ok and result.checked == 2
    assert house.store.last_sealed() == head
