"""Who may run which command, what a refusal reveals, and how logging in is guarded."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from rectify.bootstrap import House
from rectify.domain import passwords
from rectify.domain.clock import FixedClock
from rectify.domain.errors import NotAllowed
from rectify.domain.identity import Principal, Role, acting_as
from rectify.domain.services.people import LOGIN_REFUSED
from rectify.domain.user import MAX_FAILURES
from tests.conftest import WEIBIN, ZHENGZHOU
from tests.faults.conftest import InProcess, add_user, as_admin, as_user


@pytest.fixture
def people(rectify: InProcess) -> dict[str, str]:
    rectify.ok("import", "evaluation", str(WEIBIN))
    return {
        "auditor1": add_user(rectify, "auditor1", "auditor"),
        "eval1": add_user(rectify, "eval1", "evaluator"),
        "dept1": add_user(rectify, "dept1", "department", "WB-GXJ"),
    }


def test_maintenance_commands_need_their_role(rectify: InProcess, people: dict[str, str]) -> None:
    before = rectify.event_count()
    as_user(rectify, "auditor1", people["auditor1"])
    assert rectify("verify").code == 0
    assert rectify("checkpoint").code == 0
    for refused in (["rebuild"], ["db", "upgrade"]):
        run = rectify(*refused)
        assert run.code != 0 and "不能" in run.err and "只有财政局可以" in run.err, run
    for name in ("eval1", "dept1"):
        as_user(rectify, name, people[name])
        for command in (["verify"], ["checkpoint"], ["rebuild"], ["db", "upgrade"]):
            run = rectify(*command)
            assert run.code != 0 and "不能" in run.err, (name, command, run)
    rectify.monkeypatch.setenv("RECTIFY_SESSION_FILE", "/nonexistent/session.json")
    for name in ("RECTIFY_USER", "RECTIFY_PASSWORD"):
        rectify.monkeypatch.delenv(name)
    run = rectify("rebuild")
    assert run.code != 0 and "登录" in run.err
    as_admin(rectify)
    assert rectify("rebuild").code == 0
    assert rectify("db", "upgrade").code == 0
    assert rectify.event_count() == before


def test_unknown_name_and_wrong_password_cost_one_scrypt_each(
    house: House, monkeypatch: pytest.MonkeyPatch
) -> None:
    house.people.bootstrap_first_user("admin", "admin-password-1", "管理员")
    calls: list[int] = []
    real = passwords._scrypt

    def counting(*args: Any) -> bytes:
        calls.append(args[2])  # the cost n
        return real(*args)

    monkeypatch.setattr(passwords, "_scrypt", counting)
    for name, password in (("nobody", "whatever-1"), ("admin", "wrong-password"), ("nobody2", "x")):
        calls.clear()
        with pytest.raises(NotAllowed) as caught:
            house.authenticate(name, password)
        assert str(caught.value) == LOGIN_REFUSED
        assert calls == [2**10], (name, calls)  # one scrypt, at the users' (test) cost


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"KEY": ["not", "a", "dict"]}', "条目格式不对"),
        ('{"KEY": {"user": 5, "token": null}}', "条目格式不对"),
        ('{"KEY": "token"}', "条目格式不对"),
        ('["a list"]', "应为 JSON 对象"),
        ("{not json", "损坏"),
    ],
)
def test_session_file_of_the_wrong_shape_is_a_clear_error(
    rectify: InProcess, tmp_path: Path, content: str, expected: str
) -> None:
    session = tmp_path / "session.json"
    key = next(iter(json.loads(session.read_text(encoding="utf-8"))))
    session.write_text(content.replace("KEY", key), encoding="utf-8")
    os.chmod(session, 0o600)
    run = rectify("findings", "list")
    assert run.code != 0 and expected in run.err and "Traceback" not in run.err, run


def test_session_file_readable_by_others_is_refused_with_the_fix(
    rectify: InProcess, tmp_path: Path
) -> None:
    session = tmp_path / "session.json"
    assert rectify("findings", "list").code == 0
    os.chmod(session, 0o644)
    run = rectify("findings", "list")
    assert run.code != 0 and f"chmod 600 {session}" in run.err, run
    os.chmod(session, 0o600)
    assert rectify("findings", "list").code == 0


def test_evaluation_reads_are_scoped_and_out_of_scope_reads_like_missing(
    rectify: InProcess, people: dict[str, str]
) -> None:
    key = "WB-GXJ/2024/department"
    rectify.ok("import", "evaluation", str(ZHENGZHOU))
    other = add_user(rectify, "zz1", "department", "ZZ-GXJ")
    as_user(rectify, "zz1", other)
    for command in (("evaluation", "show", key), ("score", "history", key, "B1.2")):
        hidden = rectify(*command)
        missing = rectify(*[part.replace(key, "NO/SUCH/KEY") for part in command])
        assert hidden.code == missing.code != 0, (hidden, missing)
        assert hidden.err.replace(key, "K") == missing.err.replace("NO/SUCH/KEY", "K"), (
            hidden,
            missing,
        )
    compared = rectify("compare", "WB-GXJ", "预算调整率", "--json")
    assert compared.code == 0 and json.loads(compared.out)["points"] == []
    as_user(rectify, "dept1", people["dept1"])
    assert "总分" in rectify.ok("evaluation", "show", key)
    assert json.loads(rectify.ok("compare", "WB-GXJ", "预算调整率", "--json"))["points"]
    rectify.monkeypatch.setenv("RECTIFY_SESSION_FILE", "/nonexistent/session.json")
    for name in ("RECTIFY_USER", "RECTIFY_PASSWORD"):
        rectify.monkeypatch.delenv(name)
    for command in (
        ("evaluation", "show", key),
        ("score", "history", key, "B1.2"),
        ("compare", "WB-GXJ", "预算调整率"),
    ):
        run = rectify(*command)
        assert run.code != 0 and "登录" in run.err, (command, run)


def test_lockout_after_five_failures_recorded_as_events_and_cooling(house: House) -> None:
    house.people.bootstrap_first_user("admin", "admin-password-1", "管理员")
    with acting_as(Principal("admin", Role.BUREAU)):
        house.people.add_user("clerk", Role.EVALUATOR, "clerk-password-1", "")
    for _ in range(MAX_FAILURES):
        with pytest.raises(NotAllowed, match=f"^{LOGIN_REFUSED}$"):
            house.authenticate("clerk", "wrong-password")
    # Locked: even the right password is refused, in the same words.
    with pytest.raises(NotAllowed, match=f"^{LOGIN_REFUSED}$"):
        house.authenticate("clerk", "clerk-password-1")
    user = house.people.get_user("clerk")
    topics = [type(e).__qualname__ for e in house.services.app.repository.event_store.get(user.id)]
    assert topics.count("User.LoginFailed") == MAX_FAILURES and topics.count("User.LockedOut") == 1
    assert isinstance(house.clock, FixedClock)
    house.clock.advance(hours=1)  # the cooling time passes
    assert house.authenticate("clerk", "clerk-password-1").name == "clerk"


def test_user_admin_commands(rectify: InProcess, people: dict[str, str]) -> None:
    listed = json.loads(rectify.ok("user", "list", "--json"))
    assert {u["name"] for u in listed} >= {"admin", "auditor1", "eval1", "dept1"}
    for _ in range(5):
        as_user(rectify, "eval1", "wrong-password")
        assert rectify("whoami").code != 0
    as_admin(rectify)
    locked = {u["name"]: u for u in json.loads(rectify.ok("user", "list", "--json"))}["eval1"]
    assert locked["locked_until"] is not None
    rectify.ok("user", "unlock", "eval1", "--reason", "本人确认")
    as_user(rectify, "eval1", people["eval1"])
    assert "eval1" in rectify.ok("whoami")
    # Own password: old then new; others may not list, reset or change roles.
    rectify.ok(
        "user", "passwd", "--password-stdin", stdin=f"{people['eval1']}\nnew-eval-password-2\n"
    )
    as_user(rectify, "eval1", "new-eval-password-2")
    for command in (
        ["user", "list"],
        ["user", "disable", "dept1", "--reason", "x"],
        ["user", "role", "dept1", "--role", "auditor", "--reason", "x"],
    ):
        run = rectify(*command)
        assert run.code != 0 and "只有财政局可以" in run.err, (command, run)
    as_admin(rectify)
    rectify.ok("user", "role", "auditor1", "--role", "evaluator", "--reason", "转岗")
    rectify.ok("user", "disable", "dept1", "--reason", "离职")
    as_user(rectify, "dept1", people["dept1"])
    assert rectify("whoami").code != 0
    as_admin(rectify)
    rectify.ok("user", "enable", "dept1")
    rectify.ok("user", "passwd", "dept1", "--password-stdin", stdin="reset-password-3\n")
    as_user(rectify, "dept1", "reset-password-3")
    assert "dept1" in rectify.ok("whoami")
