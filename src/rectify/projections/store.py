"""Opening a store: the database URL, safety checks, schema migrations, the runner.

Every check that can refuse a database runs before anything is written to it:
an unknown scheme, an unwritable path, an unreachable server, a schema from a newer
rectify. Only `create=True` (init, db upgrade) creates tables.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy.exc
from platformdirs import user_data_dir
from sqlalchemy import Engine, Table, inspect
from sqlalchemy.engine import URL, make_url

from rectify.domain.application import RectifyApp
from rectify.domain.errors import StoreError
from rectify.projections.catalog import all_projectors
from rectify.projections.runner import ProjectionRunner
from rectify.projections.schema_version import current_heads, known_revisions, script_heads

if TYPE_CHECKING:
    from alembic.config import Config

ENV_VAR = "RECTIFY_DB"


def default_url() -> str:
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
            raise StoreError(f"{ENV_VAR}：不支持内存数据库（{text}），请给出文件路径，如 sqlite:///rectify.db")
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
    url: URL
    app: RectifyApp
    engine: Engine
    events: Table
    runner: ProjectionRunner = field(init=False)

    def __post_init__(self) -> None:
        self.runner = ProjectionRunner(self.engine, self.events, self.app.mapper, all_projectors())

    def catch_up(self) -> int:
        return self.runner.catch_up()

    def close(self) -> None:
        self.app.close()
        self.engine.dispose()


def open_store(raw_url: str | None = None, *, create: bool = False) -> Store:
    """Open (and with `create`, initialise or upgrade) the store at RECTIFY_DB."""
    url = resolve_url(raw_url if raw_url is not None else os.environ.get(ENV_VAR))
    if url.drivername == "sqlite":
        _check_sqlite_path(url, create)
        if create:
            parent = Path(str(url.database)).expanduser().parent
            try:
                parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"无法创建库目录 {parent}：{exc.strerror}") from None
    app = RectifyApp(env={"SQLALCHEMY_URL": url.render_as_string(hide_password=False)})
    engine = app.recorder.datastore.engine  # type: ignore[attr-defined]
    assert isinstance(engine, Engine)
    try:
        with engine.connect() as conn:
            current = current_heads(conn)
            has_events = inspect(conn).has_table(app.recorder.events_table_name)  # type: ignore[attr-defined]
    except sqlalchemy.exc.OperationalError as exc:
        app.close()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise StoreError(f"无法连接数据库 {describe(url)}：{reason}") from None
    except sqlalchemy.exc.DatabaseError as exc:
        app.close()
        raise StoreError(f"不是可用的数据库文件 {describe(url)}：{exc.orig}") from None
    unknown = set(current) - known_revisions()
    if unknown:
        app.close()
        raise StoreError(
            f"数据库 {describe(url)} 由更新版本的 rectify 创建（架构版本 {', '.join(sorted(unknown))}），"
            f"本程序只认识到 {', '.join(sorted(script_heads()))}；请升级 rectify"
        )
    if create:
        from alembic import command

        with engine.begin() as conn:
            command.upgrade(_alembic_config(conn), "head")
        app.recorder.create_table()  # type: ignore[attr-defined]
    elif set(current) != script_heads() or not has_events:
        app.close()
        if not current and not has_events:
            raise StoreError(f"数据库 {describe(url)} 尚未初始化；请先运行 `rectify init`")
        raise StoreError(f"数据库 {describe(url)} 的架构需要升级；请运行 `rectify db upgrade`")
    events = app.recorder.events_record_cls.__table__  # type: ignore[attr-defined]
    return Store(url=url, app=app, engine=engine, events=events)


def alembic_check(store: Store) -> None:
    """Raise if the read-model tables differ from the models (Alembic autogenerate)."""
    from alembic import command

    with store.engine.begin() as conn:
        command.check(_alembic_config(conn))
