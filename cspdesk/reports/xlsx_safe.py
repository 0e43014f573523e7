"""Neutralise spreadsheet formula injection in exported cells."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def risky(value: Any) -> bool:
    """Text that a spreadsheet would run as a formula."""
    return isinstance(value, str) and value.startswith(DANGEROUS)


def safe_cell(value: Any) -> Any:
    """For CSV: prefix text that a spreadsheet would run as a formula with an apostrophe."""
    return "'" + value if risky(value) else value


def append_row(ws: Worksheet, values: list[Any]) -> None:
    """For XLSX: append a row, storing risky text as text with Excel's own quote-prefix style,
    so it shows exactly as typed (no apostrophe in the cell) and never runs."""
    ws.append(values)
    if any(risky(v) for v in values):
        for cell in ws[ws.max_row]:
            if risky(cell.value):
                cell.data_type = "s"
                cell.quotePrefix = True
