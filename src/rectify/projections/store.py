"""Opening a store: the database URL, safety checks, schema migrations, the runner.

Every check that can refuse a database runs before anything is written to it:
an unknown scheme, an unwritable path, an unreachable server, a schema from a newer
rectify. Only `create=True` (init, db upgrade) creates tables, or a SQLite file
(sqlite_file.py: otherwise a file deleted while in use is an error, not a new store).
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy.exc
from sqlalchemy import Engine, Table, create_engine, event, func, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

from rectify.domain.errors import StoreError
from rectify.domain.mapping import EVENTS_TABLE, SNAPSHOTS_TABLE
from rectify.projections.event_table import events_table
from rectify.projections.positions import PROJECTOR_NAMES, projection_positions
from rectify.projections.schema_version import (
    current_heads,
    known_revisions,
    script_heads,
    table_exists,
)
from rectify.projections.seal import Checkpoint
from rectify.projections.sqlite_file import existing_file_url, guard_existing_file

if TYPE_CHECKING:
    from uuid import UUID

    from alembic.config import Config
    from eventsourcing.persistence import Mapper

    from rectify.domain.application import RectifyApp
    from rectify.projections.runner import ProjectionRunner

ENV_VAR = "RECTIFY_DB"
SQLITE_BUSY_MS = 30_000


def default_url() -> str:
    from platformdirs import user_data_dir  # here: only a default path needs it (~5 ms)

    return f"sqlite:///{Path(user_data_dir('rectify', appauthor=False)) / 'rectify.db'}"


def resolve_url(raw: str | None) -> URL:
    """Parse RECTIFY_DB (or the default) into a URL we support, or explain why not."""
    text = raw if raw else default_url()
    try:
        url = make_url(text)
    except sqlalchemy.exc.ArgumentError:
        raise StoreError(f"{ENV_VAR} 不是有效的数据库地址：{text!r}") from None
    if url.drivername in ("postgresql", "postgresql+psycopg", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
        if "connect_timeout" not in url.query:
            url = url.update_query_dict({"connect_timeout": "5"})
        return url
    if url.drivername in ("sqlite", "sqlite+pysqlite"):
        if not url.database or url.database == ":memory:" or "mode=memory" in str(url):
            raise StoreError(
                f"{ENV_VAR}：不支持内存数据库（{text}），请给出文件路径，如 sqlite:///rectify.db"
            )
        return url.set(drivername="sqlite")
    raise StoreError(
        f"{ENV_VAR}：不支持的数据库类型 {url.drivername!r}（{url.render_as_string(hide_password=True)}）；"
        "支持 sqlite:///路径 与 postgresql+psycopg://用户@主机/库"
    )


def describe(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def _check_sqlite_path(url: URL, create: bool) -> None:
    path = Path(str(url.database)).expanduser()
    if path.exists():
        if path.is_dir():
            raise StoreError(f"库文件路径是一个目录：{path}")
        if not os.access(path, os.R_OK | os.W_OK):
            raise StoreError(f"库文件不可读写：{path}")
        return
    if not create:
        raise StoreError(f"库不存在：{path}；请先运行 `rectify init`")
    parent = path.parent
    existing = parent
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise StoreError(f"无法在此创建库（目录不可写）：{parent}")


def _alembic_config(engine_connection: Any) -> Config:
    # Imported here: only migrating and checking need Alembic (it is slow to import).
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "rectify:migrations")
    config.attributes["connection"] = engine_connection
    return config


@dataclass
class Store:
    """An opened store. Reading needs only `engine` and `events`; the eventsourcing
    Application (`app`, for recording) and the catch-up `runner` (every projector and
    aggregate module) are built on first use, so a query starts without them."""

    url: URL
    engine: Engine
    events: Table = events_table
    # The snapshots table exists (a store not yet upgraded past 0017 has none: its
    # users are replayed from their first event).
    snapshots: bool = True
    _app: RectifyApp | None = field(default=None, init=False, repr=False)
    _runner: ProjectionRunner | None = field(default=None, init=False, repr=False)
    _mapper: Mapper[UUID] | None = field(default=None, init=False, repr=False)
    # The TUI's workers reach for `app` from several threads at once: built twice, the
    # ORM declares the event table twice and the second build fails (tmux trial).
    _building: threading.RLock = field(default_factory=threading.RLock, init=False, repr=False)

    @property
    def app(self) -> RectifyApp:
        if self._app is None:
            with self._building:
                if self._app is None:
                    self._app = self._new_app()
        return self._app

    def _new_app(self) -> RectifyApp:
        from rectify.domain.application import RectifyApp
        from rectify.projections.sealing import PERSISTENCE_TOPIC, share_engine

        app = RectifyApp(
            env={
                "SQLALCHEMY_URL": self.url.render_as_string(hide_password=False),
                # Events are sealed in the transaction that records them.
                "PERSISTENCE_MODULE": PERSISTENCE_TOPIC,
            }
        )
        share_engine(app, self.engine)
        return app

    @property
    def mapper(self) -> Mapper[UUID]:
        """Decodes stored events as the Application's mapper does (domain/mapping.py)."""
        if self._mapper is None:
            from rectify.domain.mapping import new_mapper

            self._mapper = new_mapper()
        return self._mapper

    @property
    def runner(self) -> ProjectionRunner:
        if self._runner is None:
            import rectify.domain.application  # noqa: F401  (every aggregate's topics)
            from rectify.projections.catalog import all_projectors
            from rectify.projections.runner import ProjectionRunner

            with self._building:
                if self._runner is None:
                    self._runner = ProjectionRunner(
                        self.engine,
                        self.events,
                        self.mapper,
                        all_projectors(),
                        store_url=self.url.render_as_string(hide_password=False),
                    )
        return self._runner

    def last_sealed(self) -> Checkpoint | None:
        """The last link this process sealed and committed (None before it recorded)."""
        if self._app is None:
            return None
        point = getattr(self._app.recorder, "last_sealed", None)
        return point if isinstance(point, Checkpoint) else None

    def up_to_date(self) -> bool:
        """Every read model has applied the last event (read without locking: positions
        only grow, so what was applied at this moment stays applied)."""
        with self.engine.connect() as conn:
            head = conn.execute(select(func.coalesce(func.max(self.events.c.id), 0))).scalar_one()
            positions = dict(
                conn.execute(select(projection_positions.c.name, projection_positions.c.position))
                .tuples()
                .all()
            )
        return all(positions.get(name, -1) >= head for name in PROJECTOR_NAMES)

    def catch_up(self) -> int:
        if self._runner is None and self.up_to_date():
            return 0  # a query on a caught-up store never loads the projectors
        return self.runner.catch_up()

    def try_catch_up(self) -> int | None:
        """`catch_up`, or None at once when another process is catching up (runner.py)."""
        if self._runner is None and self.up_to_date():
            return 0
        return self.runner.try_catch_up()

    def close(self) -> None:
        if self._app is not None:
            self._app.close()
        self.engine.dispose()


INIT_LOCK_KEY = 0x696E6974  # "init": PostgreSQL advisory lock held while a store is created


@contextmanager
def init_lock(raw_url: str | None = None) -> Iterator[None]:
    """Hold the store's creation lock: concurrent `init` / `db upgrade` run one at a time.

    The first creates the schema and the first user; the others wait, then find both
    there. SQLite: an flock on a file beside the database; PostgreSQL: an advisory lock."""
    url = resolve_url(raw_url if raw_url is not None else os.environ.get(ENV_VAR))
    if url.drivername == "sqlite":
        path = Path(str(url.database)).expanduser()
        _check_sqlite_path(url, create=True)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(path.with_name(path.name + ".init-lock"), "a+b")  # noqa: SIM115
        except OSError as exc:
            raise StoreError(f"无法创建库目录或锁文件 {path.parent}：{exc.strerror}") from None
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        return
    engine = create_engine(url, poolclass=NullPool)
    try:
        try:
            conn = engine.connect()
        except sqlalchemy.exc.OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            raise StoreError(f"无法连接数据库 {describe(url)}：{reason}") from None
        with conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": INIT_LOCK_KEY})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": INIT_LOCK_KEY})
                conn.commit()
    finally:
        engine.dispose()


# SQLite's page cache per connection, in KiB (its default is 2 MB). A rebuild reads
# back the rows earlier batches wrote, spread over tables of hundreds of MB at a million
# events (fewer page reads from the OS); it costs up to 16 MB of RSS per connection.
SQLITE_CACHE_KIB = 16384


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    raw = os.environ.get("RECTIFY_SQLITE_BUSY_MS", "")
    busy = int(raw) if raw.isdigit() else SQLITE_BUSY_MS
    dbapi_connection.execute(f"PRAGMA busy_timeout = {busy}")
    dbapi_connection.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")


def open_store(
    raw_url: str | None = None, *, create: bool = False, outdated_ok: bool = False
) -> Store:
    """Open (and with `create`, initialise or upgrade) the store at RECTIFY_DB.

    `outdated_ok` opens a store whose read-model schema is behind, without changing
    it: enough to authenticate someone before `db upgrade` migrates."""
    url = resolve_url(raw_url if raw_url is not None else os.environ.get(ENV_VAR))
    if url.drivername == "sqlite":
        _check_sqlite_path(url, create)
        if create:
            parent = Path(str(url.database)).expanduser().parent
            try:
                parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"无法创建库目录 {parent}：{exc.strerror}") from None
    sqlite = url.drivername == "sqlite"
    engine = create_engine(existing_file_url(url) if sqlite and not create else url)
    if sqlite:
        # Writers queue for the lock instead of failing after sqlite3's default 5 s.
        event.listen(engine, "connect", _on_sqlite_connect)
        if not create:
            guard_existing_file(engine, Path(str(url.database)).expanduser())
    try:
        with engine.connect() as conn:
            current = current_heads(conn)
            has_events = table_exists(conn, EVENTS_TABLE)
            has_snapshots = set(current) == script_heads() or table_exists(conn, SNAPSHOTS_TABLE)
    except sqlalchemy.exc.OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise StoreError(f"无法连接数据库 {describe(url)}：{reason}") from None
    except sqlalchemy.exc.DatabaseError as exc:
        engine.dispose()
        raise StoreError(f"不是可用的数据库文件 {describe(url)}：{exc.orig}") from None
    unknown = set(current) - known_revisions()
    if unknown:
        engine.dispose()
        raise StoreError(
            f"数据库 {describe(url)} 由更新版本的 rectify 创建（架构版本 {', '.join(sorted(unknown))}），"
            f"本程序只认识到 {', '.join(sorted(script_heads()))}；请升级 rectify"
        )
    store = Store(url=url, engine=engine, snapshots=has_snapshots or create)
    if create:
        from alembic import command

        with engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "head")
        store.app.recorder.create_table()  # type: ignore[attr-defined]
    elif not (outdated_ok and has_events) and (set(current) != script_heads() or not has_events):
        engine.dispose()
        if not current and not has_events:
            raise StoreError(f"数据库 {describe(url)} 尚未初始化；请先运行 `rectify init`")
        raise StoreError(f"数据库 {describe(url)} 的架构需要升级；请运行 `rectify db upgrade`")
    return store


def alembic_check(store: Store) -> None:
    """Raise if the read-model tables differ from the models (Alembic autogenerate)."""
    from alembic import command

    with store.engine.begin() as conn:
        command.check(_alembic_config(conn))
