"""Another department's comment round, review and result decisions read exactly like
ones that do not exist (same exit code, same words): a refusal would tell a department
user that they exist. In-process through the CLI, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest

from rectify.bootstrap import House
from rectify.domain.identity import Role
from tests.cli.cycle_helpers import PASSWORD, cli_env, run
from tests.conftest import WEIBIN

__all__ = ["cli_env"]
KEY = "WB-GXJ/2024/department"
ABSENT = "WB-GXJ/2099/department"


def _other_department_user(house: House, monkeypatch: pytest.MonkeyPatch) -> None:
    with house.acting(house.people.authenticate("admin", PASSWORD)):
        house.people.add_user(
            "czj", Role.DEPARTMENT, PASSWORD, "财政局下属", department_code="WB-CZJ"
        )
    monkeypatch.setenv("RECTIFY_USER", "czj")


def test_another_departments_cycle_reads_as_missing(
    cli_env: House, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(capsys, "import", "evaluation", str(WEIBIN))[0] == 0
    opened = ("comments", "open", KEY, "--deadline", "2025-08-20", "--on", "2025-08-10")
    assert run(capsys, *opened)[0] == 0
    _other_department_user(cli_env, monkeypatch)

    for there, absent in [
        (("comments", "show", KEY), ("comments", "show", ABSENT)),
        (("review", "deviation", KEY), ("review", "deviation", ABSENT)),
    ]:
        code, out, err = run(capsys, *there)
        missing = run(capsys, *absent)
        assert code != 0 and (code, out, err.replace(KEY, ABSENT)) == missing, err
        assert "本部门" not in err

    reply = ("comments", "reply", KEY, "--finding", "WB-GXJ/2024/02", "--agree")
    code, _, err = run(capsys, *reply)
    assert code != 0 and err.replace(KEY, ABSENT) == run(capsys, "comments", "show", ABSENT)[2]

    code, out, _ = run(capsys, "results", "show", "WB-GXJ", "2025", "--json")
    assert code == 0
    none = run(capsys, "results", "show", "WB-CZJ", "2025", "--json")[1]
    assert json.loads(out) == json.loads(none.replace("WB-CZJ", "WB-GXJ"))
