"""Column types: money as integer pence."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger
from sqlalchemy.types import TypeDecorator

from cspdesk.money import from_pence, to_pence


class Money(TypeDecorator[Decimal]):
    """Stores Decimal pounds as integer pence; refuses floats."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> int | None:
        if value is None:
            return None
        return to_pence(value)

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        return from_pence(int(value))
