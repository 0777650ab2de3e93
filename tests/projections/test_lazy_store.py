"""A query's store: the core event table, reading an aggregate and the caught-up check
without the eventsourcing Application (issue #8: a query as a process)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select, update

from rectify.bootstrap import House, open_house
from rectify.bootstrap.records import StoreRecords
from rectify.domain import evidence
from rectify.domain.identity import Principal, Role
from rectify.domain.user import User
from rectify.projections.catalog import all_projectors
from rectify.projections.event_table import events_table, read_aggregate
from rectify.projections.positions import PROJECTOR_NAMES, projection_positions
from rectify.projections.store import open_store
from tests.projections.test_store import record_sample

BUREAU = Principal("bureau-test", Role.BUREAU)


def test_the_projector_names_are_the_catalogs() -> None:
    assert tuple(p.name for p in all_projectors()) == PROJECTOR_NAMES


def test_the_house_default_evidence_limit_is_the_domains() -> None:
    from rectify.bootstrap.house import DEFAULT_MAX_SIZE

    assert DEFAULT_MAX_SIZE == evidence.DEFAULT_MAX_SIZE


def test_the_core_table_reads_what_the_library_wrote(house: House) -> None:
    with house.acting(BUREAU):
        record_sample(house)
    library = house.store.app.recorder.events_record_cls.__table__  # type: ignore[attr-defined]
    assert [c.name for c in library.columns] == [c.name for c in events_table.columns]
    with house.store.engine.connect() as conn:
        ours = conn.execute(select(events_table).order_by(events_table.c.id)).all()
        theirs = conn.execute(select(library).order_by(library.c.id)).all()
    assert len(ours) == 4  # the department and three findings
    assert [tuple(r) for r in ours] == [tuple(r) for r in theirs]


def test_a_user_read_from_the_table_is_the_repositorys(house: House) -> None:
    house.people.bootstrap_first_user("chief", "Correct-Horse-9", "科长")
    with house.acting(Principal("chief", Role.BUREAU)):
        house.people.add_user("clerk", Role.BUREAU, "Correct-Horse-9", "科员")
        house.people.change_password("clerk", "Battery-Staple-7")
    app = house.store.app
    uid = User.create_id("clerk")
    with house.store.engine.connect() as conn:
        read = read_aggregate(conn, house.store.mapper, uid)
        assert read_aggregate(conn, house.store.mapper, User.create_id("nobody")) is None
    stored: User = app.repository.get(uid)
    assert isinstance(read, User)
    assert read.version == stored.version == 2
    assert read.__dict__ == stored.__dict__


def test_a_query_logs_in_and_reads_without_building_the_application(
    house: House, tmp_path: Path
) -> None:
    house.people.bootstrap_first_user("clerk", "Correct-Horse-9", "科员")
    with house.acting(BUREAU):
        record_sample(house)
    reader = open_house(house.store.url.render_as_string(hide_password=False), blob_dir=tmp_path)
    with reader:
        reader.people.password_cost_n = 2**10
        assert isinstance(reader.people.app, StoreRecords)
        principal = reader.authenticate("clerk", "Correct-Horse-9")
        assert reader.catch_up() == 0
        with reader.acting(principal):
            assert len(reader.queries.list_findings()) == 3
        assert reader.store._app is None and reader.store._runner is None
        # a command builds it, and the people service is the services' own
        with reader.acting(principal):
            reader.services.app.save_all(reader.services.app.department_for("D2", "乙局", None))
        assert reader.services.people is reader.people
        assert reader.store._app is not None


def test_a_new_event_or_a_missing_position_is_caught_up(house: House) -> None:
    url = house.store.url.render_as_string(hide_password=False)
    with house.acting(BUREAU, catch_up=False):
        record_sample(house, 1)
    store = open_store(url)
    try:
        assert not store.up_to_date()
        assert store.catch_up() == 2
        assert store.up_to_date()
        with store.engine.begin() as conn:
            conn.execute(
                projection_positions.delete().where(projection_positions.c.name == "inbox")
            )
        assert not store.up_to_date()  # a projector without a position starts from 0
        assert store.catch_up() == 2
        with store.engine.begin() as conn:
            conn.execute(update(projection_positions).values(position=1))
        assert not store.up_to_date()
    finally:
        store.close()


RACE = """
import sys, threading
from rectify.projections.store import open_store
store = open_store(sys.argv[1])
start = threading.Barrier(8)
got, failed = [], []
def reach():
    start.wait()
    try:
        got.append(store.app)
    except Exception as exc:
        failed.append(repr(exc)[:200])
threads = [threading.Thread(target=reach) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
print(failed or len({id(a) for a in got}))
store.close()
"""


def test_threads_that_first_record_at_once_share_one_application(db_url: str) -> None:
    """The TUI's thread workers may be the first in the process to reach for the
    Application, together; built twice at once, the library's ORM declared the event
    table twice and all but one failed ("Table 'rectify_events' is already defined",
    seen on a bureau's home in the tmux trial). A fresh process each time: only the
    first declaration in a process races."""
    import subprocess
    import sys

    open_store(db_url, create=True).close()
    for _ in range(3):
        run = subprocess.run(
            [sys.executable, "-c", RACE, db_url], capture_output=True, text=True, timeout=120
        )
        assert run.returncode == 0, run.stderr[-2000:]
        assert run.stdout.strip() == "1", run.stdout
