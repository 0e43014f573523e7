"""Money is exact: Decimal pounds, integer pence, never float; one formatter for every paper."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cspdesk.money import format_money, from_pence, parse_money, to_pence


@given(st.integers(min_value=-10**12, max_value=10**12))
def test_pence_round_trip_is_exact(pence: int) -> None:
    assert to_pence(from_pence(pence)) == pence
    assert parse_money(format_money(from_pence(pence))) == from_pence(pence)
    assert parse_money(format_money(from_pence(pence), brackets=True)) == from_pence(pence)


def test_floats_are_refused() -> None:
    with pytest.raises(TypeError, match="float"):
        to_pence(0.1)  # type: ignore[arg-type]


def test_the_south_cambs_2020_21_funding_adds_up_exactly() -> None:
    # CSP Budget 2020/21 (pack notes §2.3): pooled start, OPCC rollover, OPCC funding
    parts = ["£11,763.94", "£4,130.00", "£36,650.00"]
    total = sum((parse_money(p) for p in parts), Decimal("0.00"))
    assert format_money(total) == "£52,543.94"


@pytest.mark.parametrize(("text", "value"), [
    ("£1,234.50", "1234.50"), ("1234.5", "1234.50"), ("(12.00)", "-12.00"), ("-12", "-12.00"),
    ("£ 15,728.94", "15728.94"), ("0", "0.00"),
])
def test_parse_money_reads_what_officers_type(text: str, value: str) -> None:
    parsed = parse_money(text)
    assert parsed == Decimal(value)
    assert str(parsed) == value


@pytest.mark.parametrize("text", ["", "twelve", "£1.234", "1.2.3", "12p"])
def test_parse_money_refuses_what_is_not_money(text: str) -> None:
    with pytest.raises(ValueError):
        parse_money(text)


def test_format_money_for_screens_and_reports() -> None:
    assert format_money(Decimal("-1012.01")) == "-£1,012.01"
    assert format_money(Decimal("-1012.01"), brackets=True) == "(£1,012.01)"
    assert format_money(Decimal("0"), blank_zero=True) == "–"
    assert format_money(None) == ""
