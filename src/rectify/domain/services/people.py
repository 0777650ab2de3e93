"""People: users and their login sessions — bootstrap, add, authenticate, manage.

`bootstrap_first_user` is the only command that runs without a logged-in principal:
it succeeds only while no user exists, and the first user is always a bureau user
(someone must be able to add the others). Everything else follows `rectify.domain.permissions.PEOPLE_PERMISSIONS`
(BUREAU, except changing one's own password).
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from rectify.domain.clock import Clock, SystemClock
from rectify.domain.errors import InvalidInput, NotAllowed, NotFound, RectifyError
from rectify.domain.identity import Principal, Role, acting_as, current_principal
from rectify.domain.passwords import DEFAULT_N, PasswordHash, check_password_strength, dummy_verify
from rectify.domain.permissions import PEOPLE_PERMISSIONS, require
from rectify.domain.user import User, UserDirectory, check_binding, normalise_name

if TYPE_CHECKING:
    from rectify.domain.department import Department

A = TypeVar("A", bound=Aggregate)


class PeopleRecords(Protocol):
    """What the people service needs of the store: RectifyApp, or the house's reader
    that logs someone in before anything has built the app (bootstrap/records.py)."""

    def find(self, aggregate_id: UUID, kind: type[A], version: int | None = None) -> A | None: ...
    def save_all(
        self, *aggregates: Aggregate, credentials: Mapping[UUID, str] | None = None
    ) -> None: ...
    def credential(self, user_id: UUID) -> str | None: ...
    def get_department(self, code: str) -> Department: ...


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# Same words whether the name is unknown, the password wrong: do not tell which.
LOGIN_REFUSED = "用户名或密码错误"
LOGIN_ACTOR = "登录检查"  # who records a failed login (no one is logged in yet)


class PeopleService:
    def __init__(self, app: PeopleRecords, clock: Clock | None = None) -> None:
        self.app = app
        self.clock: Clock = clock or SystemClock()
        # scrypt cost; tests may lower it (never below the library minimum of 2).
        self.password_cost_n: int | None = None

    def _hash(self, password: str) -> PasswordHash:
        check_password_strength(password)
        if self.password_cost_n is None:
            return PasswordHash.create(password)
        return PasswordHash.create(password, n=self.password_cost_n)

    def _directory(self) -> UserDirectory | None:
        return self.app.find(UserDirectory.create_id(), UserDirectory)

    def _user(self, name: str) -> User | None:
        return self.app.find(User.create_id(name.strip()), User)

    def get_user(self, name: str) -> User:
        user = self._user(name)
        if user is None:
            raise NotFound(f"用户 {name} 不存在")
        return user

    def has_users(self) -> bool:
        return self._directory() is not None

    def user_names(self) -> list[str]:
        directory = self._directory()
        return list(directory.names) if directory else []

    def _require(self, command: str, subject: str = "") -> Principal:
        principal = current_principal()
        require(PEOPLE_PERMISSIONS[command], principal, subject=subject)
        return principal

    # -- creating users ---------------------------------------------------------------

    def bootstrap_first_user(self, name: str, password: str, display_name: str) -> Principal:
        """For `rectify init`: the first user, a BUREAU user; refused once any user exists."""
        name = normalise_name(name)
        if self.has_users():
            raise NotAllowed("已有用户，不能再初始化首个用户；请由财政局用户登录后添加用户")
        password_hash = self._hash(password)
        principal = Principal(name=name, role=Role.BUREAU)
        # The first user is recorded as acting for itself: there is no one else yet.
        with acting_as(principal):
            user = User(
                name=name,
                role=Role.BUREAU,
                department_code=None,
                display_name=display_name.strip() or name,
            )
            directory = UserDirectory(first_user=name)
        # Two bootstraps racing both try to create the directory: one gets a conflict.
        self.app.save_all(directory, user, credentials={user.id: password_hash.encoded})
        return principal

    def add_user(
        self,
        name: str,
        role: Role,
        password: str,
        display_name: str,
        department_code: str | None = None,
    ) -> UUID:
        self._require("add_user")
        name = normalise_name(name)
        code = check_binding(name, role, department_code)
        if code is not None:
            self.app.get_department(code)
        directory = self._directory()
        if directory is None:
            raise NotAllowed("还没有任何用户：请先用 `rectify init` 初始化首个用户")
        if self._user(name) is not None:
            raise InvalidInput(f"用户 {name} 已存在")
        password_hash = self._hash(password)
        directory.add(name)
        user = User(
            name=name,
            role=role,
            department_code=code,
            display_name=display_name.strip() or name,
        )
        self.app.save_all(directory, user, credentials={user.id: password_hash.encoded})
        return user.id

    # -- logging in -----------------------------------------------------------------

    def authenticate(self, name: str, password: str) -> Principal:
        """The principal for name+password; NotAllowed without saying which was wrong."""
        try:
            user = self._user(name.strip()) if name.strip() else None
        except InvalidInput:
            user = None
        if user is None:
            dummy_verify(password, self.password_cost_n or DEFAULT_N)
            raise NotAllowed(LOGIN_REFUSED)
        now = int(self.clock.now().timestamp())
        right = self._password_right(user, password)  # always: a lock must not change the cost
        if user.locked(now):
            # The same words as a wrong password: a refusal reveals nothing, not even the lock.
            raise NotAllowed(LOGIN_REFUSED)
        if not right:
            self._record_failure(user, now)
            raise NotAllowed(LOGIN_REFUSED)
        if user.disabled:
            # Only someone who knows the password learns that the account is disabled.
            raise NotAllowed(f"用户 {user.name} 已停用，请联系财政局管理员")
        return user.principal

    def _password_right(self, user: User, password: str) -> bool:
        """One scrypt whatever happens: against the stored hash, else the dummy."""
        stored = self.app.credential(user.id)
        if stored is None:  # e.g. an old store not yet upgraded: no password matches
            dummy_verify(password, self.password_cost_n or DEFAULT_N)
            return False
        return PasswordHash.parse(stored).verify(password)

    def _record_failure(self, user: User, now: int) -> None:
        with acting_as(Principal(LOGIN_ACTOR, Role.SYSTEM)):
            user.login_failed(now)
        with contextlib.suppress(RectifyError):  # a concurrent failure was recorded first
            self.app.save_all(user)

    def unlock_user(self, name: str, reason: str = "") -> None:
        self._require("unlock_user", f"（用户 {name}）")
        user = self.get_user(name)
        user.unlock(reason, int(self.clock.now().timestamp()))
        self.app.save_all(user)

    def list_users(self) -> list[User]:
        self._require("list_users")
        return [self.get_user(name) for name in self.user_names()]

    # -- login sessions -----------------------------------------------------------------

    def open_session(self, principal: Principal, expires: int) -> str:
        """A new session token for an authenticated principal; only its hash is recorded."""
        user = self.get_user(principal.name)
        token = secrets.token_urlsafe(32)
        with acting_as(principal):
            user.open_session(token_digest(token), expires)
        self.app.save_all(user)
        return token

    def principal_for_session(self, name: str, token: str, now: int) -> Principal | None:
        user = self._user(name)
        if user is None or not user.session_valid(token_digest(token), now):
            return None
        return user.principal

    def close_session(self, name: str, token: str) -> None:
        user = self._user(name)
        if user is None:
            return
        with acting_as(user.principal):
            user.close_session(token_digest(token))
        if user.pending_events:
            self.app.save_all(user)

    # -- managing users --------------------------------------------------------------

    def change_password(
        self, name: str, new_password: str, old_password: str | None = None
    ) -> None:
        """Own password (old password required) or a BUREAU reset of someone else's."""
        principal = current_principal()
        user = self.get_user(name)
        if principal.name.casefold() == user.name.casefold():
            require(PEOPLE_PERMISSIONS["change_own_password"], principal)
            if old_password is None or not self._password_right(user, old_password):
                raise NotAllowed(f"用户 {user.name}：原密码不正确，密码未修改")
            reason = "本人修改密码"
        else:
            self._require("reset_password", f"（用户 {user.name}）")
            reason = f"由 {principal.name} 重置"
        password_hash = self._hash(new_password)
        user.change_password(reason=reason)
        self.app.save_all(user, credentials={user.id: password_hash.encoded})

    def change_user_role(
        self, name: str, role: Role, reason: str, department_code: str | None = None
    ) -> None:
        self._require("change_user_role", f"（用户 {name}）")
        user = self.get_user(name)
        if department_code is not None:
            self.app.get_department(department_code)
        user.change_role(role, department_code, reason)
        self.app.save_all(user)

    def disable_user(self, name: str, reason: str) -> None:
        principal = self._require("disable_user", f"（用户 {name}）")
        user = self.get_user(name)
        if user.name.casefold() == principal.name.casefold():
            raise NotAllowed(f"用户 {user.name}：不能停用自己")
        user.disable(reason)
        self.app.save_all(user)

    def enable_user(self, name: str, reason: str = "") -> None:
        self._require("enable_user", f"（用户 {name}）")
        user = self.get_user(name)
        user.enable(reason)
        self.app.save_all(user)
