"""User snapshots (projections/snapshots.py): loading from one is replaying, on both
backends; a stale, unreadable or misplaced snapshot never grants a session; the seal
and the rebuild do not read them."""

from __future__ import annotations

import time
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import delete, func, insert, select, update

from rectify.bootstrap import House
from rectify.domain.errors import NotAllowed
from rectify.domain.identity import Principal, Role, acting_as
from rectify.domain.services.people import token_digest
from rectify.domain.user import User
from rectify.projections import seal
from rectify.projections.event_table import read_aggregate
from rectify.projections.snapshots import read_snapshotted, snapshots_table

PASSWORD = "Correct-Horse-9"
FAR = 2_000_000_000  # session expiry (2033)
NOW = 1_800_000_000


def chief(house: House) -> Principal:
    return house.people.bootstrap_first_user("chief", PASSWORD, "科长")


def replayed(house: House, user_id: UUID) -> Any:
    with house.store.engine.connect() as conn:
        return read_aggregate(conn, house.store.mapper, user_id)


def from_snapshot(house: House, user_id: UUID) -> Any:
    with house.store.engine.connect() as conn:
        return read_snapshotted(conn, house.store.mapper, user_id)


def snapshot_versions(house: House) -> list[int]:
    with house.store.engine.connect() as conn:
        column = snapshots_table.c.originator_version
        return list(conn.execute(select(column).order_by(column)).scalars())


def test_a_user_loaded_from_its_snapshot_is_the_user_replayed(house: House) -> None:
    me = chief(house)
    people = house.people
    tokens = []
    for n in range(330):
        tokens.append(people.open_session(me, FAR + n))
        if n % 7 == 0:
            people.close_session("chief", tokens[n // 2])
        if n == 150:
            with acting_as(me):
                people.change_password("chief", "Another-Horse-7", PASSWORD)
        if n == 200:
            for _ in range(5):  # the lockout's events, then an unlock
                with pytest.raises(NotAllowed):
                    people.authenticate("chief", "wrong")
            with acting_as(me):
                people.unlock_user("chief", "本人")
    user_id = User.create_id("chief")
    full = replayed(house, user_id)
    assert full.version > 300
    assert snapshot_versions(house) == list(range(100, full.version + 1, 100))
    loaded = from_snapshot(house, user_id)
    assert vars(loaded) == vars(full)
    assert loaded.sessions and loaded.locked_until == 0 and loaded.failures == []
    # Every session the replay grants, the snapshot load grants; no other.
    for token in tokens:
        assert people.principal_for_session("chief", token, NOW) == (
            me if full.session_valid(token_digest(token), NOW) else None
        )


def test_a_snapshot_older_than_a_logout_does_not_bring_the_session_back(house: House) -> None:
    me = chief(house)
    people = house.people
    tokens = [people.open_session(me, FAR) for _ in range(99)]  # version 100: a snapshot
    assert snapshot_versions(house) == [100]
    people.close_session("chief", tokens[0])  # logged out after the snapshot
    assert people.principal_for_session("chief", tokens[0], NOW) is None
    assert people.principal_for_session("chief", tokens[1], NOW) == me
    with acting_as(me):
        people.add_user("other", Role.BUREAU, PASSWORD, "另一位")
    with acting_as(people.authenticate("other", PASSWORD)):
        people.disable_user("chief", "离职")
    assert people.principal_for_session("chief", tokens[1], NOW) is None
    assert from_snapshot(house, me_id := User.create_id("chief")).disabled
    assert vars(from_snapshot(house, me_id)) == vars(replayed(house, me_id))


def test_a_snapshot_that_does_not_follow_the_log_is_not_used(house: House) -> None:
    me = chief(house)
    people = house.people
    # (Outside House.acting events carry the wall clock's time: each its own.)
    tokens = [people.open_session(me, FAR) for _ in range(99)]
    people.close_session("chief", tokens[0])
    user_id = User.create_id("chief")
    with house.store.engine.begin() as conn:
        row = conn.execute(select(snapshots_table)).one()._asdict()
        # The old snapshot (session open) claims the logout's version: its time is not
        # that event's, so it is not used.
        conn.execute(insert(snapshots_table), {**row, "originator_version": 101})
    assert people.principal_for_session("chief", tokens[0], NOW) is None
    with house.store.engine.begin() as conn:
        # One past the end of the log (a log cut or restored behind it).
        conn.execute(insert(snapshots_table), {**row, "originator_version": 500})
    assert people.principal_for_session("chief", tokens[0], NOW) is None
    with house.store.engine.begin() as conn:
        conn.execute(update(snapshots_table).values(state=b"\x00not json"))
    assert people.principal_for_session("chief", tokens[0], NOW) is None
    assert people.principal_for_session("chief", tokens[1], NOW) == me
    assert vars(from_snapshot(house, user_id)) == vars(replayed(house, user_id))


def test_the_seal_and_the_rebuild_do_not_read_snapshots(house: House) -> None:
    me = chief(house)
    token = None
    for _ in range(120):
        token = house.people.open_session(me, FAR)
    assert token is not None
    house.catch_up()
    with house.store.engine.begin() as conn:
        assert conn.execute(select(func.count()).select_from(snapshots_table)).scalar_one() == 1
        conn.execute(update(snapshots_table).values(state=b"garbage"))
        assert seal.verify(conn, house.store.events).ok
        conn.execute(delete(snapshots_table))
        assert seal.verify(conn, house.store.events).ok
    assert house.store.runner.rebuild() > 0
    assert house.people.principal_for_session("chief", token, NOW) == me


def test_a_snapshot_leaves_out_sessions_long_expired_and_grants_what_the_replay_grants(
    house: House,
) -> None:
    me = chief(house)
    people = house.people
    wall = int(time.time())  # outside House.acting, events carry the wall clock's time
    long_expired = [people.open_session(me, 1_000_000_000 + n) for n in range(150)]
    lately_expired = people.open_session(me, wall - 3600)  # within SESSION_GRACE
    live = [people.open_session(me, FAR + n) for n in range(48)]  # version 200: a snapshot
    assert snapshot_versions(house) == [100, 200]
    user_id = User.create_id("chief")
    loaded, full = from_snapshot(house, user_id), replayed(house, user_id)
    assert len(full.sessions) == 199  # the aggregate itself keeps every session
    kept = {token_digest(t) for t in [lately_expired, *live]}
    assert set(loaded.sessions) == kept  # the snapshot: the live and the lately expired
    assert {k: v for k, v in vars(loaded).items() if k != "sessions"} == {
        k: v for k, v in vars(full).items() if k != "sessions"
    }
    for now in (wall - 7200, wall, NOW):
        for token in [*long_expired, lately_expired, *live]:
            granted = people.principal_for_session("chief", token, now)
            assert granted == (me if full.session_valid(token_digest(token), now) else None)
    assert people.principal_for_session("chief", live[0], NOW) == me
    assert people.principal_for_session("chief", lately_expired, wall - 7200) == me
