"""Who may run which command, what a refusal reveals, and how logging in is guarded."""

from __future__ import annotations

import pytest

from tests.conftest import WEIBIN
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
