"""Enums stored by their value as short strings, the same on SQLite and PostgreSQL."""

from enum import StrEnum

from sqlalchemy import Enum


def enum_column(enum_cls: type[StrEnum]) -> Enum:
    return Enum(
        enum_cls,
        native_enum=False,
        length=32,
        values_callable=lambda cls: [member.value for member in cls],
        validate_strings=True,
    )
