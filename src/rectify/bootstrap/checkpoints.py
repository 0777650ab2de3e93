"""Seal checkpoints kept outside the database, so a cut-off tail cannot go unnoticed.

After every command (and whenever `rectify checkpoint` runs, e.g. from cron) the
seal's head `position:hash` is appended to a file: RECTIFY_CHECKPOINT_FILE, else one
file per store under the user's state directory. `rectify verify` compares the store
with the furthest checkpoint in that file by default. Someone who can rewrite the
database but not this file (keep it on another machine or account for that) cannot
shorten or rewrite the log without `verify` failing.
"""

from __future__ import annotations

import hashlib
import os
from datetime import datetime
from pathlib import Path

from rectify.domain.errors import InvalidInput, StoreError
from rectify.projections import seal
from rectify.projections.store import Store, describe

FILE_ENV = "RECTIFY_CHECKPOINT_FILE"


def checkpoint_file(store: Store) -> Path:
    configured = os.environ.get(FILE_ENV, "").strip()
    if configured:
        return Path(configured).expanduser()
    key = hashlib.sha256(describe(store.url).encode("utf-8")).hexdigest()[:16]
    from platformdirs import user_state_dir  # here: only a default path needs it (~5 ms)

    return Path(user_state_dir("rectify", appauthor=False)) / "checkpoints" / f"{key}.log"


def current(store: Store) -> seal.Checkpoint:
    with store.engine.connect() as conn:
        return seal.checkpoint(conn)


def save(store: Store, now: datetime) -> seal.Checkpoint:
    """Append the current head unless the file already holds it (one line each).

    After this process recorded, its own last link (committed, so part of the chain)
    is that head as far as it knows: no query after every command."""
    point = store.last_sealed() or current(store)
    path = checkpoint_file(store)
    if point.position == 0 or point.position <= _last_saved_position(path):
        return point
    line = f"{now.isoformat(timespec='seconds')} {point} {describe(store.url)}\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as handle:
            handle.write(line)  # one short O_APPEND write: concurrent commands never interleave
    except OSError as exc:
        raise StoreError(
            f"无法写入检查点文件 {path}：{exc.strerror or exc}（可用 {FILE_ENV} 指定位置）"
        ) from None
    return point


def _last_saved_position(path: Path) -> int:
    """The position on the file's last line (only its tail is read: this runs per command)."""
    try:
        with path.open("rb") as handle:
            handle.seek(max(0, path.stat().st_size - 4096))
            lines = handle.read().decode("utf-8", "replace").splitlines()
    except OSError:
        return 0
    for line in reversed(lines):
        fields = line.split()
        if len(fields) >= 2 and fields[1].partition(":")[0].isdigit():
            return int(fields[1].partition(":")[0])
    return 0


def furthest(store: Store) -> seal.Checkpoint | None:
    """The checkpoint with the highest position in the file, or None when there is none."""
    path = checkpoint_file(store)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise StoreError(f"无法读取检查点文件 {path}：{exc}") from None
    best: seal.Checkpoint | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        fields = line.split()
        if not fields:
            continue
        if len(fields) < 2:
            raise StoreError(f"检查点文件 {path} 第 {number} 行格式错误：{line!r}")
        try:
            point = seal.Checkpoint.parse(fields[1])
        except InvalidInput:
            raise StoreError(f"检查点文件 {path} 第 {number} 行格式错误：{line!r}") from None
        if best is None or point.position > best.position:
            best = point
    return best


def retire(store: Store, now: datetime) -> Path | None:
    """A fresh, empty store: keep the old file aside (renamed) instead of failing on it."""
    path = checkpoint_file(store)
    if not path.exists():
        return None
    aside = path.with_name(f"{path.name}.{now.strftime('%Y%m%dT%H%M%S')}.retired")
    path.rename(aside)
    return aside
