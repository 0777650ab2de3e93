"""Who is acting, for each command.

Scripts set RECTIFY_USER and RECTIFY_PASSWORD (checked on every command). People run
`rectify login` once: it writes a session file (0600) holding, per store, the user
name and a random token. The store records only the token's sha256 (a SessionOpened
event on the user), so reading the log cannot forge a session; a new password, a
disabled user or `rectify logout` ends it.
"""

from __future__ import annotations

import getpass
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from platformdirs import user_state_dir

from rectify.domain.errors import InvalidInput, NoActor
from rectify.domain.identity import Principal
from rectify.projections.store import Store, describe

SESSION_HOURS = 12
LOGIN_HINT = "请先 `rectify login`，或设置 RECTIFY_USER 与 RECTIFY_PASSWORD"


def session_file() -> Path:
    override = os.environ.get("RECTIFY_SESSION_FILE")
    return Path(override) if override else Path(user_state_dir("rectify", appauthor=False)) / "session.json"


def _store_key(store: Store) -> str:
    return describe(store.url)


def _read_sessions() -> dict[str, Any]:
    path = session_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        raise NoActor(f"登录会话文件损坏：{path}；请重新 `rectify login`") from None
    return data if isinstance(data, dict) else {}


def _write_sessions(sessions: dict[str, Any]) -> None:
    path = session_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(sessions, handle, ensure_ascii=False, indent=2)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def remember_login(store: Store, principal: Principal) -> Path:
    expires = int(time.time()) + SESSION_HOURS * 3600
    token = store.app.open_session(principal, expires)
    sessions = _read_sessions()
    sessions[_store_key(store)] = {"user": principal.name, "expires": expires, "token": token}
    _write_sessions(sessions)
    return session_file()


def forget_login(store: Store) -> bool:
    sessions = _read_sessions()
    entry = sessions.pop(_store_key(store), None)
    if entry is None:
        return False
    store.app.close_session(str(entry.get("user", "")), str(entry.get("token", "")))
    _write_sessions(sessions)
    return True


def resolve_principal(store: Store) -> Principal:
    name = os.environ.get("RECTIFY_USER", "").strip()
    if name:
        password = os.environ.get("RECTIFY_PASSWORD")
        if password is None:
            raise NoActor(f"已设置 RECTIFY_USER={name}，但缺少 RECTIFY_PASSWORD")
        return store.app.authenticate(name, password)
    entry = _read_sessions().get(_store_key(store))
    if not entry:
        raise NoActor(f"没有登录用户（库 {_store_key(store)}）：{LOGIN_HINT}")
    principal = store.app.principal_for_session(
        str(entry.get("user", "")), str(entry.get("token", "")), int(time.time())
    )
    if principal is None:
        raise NoActor(f"登录会话无效或已过期（密码已更改、用户已停用或已退出）：{LOGIN_HINT}")
    return principal


def read_new_password(from_stdin: bool, prompt: str = "新密码") -> str:
    """A new password: one line of stdin, or typed twice at a terminal."""
    if from_stdin:
        line = sys.stdin.readline().rstrip("\n")
        if not line:
            raise InvalidInput("标准输入中没有密码")
        return line
    env = os.environ.get("RECTIFY_PASSWORD")
    if env:
        return env
    if not sys.stdin.isatty():
        raise InvalidInput("无法提示输入密码（不是终端）：请用 --password-stdin 或设置 RECTIFY_PASSWORD")
    first = getpass.getpass(f"{prompt}：")
    if getpass.getpass(f"再次输入{prompt}：") != first:
        raise InvalidInput("两次输入的密码不一致")
    return first


def read_password(prompt: str = "密码") -> str:
    env = os.environ.get("RECTIFY_PASSWORD")
    if env:
        return env
    if not sys.stdin.isatty():
        raise InvalidInput("无法提示输入密码（不是终端）：请设置 RECTIFY_PASSWORD")
    return getpass.getpass(f"{prompt}：")
