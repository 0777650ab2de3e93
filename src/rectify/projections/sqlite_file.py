"""An existing SQLite store is opened as existing: a missing file is an error.

SQLite creates a missing file on connect. A store deleted (or moved) while the TUI
ran was thus recreated empty on the next connection, and the app showed an empty
list as if that were the data. Here the engine of an opened store connects with the
URI `mode=rw` (never creates), says in Chinese that the file is missing, and drops a
pooled connection whose file was deleted or replaced (it would read and write the
unlinked file) so that the caller sees the error, shows it and retries.
Only `init` / `db upgrade` / `demo` (create=True) let SQLite create the file.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, event
from sqlalchemy.engine import URL
from sqlalchemy.exc import DisconnectionError

INODE = "rectify_inode"


def existing_file_url(url: URL) -> URL:
    """The URL of `url`'s file as a SQLite URI that opens it read-write, never creating it."""
    path = os.path.abspath(Path(str(url.database)).expanduser())
    return url.set(database="file:" + quote(path)).update_query_dict({"mode": "rw", "uri": "true"})


def missing(path: Path) -> sqlite3.OperationalError:
    return sqlite3.OperationalError(f"库文件不存在：{path}（已被删除或移走？）")


def guard_existing_file(engine: Engine, path: Path) -> None:
    """Refuse to connect to a missing file, and retire connections to a deleted one."""

    @event.listens_for(engine, "do_connect")
    def _before_connect(*_args: Any) -> None:
        if not path.exists():
            raise missing(path)  # mode=rw would refuse too, in English

    @event.listens_for(engine, "connect")
    def _remember_inode(_dbapi: Any, record: Any) -> None:
        record.info[INODE] = _inode(path)

    @event.listens_for(engine, "checkout")
    def _same_file(_dbapi: Any, record: Any, _proxy: Any) -> None:
        # A stat per checkout (microseconds): a pooled connection outlives a deletion.
        if _inode(path) != record.info.get(INODE):
            raise DisconnectionError(str(missing(path)))


def _inode(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino)
