"""Users: scrypt hashes, the first-user bootstrap, adding users, logging in."""

from __future__ import annotations

from pathlib import Path

import pytest

from rectify.bootstrap import House, open_house
from rectify.domain.errors import ConcurrencyConflict, InvalidInput, NotAllowed
from rectify.domain.identity import Principal, Role, acting_as
from rectify.domain.passwords import PasswordHash
from rectify.domain.user import User

FAST_N = 2**8


@pytest.fixture
def house(sqlite_house: House) -> House:
    sqlite_house.people.password_cost_n = FAST_N
    return sqlite_house


def _same_store(house: House) -> House:
    """A second house on the same database, as another process would open it."""
    return open_house(house.store.url.render_as_string(hide_password=False))


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


def test_bootstrap_only_once(house: House, tmp_path: Path) -> None:
    assert not house.people.has_users()
    principal = house.people.bootstrap_first_user("admin", "s3cret-pass", "管理员")
    assert principal == Principal("admin", Role.BUREAU)
    assert house.people.user_names() == ["admin"]
    with pytest.raises(NotAllowed, match="已有用户"):
        house.people.bootstrap_first_user("other", "s3cret-pass", "x")
    # A second application on the same file sees it too.
    other = _same_store(house)
    try:
        assert other.people.has_users()
    finally:
        other.close()


def test_concurrent_bootstraps_collide(house: House, tmp_path: Path) -> None:
    # Both check "no users yet" before either saves: the directory's version clashes.
    racer_house = _same_store(house)
    racer = racer_house.people
    racer.password_cost_n = FAST_N
    try:
        real_has_users = racer.has_users
        racer.has_users = lambda: False  # type: ignore[method-assign]
        house.people.bootstrap_first_user("admin", "s3cret-pass", "管理员")
        with pytest.raises(ConcurrencyConflict):
            racer.bootstrap_first_user("intruder", "s3cret-pass", "x")
        assert real_has_users()
        assert house.people.user_names() == ["admin"]
    finally:
        racer_house.close()


def test_add_user_bureau_only(house: House) -> None:
    admin = house.people.bootstrap_first_user("admin", "s3cret-pass", "管理员")
    with acting_as(admin):
        house.services.app.save_all(house.findings.register_department("D01", "教育局", None))
        house.people.add_user(
            "zhang", Role.DEPARTMENT, "dept-pass-1", "张三", department_code="D01"
        )
        house.people.add_user("eval", Role.EVALUATOR, "eval-pass-1", "评价组")
        with pytest.raises(InvalidInput, match="已存在"):
            house.people.add_user("ZHANG", Role.AUDITOR, "whatever-1", "x")
        with pytest.raises(InvalidInput, match="必须指定部门"):
            house.people.add_user("li", Role.DEPARTMENT, "dept-pass-1", "李四")
        with pytest.raises(InvalidInput, match="只有部门用户"):
            house.people.add_user("li", Role.AUDITOR, "dept-pass-1", "李四", department_code="D01")
        with pytest.raises(InvalidInput, match="不能登录"):
            house.people.add_user("bot", Role.SYSTEM, "dept-pass-1", "bot")
        with pytest.raises(InvalidInput, match="太短"):
            house.people.add_user("li", Role.AUDITOR, "short", "李四")
    for who in (Principal("eval", Role.EVALUATOR), Principal("zhang", Role.DEPARTMENT, "D01")):
        with acting_as(who), pytest.raises(NotAllowed, match="只有财政局"):
            house.people.add_user("x1", Role.AUDITOR, "long-enough", "x")
    assert house.people.user_names() == ["admin", "zhang", "eval"]
    zhang = house.people.get_user("zhang")
    assert isinstance(zhang, User)
    assert zhang.department_code == "D01"
    stored = house.services.app.credential(zhang.id)
    assert stored is not None and "dept-pass-1" not in stored


def test_authenticate(house: House) -> None:
    admin = house.people.bootstrap_first_user("admin", "s3cret-pass", "管理员")
    with acting_as(admin):
        house.services.app.save_all(house.findings.register_department("D01", "教育局", None))
        house.people.add_user(
            "zhang", Role.DEPARTMENT, "dept-pass-1", "张三", department_code="D01"
        )
    assert house.people.authenticate("zhang", "dept-pass-1") == Principal(
        "zhang", Role.DEPARTMENT, "D01"
    )
    with pytest.raises(NotAllowed) as wrong_password:
        house.people.authenticate("zhang", "nope-nope")
    with pytest.raises(NotAllowed) as no_such_user:
        house.people.authenticate("nobody", "nope-nope")
    with pytest.raises(NotAllowed) as empty:
        house.people.authenticate("", "nope-nope")
    assert wrong_password.value.message == no_such_user.value.message == empty.value.message
    assert "zhang" not in wrong_password.value.message

    with acting_as(admin):
        with pytest.raises(NotAllowed, match="不能停用自己"):
            house.people.disable_user("admin", "x")
        house.people.disable_user("zhang", "调岗")
    with pytest.raises(NotAllowed) as disabled_wrong:
        house.people.authenticate("zhang", "nope-nope")
    assert disabled_wrong.value.message == no_such_user.value.message
    with pytest.raises(NotAllowed, match="已停用"):
        house.people.authenticate("zhang", "dept-pass-1")
    with acting_as(admin):
        house.people.enable_user("zhang", "返岗")
    assert house.people.authenticate("zhang", "dept-pass-1").name == "zhang"


def test_change_password(house: House) -> None:
    admin = house.people.bootstrap_first_user("admin", "s3cret-pass", "管理员")
    with acting_as(admin):
        house.people.add_user("eval", Role.EVALUATOR, "eval-pass-1", "评价组")
    me = Principal("eval", Role.EVALUATOR)
    with acting_as(me):
        with pytest.raises(NotAllowed, match="原密码不正确"):
            house.people.change_password("eval", "new-pass-123", old_password="wrong-one")
        house.people.change_password("eval", "new-pass-123", old_password="eval-pass-1")
        with pytest.raises(NotAllowed, match="只有财政局"):
            house.people.change_password("admin", "hijacked-1")
    assert house.people.authenticate("eval", "new-pass-123") == me
    with acting_as(admin):
        house.people.change_password("eval", "reset-pass-1")
        house.people.change_user_role("eval", Role.AUDITOR, "转为审计只读")
    assert house.people.authenticate("eval", "reset-pass-1") == Principal("eval", Role.AUDITOR)
