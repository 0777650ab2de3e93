"""The composition root: one call opens a wired house; logins and the clock come from it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from rectify.bootstrap import House, open_house
from rectify.domain.clock import BEIJING, FixedClock, SystemClock
from rectify.domain.errors import InvalidInput, NoActor, NotAllowed
from rectify.domain.finding import RectificationClass
from rectify.domain.identity import Principal, Role, current_principal
from rectify.projections.queries import list_findings


def _first_bureau(house: House) -> Principal:
    return house.people.bootstrap_first_user("admin", "admin-password-1", "管理员")


def test_acting_runs_as_the_principal_and_catches_up(house: House) -> None:
    admin = _first_bureau(house)
    with house.acting(admin):
        assert current_principal() == admin
        house.findings.app.save_all(house.findings.register_department("D01", "教育局", None))
        house.findings.record_finding(
            ref="F-1",
            department_code="D01",
            fiscal_year=2024,
            category="预算",
            title="执行率低",
            description="62%",
        )
        house.findings.issue_finding(
            "F-1", rectification_class=RectificationClass.IMMEDIATE, requirements="整改"
        )
    with house.store.engine.connect() as conn:
        [row] = list_findings(conn, principal=admin, today=house.clock.today())
    assert row.ref == "F-1"
    with house.acting(admin):
        [view] = house.queries.list_findings(status="issued")
        assert view.ref == "F-1" and view.due is not None
        assert house.queries.finding_detail("F-1").timeline
        assert [d.code for d in house.queries.departments()] == ["D01"]
    with house.acting(Principal("别人", Role.DEPARTMENT, department="D02")):
        assert house.queries.list_findings() == []
    # The issue date not given came from the house clock, not the machine's.
    assert house.findings.get_finding("F-1").issued_on == date(2025, 3, 3)
    with pytest.raises(NoActor):
        current_principal()


def test_login_from_session_file_and_environment(
    house: House, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RECTIFY_SESSION_FILE", str(tmp_path / "session.json"))
    monkeypatch.delenv("RECTIFY_USER", raising=False)
    admin = _first_bureau(house)
    with pytest.raises(NoActor, match="rectify login"):
        house.principal_from_environment()
    with pytest.raises(NotAllowed):
        house.authenticate("admin", "wrong-password")
    house.remember_login(house.authenticate("admin", "admin-password-1"))
    assert house.principal_from_environment() == admin
    assert house.forget_login() is True
    with pytest.raises(NoActor):
        house.principal_from_environment()
    monkeypatch.setenv("RECTIFY_USER", "admin")
    monkeypatch.setenv("RECTIFY_PASSWORD", "admin-password-1")
    assert house.principal_from_environment() == admin


def test_sessions_expire_by_the_house_clock(
    house: House, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RECTIFY_SESSION_FILE", str(tmp_path / "session.json"))
    monkeypatch.delenv("RECTIFY_USER", raising=False)
    house.remember_login(_first_bureau(house))
    assert isinstance(house.clock, FixedClock)
    house.clock.advance(hours=13)
    with pytest.raises(NoActor, match="过期"):
        house.principal_from_environment()


def test_evidence_blobs_beside_the_sqlite_file_and_size_limit_from_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RECTIFY_BLOB_DIR", raising=False)
    monkeypatch.setenv("RECTIFY_EVIDENCE_MAX_BYTES", "5")
    with open_house(f"sqlite:///{tmp_path / 'db' / 'r.db'}", create=True) as house:
        assert isinstance(house.clock, SystemClock)
        assert house.evidence.evidence_max_size == 5
        admin = _first_bureau(house)
        big = tmp_path / "big.pdf"
        big.write_bytes(b"%PDF-1.4 more than five bytes")
        small = tmp_path / "s.txt"
        small.write_bytes(b"ok")
        with house.acting(admin):
            with pytest.raises(InvalidInput):
                house.evidence.submit_evidence(
                    big, effective_date=date(2025, 1, 1), indicator_code="A1"
                )
            evidence_id = house.evidence.submit_evidence(
                small, effective_date=date(2025, 1, 1), indicator_code="A1"
            )
            assert house.evidence.evidence_content(evidence_id) == b"ok"
    assert any((tmp_path / "db" / "blobs").rglob("*"))
    monkeypatch.setenv("RECTIFY_EVIDENCE_MAX_BYTES", "-1")
    with pytest.raises(InvalidInput, match="RECTIFY_EVIDENCE_MAX_BYTES"):
        open_house(f"sqlite:///{tmp_path / 'db' / 'r.db'}")


def test_clocks_are_in_beijing() -> None:
    assert SystemClock().now().tzinfo is BEIJING
    late = FixedClock.on(date(2025, 12, 31))
    late.advance(hours=15)  # 2026-01-01 00:00 in Beijing
    assert late.today() == date(2026, 1, 1)
