"""The read models' MetaData (the only tables Alembic manages) and shared column types."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import MetaData, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class DecimalText(TypeDecorator[Decimal]):
    """Decimal stored as its exact text: SQLite's NUMERIC would round-trip through float."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return str(Decimal(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)
