"""User (用户): who may log in, in which role, bound to which department.

The events record that a password was set or changed, never its hash: the hash
(scrypt, see passwords.py) goes to the credentials table, written by the recorder in
the transaction that records the event (`RectifyApp.save_all(..., credentials=...)`).
Version 1 of `Added` and `PasswordChanged` carried the hash; they are upcast to
version 2 without it, and `rectify db upgrade` copies those old hashes into the
credentials table (docs/SECURITY.md).

`UserDirectory` is one aggregate listing every user name. It makes "is there any
user yet?" answerable on the write side (for the first-user bootstrap) and makes two
concurrent bootstraps collide on its version instead of both succeeding.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from rectify.domain.base import RectifyAggregate, derived_id
from rectify.domain.errors import InvalidInput
from rectify.domain.identity import Principal, Role

ROLES_WITH_LOGIN = (Role.BUREAU, Role.EVALUATOR, Role.DEPARTMENT, Role.AUDITOR)
SESSION_GRACE = 86_400  # seconds: see User.trim_snapshot_state


def normalise_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise InvalidInput("用户名不能为空")
    if any(ch.isspace() for ch in name) or len(name) > 64:
        raise InvalidInput(f"用户名 {name!r} 不合法：不能含空白，最长 64 个字符")
    return name


def check_binding(name: str, role: Role, department_code: str | None) -> str | None:
    if role not in ROLES_WITH_LOGIN:
        raise InvalidInput(f"用户 {name}：角色 {role.value} 不能登录（系统角色只供调度程序使用）")
    code = department_code.strip() if department_code and department_code.strip() else None
    if role is Role.DEPARTMENT and code is None:
        raise InvalidInput(f"用户 {name}：部门用户必须指定部门代码")
    if role is not Role.DEPARTMENT and code is not None:
        raise InvalidInput(f"用户 {name}：只有部门用户才绑定部门（角色为 {role.value}）")
    return code


MAX_FAILURES = 5
FAILURE_WINDOW = 15 * 60  # seconds
LOCK_SECONDS = 15 * 60


class User(RectifyAggregate):
    TOPIC = "rectify/User"

    @staticmethod
    def create_id(name: str) -> UUID:
        # Case-insensitive: "Zhang" and "zhang" are the same login.
        return derived_id("user", name.casefold())

    @event("Added", topic="rectify/User.Added")
    def __init__(
        self,
        name: str,
        role: Role,
        department_code: str | None,
        display_name: str,
    ) -> None:
        # A user is always added with a password: its hash is in the credentials table.
        self.name = name
        self.role = role
        self.department_code = department_code
        self.display_name = display_name
        self.disabled = False
        # Open login sessions: sha256 of the token -> expiry (unix seconds). Only the
        # hash is stored, so reading the log (as auditors do) cannot forge a session.
        self.sessions: dict[str, int] = {}
        # Lockout: recent failed logins (unix seconds) and the end of a lock (0: none).
        self.failures: list[int] = []
        self.locked_until = 0

    @property
    def principal(self) -> Principal:
        return Principal(name=self.name, role=self.role, department=self.department_code)

    def change_password(self, reason: str | None = None) -> None:
        """Records that the password changed; the caller saves the new hash with it."""
        self._password_changed(reason=reason)

    @event("PasswordChanged", topic="rectify/User.PasswordChanged")
    def _password_changed(self, reason: str | None) -> None:
        self.sessions = {}  # a new password ends every open session

    def change_role(self, role: Role, department_code: str | None, reason: str) -> None:
        if not reason.strip():
            raise InvalidInput(f"用户 {self.name}：变更角色须说明理由")
        code = check_binding(self.name, role, department_code)
        if (role, code) == (self.role, self.department_code):
            raise InvalidInput(f"用户 {self.name}：角色和部门没有变化")
        self._role_changed(role=role, department_code=code, reason=reason.strip())

    @event("RoleChanged", topic="rectify/User.RoleChanged")
    def _role_changed(self, role: Role, department_code: str | None, reason: str) -> None:
        self.role = role
        self.department_code = department_code

    def disable(self, reason: str) -> None:
        if not reason.strip():
            raise InvalidInput(f"用户 {self.name}：停用须说明理由")
        if self.disabled:
            raise InvalidInput(f"用户 {self.name} 已是停用状态")
        self._disabled(reason=reason.strip())

    @event("Disabled", topic="rectify/User.Disabled")
    def _disabled(self, reason: str) -> None:
        self.disabled = True
        self.sessions = {}

    def enable(self, reason: str) -> None:
        if not self.disabled:
            raise InvalidInput(f"用户 {self.name} 未停用")
        self._enabled(reason=reason.strip() or None)

    @event("Enabled", topic="rectify/User.Enabled")
    def _enabled(self, reason: str | None) -> None:
        self.disabled = False

    # -- lockout: MAX_FAILURES wrong passwords within FAILURE_WINDOW lock for LOCK_SECONDS --

    def locked(self, now: int) -> bool:
        return self.locked_until > now

    def login_failed(self, now: int) -> None:
        recent = [t for t in self.failures if t > now - FAILURE_WINDOW]
        self._login_failed(at=now)
        if len(recent) + 1 >= MAX_FAILURES:
            self._locked_out(until=now + LOCK_SECONDS)

    @event("LoginFailed", topic="rectify/User.LoginFailed")
    def _login_failed(self, at: int) -> None:
        self.failures = [t for t in self.failures if t > at - FAILURE_WINDOW] + [at]

    @event("LockedOut", topic="rectify/User.LockedOut")
    def _locked_out(self, until: int) -> None:
        self.locked_until = until
        self.failures = []

    def unlock(self, reason: str, now: int) -> None:
        if not self.locked(now) and not self.failures:
            raise InvalidInput(f"用户 {self.name} 未被锁定")
        self._unlocked(reason=reason.strip() or None)

    @event("Unlocked", topic="rectify/User.Unlocked")
    def _unlocked(self, reason: str | None) -> None:
        self.locked_until = 0
        self.failures = []

    def open_session(self, token_sha256: str, expires: int) -> None:
        if self.disabled:
            raise InvalidInput(f"用户 {self.name} 已停用，不能登录")
        self._session_opened(token_sha256=token_sha256, expires=expires)

    @event("SessionOpened", topic="rectify/User.SessionOpened")
    def _session_opened(self, token_sha256: str, expires: int) -> None:
        # In place: a copy per event made replaying a user quadratic in its logins.
        self.sessions[token_sha256] = expires

    def close_session(self, token_sha256: str) -> None:
        if token_sha256 in self.sessions:
            self._session_closed(token_sha256=token_sha256)

    @event("SessionClosed", topic="rectify/User.SessionClosed")
    def _session_closed(self, token_sha256: str) -> None:
        self.sessions.pop(token_sha256, None)

    def session_valid(self, token_sha256: str, now: int) -> bool:
        return not self.disabled and self.sessions.get(token_sha256, 0) > now

    def trim_snapshot_state(self, state: dict[str, Any]) -> None:
        """Leave out of a snapshot the sessions long expired by the user's last event.

        The aggregate keeps every session it ever opened (a replay must yield what
        the events say), so a snapshot would grow with every login forever; a session
        that expired a day before the last event can never be valid again, whatever
        clock checks it (SESSION_GRACE covers clocks that lag)."""
        settled = int(self.modified_on.timestamp()) - SESSION_GRACE
        state["sessions"] = {t: at for t, at in self.sessions.items() if at > settled}


def _drop_password_hash(state: dict[str, Any]) -> None:
    state.pop("password_hash", None)


# Version 2 of the two events that used to carry the hash: loaded without it.
for _with_hash in (vars(User)["Added"], vars(User)["PasswordChanged"]):
    _with_hash.class_version = 2
    _with_hash.upcast_v1_v2 = staticmethod(_drop_password_hash)


class UserDirectory(RectifyAggregate):
    """The list of user names; created together with the first user."""

    TOPIC = "rectify/UserDirectory"
    KEY = "users"

    @staticmethod
    def create_id() -> UUID:
        return derived_id("user-directory", UserDirectory.KEY)

    @event("Started", topic="rectify/UserDirectory.Started")
    def __init__(self, first_user: str) -> None:
        self.names: list[str] = [first_user]

    def add(self, name: str) -> None:
        if name.casefold() in {n.casefold() for n in self.names}:
            raise InvalidInput(f"用户 {name} 已存在")
        self._user_listed(name=name)

    @event("UserListed", topic="rectify/UserDirectory.UserListed")
    def _user_listed(self, name: str) -> None:
        self.names.append(name)
