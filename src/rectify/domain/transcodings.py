"""JSON transcodings for the value types stored in events: date, Decimal, enums."""

from __future__ import annotations

from datetime import date
from enum import Enum

from eventsourcing.persistence import DecimalAsStr, JSONTranscoder, Transcoding


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


def enum_transcoding(enum_class: type[Enum], name: str) -> Transcoding:
    """A transcoding storing an enum member by its value under a permanent name."""

    class EnumAsValue(Transcoding):
        type = enum_class

        def encode(self, obj: Enum) -> object:
            return obj.value

        def decode(self, data: object) -> Enum:
            return enum_class(data)

    EnumAsValue.name = name
    return EnumAsValue()


def register_common(transcoder: JSONTranscoder) -> None:
    transcoder.register(DateAsISO())
    transcoder.register(DecimalAsStr())
