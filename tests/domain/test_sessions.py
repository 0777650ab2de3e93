"""Login sessions: only a token's hash is stored, and it can be voided."""

from __future__ import annotations

import time

from rectify.bootstrap import House
from rectify.domain.identity import Principal, Role, acting_as


def test_session_token_is_never_stored_and_can_be_voided(house: House) -> None:
    admin = house.people.bootstrap_first_user("admin", "first-password-1", "管理员")
    later = int(time.time()) + 3600
    token = house.people.open_session(admin, later)
    assert house.people.principal_for_session("admin", token, int(time.time())) == admin
    stored = b"".join(
        n.state for n in house.store.app.recorder.select_notifications(start=None, limit=100)
    )
    assert token.encode() not in stored  # only its sha256 is in the log
    assert house.people.principal_for_session("admin", token + "x", int(time.time())) is None
    assert house.people.principal_for_session("admin", token, later + 1) is None  # expired

    house.people.close_session("admin", token)
    assert house.people.principal_for_session("admin", token, int(time.time())) is None

    second = house.people.open_session(admin, later)
    with acting_as(admin):
        house.people.change_password("admin", "second-password-2", old_password="first-password-1")
    assert house.people.principal_for_session("admin", second, int(time.time())) is None


def test_disabling_a_user_ends_their_sessions(house: House) -> None:
    admin = house.people.bootstrap_first_user("admin", "first-password-1", "管理员")
    with acting_as(admin):
        house.people.add_user("clerk", Role.EVALUATOR, "clerk-password-1", "评价员")
    clerk = Principal("clerk", Role.EVALUATOR)
    token = house.people.open_session(clerk, int(time.time()) + 3600)
    with acting_as(admin):
        house.people.disable_user("clerk", reason="离职")
    assert house.people.principal_for_session("clerk", token, int(time.time())) is None
