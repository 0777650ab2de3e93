"""The seal catches every kind of tampering with stored events, on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection, func, select, update

from rectify.bootstrap import House
from rectify.domain.errors import InvalidInput
from rectify.projections import seal
from rectify.projections.projector import RawEvent, as_bytes
from rectify.projections.store import Store
from tests.projections.test_store import record_sample


@pytest.fixture
def sealed(house: House, bureau: object) -> Store:
    record_sample(house, 5)  # 6 events
    house.catch_up()
    return house.store


def verify(store: Store, checkpoint: seal.Checkpoint | None = None) -> seal.VerifyResult:
    with store.engine.connect() as conn:
        return seal.verify(conn, store.events, checkpoint)


def state_of(conn: Connection, store: Store, notification_id: int) -> bytes:
    return bytes(
        conn.execute(
            select(store.events.c.state).where(store.events.c.id == notification_id)
        ).scalar_one()
    )


def test_intact_log_verifies(sealed: Store) -> None:
    result = verify(sealed)
    assert result.ok and result.checked == 6 and result.sealed_position == 6


def test_altering_one_byte_names_that_event(sealed: Store) -> None:
    with sealed.engine.begin() as conn:
        state = bytearray(state_of(conn, sealed, 4))
        state[-3] ^= 0x01
        conn.execute(
            update(sealed.events).where(sealed.events.c.id == 4).values(state=bytes(state))
        )
    result = verify(sealed)
    assert not result.ok and result.first_bad_id == 4
    assert "修改" in (result.problem or "")


def test_altering_the_topic_is_caught(sealed: Store) -> None:
    with sealed.engine.begin() as conn:
        conn.execute(
            update(sealed.events)
            .where(sealed.events.c.id == 2)
            .values(topic="rectify/Finding.Forged")
        )
    assert verify(sealed).first_bad_id == 2


def test_removed_event_is_named(sealed: Store) -> None:
    with sealed.engine.begin() as conn:
        conn.execute(sealed.events.delete().where(sealed.events.c.id == 3))
    result = verify(sealed)
    assert not result.ok and result.first_bad_id == 3 and "删除" in (result.problem or "")


def test_removed_tail_is_caught(sealed: Store) -> None:
    with sealed.engine.begin() as conn:
        conn.execute(sealed.events.delete().where(sealed.events.c.id == 6))
    assert verify(sealed).first_bad_id == 6


def test_event_replaced_under_a_freed_id_is_named(sealed: Store) -> None:
    with sealed.engine.begin() as conn:
        row = conn.execute(select(sealed.events).where(sealed.events.c.id == 3)).one()
        conn.execute(sealed.events.delete().where(sealed.events.c.id == 3))
        conn.execute(
            sealed.events.insert().values(
                id=3,
                originator_id=row.originator_id,
                originator_version=row.originator_version,
                topic=row.topic,
                state=bytes(row.state).replace("问题".encode(), "伪造".encode()),
            )
        )
    assert verify(sealed).first_bad_id == 3


def test_event_inserted_into_a_gap_is_named(house: House, bureau: object) -> None:
    record_sample(house, 5)
    store = house.store
    with store.engine.begin() as conn:
        row = conn.execute(select(store.events).where(store.events.c.id == 6)).one()
        conn.execute(seal.seal_links.delete().where(seal.seal_links.c.notification_id == 6))
        conn.execute(update(store.events).where(store.events.c.id == 6).values(id=10))
        conn.execute(
            store.events.insert().values(
                id=7,
                originator_id=row.originator_id,
                originator_version=99,
                topic=row.topic,
                state=bytes(row.state),
            )
        )
    result = verify(store)
    assert not result.ok and result.first_bad_id == 7 and "没有封存链接" in (result.problem or "")


def test_reordered_events_are_caught(sealed: Store) -> None:
    # Swap two events' positions via a temporary id.
    with sealed.engine.begin() as conn:
        conn.execute(update(sealed.events).where(sealed.events.c.id == 2).values(id=1000))
        conn.execute(update(sealed.events).where(sealed.events.c.id == 3).values(id=2))
        conn.execute(update(sealed.events).where(sealed.events.c.id == 1000).values(id=3))
    assert verify(sealed).first_bad_id == 2


def reseal_from_scratch(store: Store) -> None:
    """What a forger with write access would do after rewriting events."""
    with store.engine.begin() as conn:
        conn.execute(seal.seal_links.delete())
        head = seal.GENESIS
        for row in conn.execute(select(store.events).order_by(store.events.c.id)).all():
            head = seal.chain(
                head,
                RawEvent(
                    int(row.id),
                    row.originator_id,
                    int(row.originator_version),
                    row.topic,
                    as_bytes(row.state),
                ),
            )
            conn.execute(
                seal.seal_links.insert().values(notification_id=int(row.id), link=head.hex())
            )


def test_checkpoint_proves_extension_and_catches_rewrites(sealed: Store, bureau: object) -> None:
    with sealed.engine.connect() as conn:
        mark = seal.checkpoint(conn)
    assert mark.position == 6
    sealed.app.save_all(sealed.app.department_for("D2", "乙局", None))
    sealed.catch_up()
    assert verify(sealed, mark).ok
    assert verify(sealed, seal.Checkpoint.parse(str(mark))).ok
    # Rewrite history consistently (events AND seal) — only the checkpoint notices.
    with sealed.engine.begin() as conn:
        state = bytearray(state_of(conn, sealed, 5))
        state[-3] ^= 0x01
        conn.execute(
            update(sealed.events).where(sealed.events.c.id == 5).values(state=bytes(state))
        )
    reseal_from_scratch(sealed)
    assert verify(sealed).ok  # the forger re-sealed...
    result = verify(sealed, mark)
    assert not result.ok and result.first_bad_id == 6  # ...but the old checkpoint disagrees
    beyond = seal.Checkpoint(500, mark.head)
    assert not verify(sealed, beyond).ok


def test_checkpoint_syntax_errors_are_clear() -> None:
    with pytest.raises(InvalidInput, match="检查点格式错误"):
        seal.Checkpoint.parse("12-abc")


def test_sealed_count_matches_event_count(sealed: Store) -> None:
    with sealed.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(seal.seal_links)).scalar_one() == 6
