"""Shared parent commands ``cspdesk import <what>`` and ``cspdesk export <what>``."""

from __future__ import annotations

import argparse

_parsers: dict[str, argparse._SubParsersAction] = {}


def _parent(
    sub: argparse._SubParsersAction, name: str, help_text: str
) -> argparse._SubParsersAction:
    if name not in _parsers or _parsers[name] is None:
        parser = sub.add_parser(name, help=help_text)
        _parsers[name] = parser.add_subparsers(dest=f"{name}_what", metavar="WHAT", required=True)
    return _parsers[name]


def reset() -> None:
    """Forget parent parsers (a new top-level parser is being built)."""
    _parsers.clear()


def import_parser(sub: argparse._SubParsersAction) -> argparse._SubParsersAction:
    """Subparsers of ``cspdesk import``."""
    return _parent(sub, "import", "import a spreadsheet (preview first, all-or-nothing)")


def export_parser(sub: argparse._SubParsersAction) -> argparse._SubParsersAction:
    """Subparsers of ``cspdesk export``."""
    return _parent(sub, "export", "export a PDF or XLSX")
