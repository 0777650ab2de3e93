"""Password hashes out of the readable log: events say a password was set or changed,
the hash goes to the credentials table in the same transaction, rebuild keeps it, and an
old store whose events carry hashes is upgraded without anyone losing their login."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy
from eventsourcing.persistence import PersistenceError
from sqlalchemy import delete, func, select, text

from rectify.bootstrap import House, open_house
from rectify.domain.application import EVENTS_TABLE
from rectify.domain.errors import NotAllowed
from rectify.domain.identity import Principal, Role, acting_as
from rectify.domain.passwords import PasswordHash
from rectify.domain.user import User, UserDirectory
from rectify.projections import event_log, seal
from rectify.projections.credentials import credentials
from tests.faults.conftest import ADMIN_PASSWORD, InProcess, add_user, as_admin, as_user

SRC = Path(__file__).resolve().parents[2] / "src" / "rectify"


def _user_states(house: House) -> list[str]:
    events = house.store.events
    with house.store.engine.connect() as conn:
        rows = conn.execute(select(events.c.state).where(events.c.topic.like("rectify/User.%")))
        return [bytes(state).decode() for (state,) in rows]


def test_the_log_says_a_password_was_set_never_the_hash(house: House) -> None:
    admin = house.people.bootstrap_first_user("admin", "admin-pass-1", "管理员")
    with acting_as(admin):
        house.people.add_user("aud", Role.AUDITOR, "aud-pass-1", "审计")
        house.people.change_password("aud", "aud-pass-2")
    states = _user_states(house)
    assert states and not any("scrypt$" in s or "password_hash" in s for s in states)
    with house.store.engine.connect() as conn:
        rows = conn.execute(select(credentials.c.user_id, credentials.c.password_hash))
        stored = {str(user_id): str(hashed) for user_id, hashed in rows}
        logged = event_log.list_events(conn, house.store.events, limit=1000)
    assert set(stored) == {str(User.create_id("admin")), str(User.create_id("aud"))}
    assert all(v.startswith("scrypt$") for v in stored.values())
    assert not any("scrypt$" in repr(e) for e in logged)
    with pytest.raises(NotAllowed):
        house.people.authenticate("aud", "aud-pass-1")
    assert house.people.authenticate("aud", "aud-pass-2").role is Role.AUDITOR
    house.store.runner.rebuild()  # rebuild keeps what it cannot rebuild
    assert house.people.authenticate("aud", "aud-pass-2").role is Role.AUDITOR


def test_no_event_without_its_credential(house: House) -> None:
    admin = house.people.bootstrap_first_user("admin", "admin-pass-1", "管理员")
    events = house.store.events
    with house.store.engine.begin() as conn:
        before = conn.execute(select(func.count()).select_from(events)).scalar_one()
        conn.execute(text("DROP TABLE credentials"))  # the credential write cannot succeed
    with acting_as(admin), pytest.raises(PersistenceError):
        house.people.add_user("aud", Role.AUDITOR, "aud-pass-1", "审计")
    with house.store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(events)).scalar_one() == before
        assert seal.verify(conn, events).ok
    assert house.people.user_names() == ["admin"]


def test_only_the_recorder_touches_the_table() -> None:
    """No query, view, export or command can read it: only the recorder (which writes
    and reads it for the Application) and the login reader (which checks a password
    before the Application is built) import it."""
    users = {
        str(p.relative_to(SRC))
        for p in SRC.rglob("*.py")
        if "projections.credentials" in p.read_text(encoding="utf-8")
        or "from rectify.projections import credentials" in p.read_text(encoding="utf-8")
    }
    assert users == {"projections/sealing.py", "bootstrap/records.py"}


def _old_style_store(url: str, password: str) -> None:
    """What a store recorded before the credentials table looks like: version-1 user
    events with the hash in them, sealed, and the schema at 0006."""
    with open_house(url) as house:
        bureau = Principal("admin", Role.BUREAU)
        with acting_as(bureau):
            user = User(name="admin", role=Role.BUREAU, department_code=None, display_name="管理员")
            directory = UserDirectory(first_user="admin")
        app = house.store.app
        stored = []
        for domain_event in [*directory.collect_events(), *user.collect_events()]:
            event = app.mapper.to_stored_event(domain_event)
            if event.topic == "rectify/User.Added":
                state = json.loads(event.state)
                del state["class_version"]
                state["password_hash"] = PasswordHash.create(password, n=2**10).encoded
                event = type(event)(
                    originator_id=event.originator_id,
                    originator_version=event.originator_version,
                    topic=event.topic,
                    state=json.dumps(state).encode(),
                )
            stored.append(event)
        app.recorder.insert_events(stored)  # sealed, no credential: as the old code did
        with house.store.engine.begin() as conn:
            conn.execute(text("DROP TABLE credentials"))
            # and what later migrations add, so the schema is 0006's
            conn.execute(text("DROP INDEX ix_findings_due_status_ref"))
            for table in ("figure_dues", "figure_counts", "figure_findings"):  # 0009
                conn.execute(text(f"DROP TABLE {table}"))
            conn.execute(text("DELETE FROM projection_positions WHERE name = 'figures'"))
            if conn.dialect.name == "sqlite":  # 0012_tuiperf's text index
                for trigger in ("insert", "delete", "update"):
                    conn.execute(text(f"DROP TRIGGER findings_text_{trigger}"))
                conn.execute(text("DROP TABLE findings_text"))
            else:
                conn.execute(
                    text("DROP INDEX ix_findings_title_trgm, ix_findings_description_trgm")
                )
            conn.execute(text("DROP TABLE rectify_snapshots"))  # 0017
            conn.execute(text("UPDATE alembic_version SET version_num = '0006_scale'"))


def test_an_old_store_is_upgraded_and_logins_keep_working(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("RECTIFY_USER", "RECTIFY_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    with open_house(db_url, create=True, blob_dir=tmp_path / "blobs"):
        pass
    _old_style_store(db_url, ADMIN_PASSWORD)
    monkeypatch.setenv("RECTIFY_DB", db_url)
    monkeypatch.setenv("RECTIFY_SESSION_FILE", str(tmp_path / "session.json"))
    monkeypatch.setenv("COLUMNS", "200")
    run = InProcess(db_url, monkeypatch, capsys)
    assert "db upgrade" in run("user", "list").err  # outdated: nothing runs but the upgrade
    as_admin(run)
    run.ok("db", "upgrade")  # the bureau logs in with the hash in its old event
    engine = sqlalchemy.create_engine(db_url)
    try:
        with engine.connect() as conn:
            [copied] = conn.execute(select(credentials.c.password_hash)).scalars().all()
        assert PasswordHash(copied).verify(ADMIN_PASSWORD)
        run.ok("user", "list")  # logs in from the credentials table now
        password = add_user(run, "aud", "auditor")
        run.ok("verify", "--no-checkpoint")
        # Rotating the old hash out of use: passwd writes a new one, no hash in the event.
        run.ok("user", "passwd", "--password-stdin", stdin=f"{ADMIN_PASSWORD}\nnew-admin-pass-9\n")
        with engine.connect() as conn:
            rows = conn.execute(select(credentials.c.user_id, credentials.c.password_hash)).all()
            newest = conn.execute(
                text(f"SELECT state FROM {EVENTS_TABLE} ORDER BY id DESC LIMIT 1")
            ).scalar_one()
        assert len(rows) == 2 and b"scrypt$" not in bytes(newest)
        assert run("user", "list").code != 0  # the old password no longer works
        as_user(run, "admin", "new-admin-pass-9")
        run.ok("user", "list")
        as_user(run, "aud", password)
        log = run.ok("verify", "--no-checkpoint")
        assert "scrypt$" not in log
        with engine.begin() as conn:  # without a row, the old event is no fallback any more
            conn.execute(delete(credentials))
        as_user(run, "admin", ADMIN_PASSWORD)
        assert run("user", "list").code != 0
    finally:
        engine.dispose()
