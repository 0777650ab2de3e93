"""Who is acting: resolved from the environment for scripts (interim, see issue #3)."""

from __future__ import annotations

import os

from rectify.domain.errors import NoActor
from rectify.domain.identity import Principal, Role
from rectify.projections.store import Store


def resolve_principal(store: Store) -> Principal:
    name = os.environ.get("RECTIFY_USER", "").strip()
    if not name:
        raise NoActor("没有登录用户：请设置 RECTIFY_USER")
    return Principal(name=name, role=Role.BUREAU)
