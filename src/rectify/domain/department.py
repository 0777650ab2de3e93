"""Department (部门) and its units (二级单位): the evaluated organisations."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import event

from rectify.domain.base import RectifyAggregate, derived_id
from rectify.domain.errors import InvalidInput


class Department(RectifyAggregate):
    TOPIC = "rectify/Department"

    @staticmethod
    def create_id(code: str) -> UUID:
        return derived_id("department", code)

    @event("Registered", topic="rectify/Department.Registered")
    def __init__(self, code: str, name: str, parent_code: str | None) -> None:
        self.code = code
        self.name = name
        self.parent_code = parent_code

    def rename(self, name: str, reason: str | None) -> None:
        name = name.strip()
        if not name:
            raise InvalidInput(f"部门 {self.code}：名称不能为空")
        if name == self.name:
            return
        self._renamed(name=name, reason=reason)

    @event("Renamed", topic="rectify/Department.Renamed")
    def _renamed(self, name: str, reason: str | None) -> None:
        self.name = name
