"""Who is acting: RECTIFY_USER/RECTIFY_PASSWORD, or the session file `rectify login` wrote.

Scripts set RECTIFY_USER and RECTIFY_PASSWORD (checked on every command). People log
in once: the session file (0600) holds, per store, the user name and a random token.
The store records only the token's sha256 (a SessionOpened event on the user), so
reading the log cannot forge a session; a new password, a disabled user or logging
out ends it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Protocol

from rectify.domain.errors import NoActor
from rectify.domain.identity import Principal

SESSION_HOURS = 12
SESSION_FILE_ENV = "RECTIFY_SESSION_FILE"
LOGIN_HINT = "请先 `rectify login`，或设置 RECTIFY_USER 与 RECTIFY_PASSWORD"


class SessionKeeper(Protocol):
    """The people service as seen from here (open, check and close session tokens)."""

    def authenticate(self, name: str, password: str) -> Principal: ...
    def open_session(self, principal: Principal, expires: int) -> str: ...
    def principal_for_session(self, name: str, token: str, now: int) -> Principal | None: ...
    def close_session(self, name: str, token: str) -> None: ...


def session_file() -> Path:
    override = os.environ.get(SESSION_FILE_ENV)
    if override:
        return Path(override)
    from platformdirs import user_state_dir  # here: only a default path needs it (~5 ms)

    return Path(user_state_dir("rectify", appauthor=False)) / "session.json"


def _read_sessions() -> dict[str, Any]:
    path = session_file()
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise NoActor(f"无法读取登录会话文件 {path}：{exc.strerror or exc}") from None
    if mode & 0o077:
        # A token others can read is a login others can use.
        raise NoActor(
            f"登录会话文件 {path} 的权限为 {oct(mode & 0o777)}，其他用户也能读取；"
            f"请运行 `chmod 600 {path}`（或删除它后重新 `rectify login`）"
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        raise NoActor(f"登录会话文件损坏：{path}；请删除它后重新 `rectify login`") from None
    if not isinstance(data, dict):
        raise NoActor(
            f"登录会话文件格式不对（应为 JSON 对象）：{path}；请删除它后重新 `rectify login`"
        )
    return data


def _entry(sessions: dict[str, Any], store_key: str) -> dict[str, Any] | None:
    """This store's entry, checked: a wrong type is a clear error, never AttributeError."""
    entry = sessions.get(store_key)
    if entry is None:
        return None
    if not (
        isinstance(entry, dict)
        and isinstance(entry.get("user"), str)
        and isinstance(entry.get("token"), str)
    ):
        raise NoActor(
            f"登录会话文件 {session_file()} 中库 {store_key} 的条目格式不对"
            "（应含字符串 user 与 token）；请重新 `rectify login`"
        )
    return entry


def _write_sessions(sessions: dict[str, Any]) -> None:
    path = session_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(sessions, handle, ensure_ascii=False, indent=2)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def remember_login(people: SessionKeeper, store_key: str, principal: Principal, now: int) -> Path:
    expires = now + SESSION_HOURS * 3600
    token = people.open_session(principal, expires)
    sessions = _read_sessions()
    sessions[store_key] = {"user": principal.name, "expires": expires, "token": token}
    _write_sessions(sessions)
    return session_file()


def forget_login(people: SessionKeeper, store_key: str) -> bool:
    sessions = _read_sessions()
    try:
        entry = _entry(sessions, store_key)
    except NoActor:
        entry = None  # a broken entry is simply dropped
    if store_key not in sessions:
        return False
    sessions.pop(store_key)
    if entry is not None:
        people.close_session(entry["user"], entry["token"])
    _write_sessions(sessions)
    return True


def principal_from_environment(people: SessionKeeper, store_key: str, now: int) -> Principal:
    name = os.environ.get("RECTIFY_USER", "").strip()
    if name:
        password = os.environ.get("RECTIFY_PASSWORD")
        if password is None:
            raise NoActor(f"已设置 RECTIFY_USER={name}，但缺少 RECTIFY_PASSWORD")
        return people.authenticate(name, password)
    entry = _entry(_read_sessions(), store_key)
    if not entry:
        raise NoActor(f"没有登录用户（库 {store_key}）：{LOGIN_HINT}")
    principal = people.principal_for_session(entry["user"], entry["token"], now)
    if principal is None:
        raise NoActor(f"登录会话无效或已过期（密码已更改、用户已停用或已退出）：{LOGIN_HINT}")
    return principal
