"""Login sessions: only a token's hash is stored, and it can be voided."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from rectify.domain.application import RectifyApp
from rectify.domain.identity import Principal, Role, acting_as


@pytest.fixture
def app(tmp_path: Path) -> RectifyApp:
    application = RectifyApp(env={"SQLALCHEMY_URL": f"sqlite:///{tmp_path / 't.db'}", "CREATE_TABLE": "yes"})
    application.password_cost_n = 2**10  # fast hashing for tests
    return application


def test_session_token_is_never_stored_and_can_be_voided(app: RectifyApp) -> None:
    admin = app.bootstrap_first_user("admin", "first-password-1", "管理员")
    later = int(time.time()) + 3600
    token = app.open_session(admin, later)
    assert app.principal_for_session("admin", token, int(time.time())) == admin
    stored = b"".join(n.state for n in app.recorder.select_notifications(start=None, limit=100))
    assert token.encode() not in stored  # only its sha256 is in the log
    assert app.principal_for_session("admin", token + "x", int(time.time())) is None
    assert app.principal_for_session("admin", token, later + 1) is None  # expired

    app.close_session("admin", token)
    assert app.principal_for_session("admin", token, int(time.time())) is None

    second = app.open_session(admin, later)
    with acting_as(admin):
        app.change_password("admin", "second-password-2", old_password="first-password-1")
    assert app.principal_for_session("admin", second, int(time.time())) is None


def test_disabling_a_user_ends_their_sessions(app: RectifyApp) -> None:
    admin = app.bootstrap_first_user("admin", "first-password-1", "管理员")
    with acting_as(admin):
        app.add_user("clerk", Role.EVALUATOR, "clerk-password-1", "评价员")
    clerk = Principal("clerk", Role.EVALUATOR)
    token = app.open_session(clerk, int(time.time()) + 3600)
    with acting_as(admin):
        app.disable_user("clerk", reason="离职")
    assert app.principal_for_session("clerk", token, int(time.time())) is None
