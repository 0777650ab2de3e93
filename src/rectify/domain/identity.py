"""Who is acting. The command layer sets the principal; events read it from here.

There is deliberately no default principal: an event recorded without one would hide
who acted, so asking for the actor outside `acting_as` raises `NoActor`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import Enum

from rectify.domain.errors import NoActor


class Role(Enum):
    BUREAU = "bureau"
    EVALUATOR = "evaluator"
    DEPARTMENT = "department"
    AUDITOR = "auditor"
    # The scheduler records reminders and overdue marks; never a person.
    SYSTEM = "system"


@dataclass(frozen=True)
class Principal:
    name: str
    role: Role
    # For department users: the department (or unit) code they are bound to.
    department: str | None = None


_principal: ContextVar[Principal | None] = ContextVar("rectify_principal", default=None)


def current_principal() -> Principal:
    principal = _principal.get()
    if principal is None:
        raise NoActor("没有登录用户：请先 `rectify login`，或设置 RECTIFY_USER / RECTIFY_PASSWORD")
    return principal


def current_actor() -> str:
    return current_principal().name


@contextmanager
def acting_as(principal: Principal) -> Iterator[Principal]:
    token = _principal.set(principal)
    try:
        yield principal
    finally:
        _principal.reset(token)
