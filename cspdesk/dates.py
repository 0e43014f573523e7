"""Date helpers: display format, financial years, working days over England & Wales holidays."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache


def format_date(value: dt.date | None) -> str:
    """'27 Feb 2020' (house style)."""
    return f"{value.day} {value:%b %Y}" if value else ""


def format_time(value: dt.time | None) -> str:
    """'10:00'."""
    return value.strftime("%H:%M") if value else ""


def financial_year_start(day: dt.date) -> int:
    """The calendar year in which the financial year containing ``day`` starts (1 April)."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(start_year: int) -> str:
    """2020 -> '2020/21'."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def parse_financial_year(label: str) -> int:
    """'2020/21' or '2020-21' or '2020' -> 2020."""
    text = label.strip().replace("-", "/")
    head = text.split("/")[0]
    if not head.isdigit() or len(head) != 4:
        raise ValueError(f"'{label}' is not a financial year like 2020/21")
    return int(head)


def financial_year_bounds(start_year: int) -> tuple[dt.date, dt.date]:
    """(1 April, 31 March) of the financial year."""
    return dt.date(start_year, 4, 1), dt.date(start_year + 1, 3, 31)


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    import holidays

    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday and not an England & Wales bank holiday."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def subtract_working_days(day: dt.date, count: int) -> dt.date:
    """The date ``count`` working days before ``day``."""
    current = day
    remaining = count
    while remaining > 0:
        current -= dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day ``months`` later, clamped to the month's end."""
    import calendar

    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))
