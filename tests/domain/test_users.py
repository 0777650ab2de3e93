"""Users: scrypt hashes, the first-user bootstrap, adding users, logging in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rectify.domain.application import RectifyApp
from rectify.domain.errors import ConcurrencyConflict, InvalidInput, NotAllowed
from rectify.domain.identity import Principal, Role, acting_as
from rectify.domain.passwords import PasswordHash
from rectify.domain.user import User

FAST_N = 2**8


@pytest.fixture
def app(tmp_path: Path) -> Iterator[RectifyApp]:
    app = RectifyApp(env={"SQLALCHEMY_URL": f"sqlite:///{tmp_path}/t.db", "CREATE_TABLE": "yes"})
    app.password_cost_n = FAST_N
    yield app
    app.close()


def test_password_hash_roundtrip_and_format() -> None:
    h = PasswordHash.create("correct horse", n=FAST_N)
    scheme, n, r, p, salt, key = h.encoded.split("$")
    assert (scheme, n, r, p) == ("scrypt", str(FAST_N), "8", "1")
    assert h.verify("correct horse")
    assert not h.verify("correct horsE")
    # Random salt: same password, different hash.
    assert PasswordHash.create("correct horse", n=FAST_N).encoded != h.encoded
    assert "***" in repr(h) and key not in repr(h)
    with pytest.raises(InvalidInput, match="格式"):
        PasswordHash.parse("md5$abc")


def test_default_cost_is_slow_kdf() -> None:
    h = PasswordHash.create("12345678")
    assert h.encoded.startswith("scrypt$32768$8$1$")
    assert not h.needs_rehash


def test_bootstrap_only_once(app: RectifyApp, tmp_path: Path) -> None:
    assert not app.has_users()
    principal = app.bootstrap_first_user("admin", "s3cret-pass", "管理员")
    assert principal == Principal("admin", Role.BUREAU)
    assert app.user_names() == ["admin"]
    with pytest.raises(NotAllowed, match="已有用户"):
        app.bootstrap_first_user("other", "s3cret-pass", "x")
    # A second application on the same file sees it too.
    other = RectifyApp(env={"SQLALCHEMY_URL": f"sqlite:///{tmp_path}/t.db"})
    try:
        assert other.has_users()
    finally:
        other.close()


def test_concurrent_bootstraps_collide(app: RectifyApp, tmp_path: Path) -> None:
    # Both check "no users yet" before either saves: the directory's version clashes.
    racer = RectifyApp(env={"SQLALCHEMY_URL": f"sqlite:///{tmp_path}/t.db"})
    racer.password_cost_n = FAST_N
    try:
        real_has_users = racer.has_users
        racer.has_users = lambda: False  # type: ignore[method-assign]
        app.bootstrap_first_user("admin", "s3cret-pass", "管理员")
        with pytest.raises(ConcurrencyConflict):
            racer.bootstrap_first_user("intruder", "s3cret-pass", "x")
        assert real_has_users()
        assert app.user_names() == ["admin"]
    finally:
        racer.close()


def test_add_user_bureau_only(app: RectifyApp) -> None:
    admin = app.bootstrap_first_user("admin", "s3cret-pass", "管理员")
    with acting_as(admin):
        app.save_all(app.department_for("D01", "教育局", None))
        app.add_user("zhang", Role.DEPARTMENT, "dept-pass-1", "张三", department_code="D01")
        app.add_user("eval", Role.EVALUATOR, "eval-pass-1", "评价组")
        with pytest.raises(InvalidInput, match="已存在"):
            app.add_user("ZHANG", Role.AUDITOR, "whatever-1", "x")
        with pytest.raises(InvalidInput, match="必须指定部门"):
            app.add_user("li", Role.DEPARTMENT, "dept-pass-1", "李四")
        with pytest.raises(InvalidInput, match="只有部门用户"):
            app.add_user("li", Role.AUDITOR, "dept-pass-1", "李四", department_code="D01")
        with pytest.raises(InvalidInput, match="不能登录"):
            app.add_user("bot", Role.SYSTEM, "dept-pass-1", "bot")
        with pytest.raises(InvalidInput, match="太短"):
            app.add_user("li", Role.AUDITOR, "short", "李四")
    for who in (Principal("eval", Role.EVALUATOR), Principal("zhang", Role.DEPARTMENT, "D01")):
        with acting_as(who), pytest.raises(NotAllowed, match="只有财政局"):
            app.add_user("x1", Role.AUDITOR, "long-enough", "x")
    assert app.user_names() == ["admin", "zhang", "eval"]
    zhang = app.get_user("zhang")
    assert isinstance(zhang, User)
    assert zhang.department_code == "D01"
    assert "dept-pass-1" not in zhang.password_hash


def test_authenticate(app: RectifyApp) -> None:
    admin = app.bootstrap_first_user("admin", "s3cret-pass", "管理员")
    with acting_as(admin):
        app.save_all(app.department_for("D01", "教育局", None))
        app.add_user("zhang", Role.DEPARTMENT, "dept-pass-1", "张三", department_code="D01")
    assert app.authenticate("zhang", "dept-pass-1") == Principal("zhang", Role.DEPARTMENT, "D01")
    with pytest.raises(NotAllowed) as wrong_password:
        app.authenticate("zhang", "nope-nope")
    with pytest.raises(NotAllowed) as no_such_user:
        app.authenticate("nobody", "nope-nope")
    with pytest.raises(NotAllowed) as empty:
        app.authenticate("", "nope-nope")
    assert wrong_password.value.message == no_such_user.value.message == empty.value.message
    assert "zhang" not in wrong_password.value.message

    with acting_as(admin):
        with pytest.raises(NotAllowed, match="不能停用自己"):
            app.disable_user("admin", "x")
        app.disable_user("zhang", "调岗")
    with pytest.raises(NotAllowed) as disabled_wrong:
        app.authenticate("zhang", "nope-nope")
    assert disabled_wrong.value.message == no_such_user.value.message
    with pytest.raises(NotAllowed, match="已停用"):
        app.authenticate("zhang", "dept-pass-1")
    with acting_as(admin):
        app.enable_user("zhang", "返岗")
    assert app.authenticate("zhang", "dept-pass-1").name == "zhang"


def test_change_password(app: RectifyApp) -> None:
    admin = app.bootstrap_first_user("admin", "s3cret-pass", "管理员")
    with acting_as(admin):
        app.add_user("eval", Role.EVALUATOR, "eval-pass-1", "评价组")
    me = Principal("eval", Role.EVALUATOR)
    with acting_as(me):
        with pytest.raises(NotAllowed, match="原密码不正确"):
            app.change_password("eval", "new-pass-123", old_password="wrong-one")
        app.change_password("eval", "new-pass-123", old_password="eval-pass-1")
        with pytest.raises(NotAllowed, match="只有财政局"):
            app.change_password("admin", "hijacked-1")
    assert app.authenticate("eval", "new-pass-123") == me
    with acting_as(admin):
        app.change_password("eval", "reset-pass-1")
        app.change_user_role("eval", Role.AUDITOR, "转为审计只读")
    assert app.authenticate("eval", "reset-pass-1") == Principal("eval", Role.AUDITOR)
