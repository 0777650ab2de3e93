"""`rectify scheduler tick`, `policy`, `inbox` in-process through the real parser, both backends."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from rectify.bootstrap import open_house
from rectify.cli.main import main
from rectify.domain.identity import Role, acting_as
from tests.cli.helpers import in_process_env
from tests.scheduler.scenario import BUREAU, fiscal_year, monitoring_plans

ADMIN = {"RECTIFY_USER": "admin", "RECTIFY_PASSWORD": "admin-secret-1"}
EDU = {"RECTIFY_USER": "edu", "RECTIFY_PASSWORD": "edu-secret-1"}
WJW = {"RECTIFY_USER": "wjw", "RECTIFY_PASSWORD": "wjw-secret-1"}


@pytest.fixture
def env(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with open_house(db_url, create=True, blob_dir=tmp_path / "blobs") as house:
        house.people.password_cost_n = 2**10
        house.people.bootstrap_first_user("admin", ADMIN["RECTIFY_PASSWORD"], "")
        fiscal_year(house, tmp_path)
        with acting_as(BUREAU):
            house.people.add_user(
                "edu", Role.DEPARTMENT, EDU["RECTIFY_PASSWORD"], "", department_code="D01"
            )
            house.people.add_user(
                "wjw", Role.DEPARTMENT, WJW["RECTIFY_PASSWORD"], "", department_code="D02"
            )
        house.catch_up()
    in_process_env(monkeypatch, db_url, tmp_path)
    yield db_url


def run(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *args: str,
    user: dict[str, str] | None = None,
) -> tuple[int, str, str]:
    for key, value in (user or ADMIN).items():
        monkeypatch.setenv(key, value)
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def events(db_url: str) -> int:
    with open_house(db_url) as house, house.store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(house.store.events)).scalar_one())


def test_tick_json_once_then_empty(
    env: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(capsys, monkeypatch, "scheduler", "tick", "--now", "2025-02-06", "--json")
    assert code == 0
    items = json.loads(out)
    assert any(
        (i["kind"], i["ref"], i["for_date"]) == ("overdue", "IMM-OPEN", "2025-02-06") for i in items
    )
    assert {i["kind"] for i in items} == {"reminder", "overdue"}
    code, out, _ = run(capsys, monkeypatch, "scheduler", "tick", "--now", "2025-02-06", "--json")
    assert code == 0 and json.loads(out) == []
    # What the clock recorded is on the finding's timeline, labelled, with its date, by `system`.
    code, out, _ = run(capsys, monkeypatch, "findings", "show", "IMM-OPEN", "--json")
    assert code == 0
    timeline = json.loads(out)["timeline"]
    clock = [
        (e["label"], e["details"]["for_date"], e["actor"])
        for e in timeline
        if e["event"] == "Occurrence"
    ]
    assert clock == [
        ("整改时限提醒", "2025-01-29", "system"),
        ("整改时限提醒", "2025-02-04", "system"),
        ("整改逾期", "2025-02-06", "system"),
    ]
    assert timeline[0]["event"] == "Recorded"  # the finding's own events are all still there
    code, out, _ = run(capsys, monkeypatch, "findings", "show", "IMM-OPEN")
    assert code == 0 and "整改逾期" in out and "2025-02-06" in out


def test_tick_marks_owed_monitoring_reports_once(
    env: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_house(env) as house:
        monitoring_plans(house)
    code, out, _ = run(capsys, monkeypatch, "scheduler", "tick", "--now", "2025-07-16", "--json")
    assert code == 0
    owed = sorted(
        (i["ref"], i["for_date"], i["about"], i["title"])
        for i in json.loads(out)
        if i["kind"] == "monitoring_overdue"
    )
    assert owed == [
        ("D01/2025/H1", "2025-07-16", "2025-07-15", "绩效监控报告逾期未报"),
        ("D02/2024/自评", "2025-04-01", "2025-03-31", "自评报告逾期未报"),
    ]
    code, out, _ = run(capsys, monkeypatch, "scheduler", "tick", "--now", "2025-07-16", "--json")
    assert code == 0 and json.loads(out) == []
    code, out, _ = run(capsys, monkeypatch, "monitoring", "show", "D01", "2025", "--json")
    assert code == 0
    assert {p["period"]: p["status"] for p in json.loads(out)} == {"H1": "overdue", "H2": "owed"}


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # input checks: one backend is enough
@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("scheduler", "tick", "--now", "2026-02-30"), "不是存在的日期"),
        (("scheduler", "tick", "--now", "2027-02-01"), "2027"),  # working days unknown
        (("scheduler", "run", "--now", "2025-01-01"), "--until"),
        (("policy", "set", "reminder.phased=30,-7", "--reason", "x"), "reminder.phased"),
        (("policy", "set", "reminder.phased=7.5", "--reason", "x"), "不是整数"),
        (("policy", "set", "report_period_months=0", "--reason", "x"), "report_period_months"),
        (("policy", "set", "reminder.urgent=3", "--reason", "x"), "不认识的整改类别"),
        (("policy", "set", "first_report_days", "--reason", "x"), "KEY=VALUE"),
    ],
)
def test_bad_input_clear_error_nothing_recorded(
    env: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    needle: str,
) -> None:
    before = events(env)
    code, _, err = run(capsys, monkeypatch, *args)
    assert code != 0 and "错误" in err and needle in err, err
    assert "Traceback" not in err
    assert events(env) == before


def test_policy_show_set_bureau_only(
    env: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(capsys, monkeypatch, "policy", "show", "--json")
    assert code == 0 and json.loads(out)["version"] == 0
    assert json.loads(out)["reminder_days"]["phased"] == [30, 7, 1]
    before = events(env)
    code, _, err = run(
        capsys, monkeypatch, "policy", "set", "scan_hour=7", "--reason", "x", user=EDU
    )
    assert code != 0 and "财政局" in err and events(env) == before
    code, out, _ = run(
        capsys,
        monkeypatch,
        "policy",
        "set",
        "reminder.phased=14,3",
        "first_report_days=60",
        "--reason",
        "季度会议决定",
    )
    assert code == 0 and "reminder.phased = 14,3" in out
    shown = json.loads(run(capsys, monkeypatch, "policy", "show", "--json")[1])
    assert shown["version"] == 1 and shown["first_report_days"] == 60


def test_inbox_scoped_and_read_marks(
    env: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run(capsys, monkeypatch, "scheduler", "tick", "--now", "2025-07-01")
    edu = json.loads(run(capsys, monkeypatch, "inbox", "--json", user=EDU)[1])
    wjw = json.loads(run(capsys, monkeypatch, "inbox", "--json", user=WJW)[1])
    bureau = json.loads(run(capsys, monkeypatch, "inbox", "--json")[1])
    assert edu and wjw and bureau
    assert {i["department_code"] for i in edu} == {"D01"}
    assert {i["ref"] for i in wjw} == {"PH-EXTENDED"}
    # The return went to the department, the closure requests to the bureau.
    assert any(i["kind"] == "returned" and i["ref"] == "PH-RETURNED" for i in edu)
    assert not any(i["kind"] == "returned" for i in bureau)
    assert any(i["kind"] == "closure_requested" for i in bureau)
    assert not any(i["kind"] == "closure_requested" for i in edu)
    # One item read, then all; another department cannot read edu's item.
    first = edu[0]["id"]
    code, _, err = run(capsys, monkeypatch, "inbox", "read", first, user=WJW)
    assert code != 0 and "不存在或不在" in err
    assert run(capsys, monkeypatch, "inbox", "read", first, user=EDU)[0] == 0
    unread = json.loads(run(capsys, monkeypatch, "inbox", "--unread", "--json", user=EDU)[1])
    assert len(unread) == len(edu) - 1
    assert run(capsys, monkeypatch, "inbox", "read", "--all", user=EDU)[0] == 0
    assert json.loads(run(capsys, monkeypatch, "inbox", "--unread", "--json", user=EDU)[1]) == []
    # Read marks are per user: the bureau's copies are still unread.
    assert len(json.loads(run(capsys, monkeypatch, "inbox", "--unread", "--json")[1])) == len(
        bureau
    )
