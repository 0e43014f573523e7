"""Exact money: Decimal pounds in Python, integer pence in the database, one formatter."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")


def to_pence(amount: Decimal | int | str) -> int:
    """Convert pounds to integer pence; floats are refused to keep money exact."""
    if isinstance(amount, float):
        raise TypeError("money must not be a float; use Decimal")
    value = Decimal(amount) if not isinstance(amount, Decimal) else amount
    return int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def from_pence(pence: int) -> Decimal:
    """Convert integer pence to Decimal pounds with two places."""
    return Decimal(int(pence)).scaleb(-2).quantize(PENNY)


def quantize(amount: Decimal) -> Decimal:
    """Round to the penny (half up)."""
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def format_money(
    amount: Decimal | None, *, brackets: bool = False, blank_zero: bool = False
) -> str:
    """'£11,763.94'; negatives as '-£5.00' or, for reports, '(£5.00)'."""
    if amount is None:
        return ""
    amount = quantize(Decimal(amount))
    if blank_zero and amount == 0:
        return "–"
    text = f"£{abs(amount):,.2f}"
    if amount < 0:
        return f"({text})" if brackets else f"-{text}"
    return text


_MONEY_RE = re.compile(r"^\(?-?£?\s*-?[\d,]*\.?\d*\)?$")


def parse_money(text: str) -> Decimal:
    """Read '£1,234.50', '1234.5', '(12.00)' or '-12' as Decimal; raise ValueError if not money."""
    raw = (text or "").strip().replace(" ", "")
    if not raw or not _MONEY_RE.match(raw):
        raise ValueError(f"'{text}' is not an amount of money")
    negative = raw.startswith("(") and raw.endswith(")") or "-" in raw
    digits = raw.strip("()").replace("£", "").replace(",", "").replace("-", "")
    try:
        value = Decimal(digits)
    except InvalidOperation as exc:
        raise ValueError(f"'{text}' is not an amount of money") from exc
    if value != value.quantize(PENNY):
        raise ValueError(f"'{text}' has fractions of a penny")
    return (-value if negative else value).quantize(PENNY)
