"""`cspdesk import isa-register FILE --agreement REF [--yes]` and
`cspdesk export isa-register --agreement REF --out FILE.pdf|FILE.xlsx`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cspdesk import cli, cli_io
from cspdesk.errors import UserError


@cli.subcommand
def register(sub: argparse._SubParsersAction) -> None:
    p = cli_io.import_parser(sub).add_parser(
        "isa-register", help="import an ISA register (Appendix 1 layout, CSV or XLSX)")
    p.add_argument("file", type=Path, help="the CSV or XLSX file")
    p.add_argument("--agreement", required=True, metavar="REF",
                   help="reference of the agreement, e.g. 'CSP ISA'")
    p.add_argument("--yes", action="store_true", help="apply without asking")
    p.set_defaults(func=cmd_import)
    p = cli_io.export_parser(sub).add_parser(
        "isa-register", help="export an ISA register as PDF or XLSX")
    p.add_argument("--agreement", required=True, metavar="REF")
    p.add_argument("--out", required=True, type=Path, metavar="FILE",
                   help="FILE.pdf or FILE.xlsx")
    p.set_defaults(func=cmd_export)


def print_preview(preview) -> None:  # type: ignore[no-untyped-def]
    """Every row as it will be read, with warnings and errors."""
    print(f"{preview.path.name}: {preview.headline}")
    for w in preview.warnings:
        print(f"  warning: {w}")
    for r in preview.rows:
        target = f" -> {r.matched}" if r.matched and r.matched != r.organisation else ""
        print(f"  row {r.row:>3}  {r.action:<9} {r.organisation}{target} | {r.status_label}"
              f" | lead: {r.lead_text or '-'} | SPOC: {r.spoc_text or '-'}")
        for c in r.changes:
            print(f"             change: {c}")
        for w in r.warnings:
            print(f"             warning: {w}")
    for e in preview.errors:
        print(f"  error: {e}")


def cmd_import(args: argparse.Namespace) -> int:
    from cspdesk.services import isa_import

    db = cli.open_db(args)
    try:
        preview = isa_import.parse(db, args.file, args.agreement)
        print_preview(preview)
        if preview.errors:
            raise UserError(f"{len(preview.errors)} rows need fixing; nothing was imported.")
        if preview.count("add") + preview.count("update") == 0:
            print("Nothing to change: the register already matches the file.")
            return 0
        if not args.yes:
            if not sys.stdin.isatty():
                raise UserError("Add --yes to apply the import (nothing was changed).")
            if input("Apply these changes? [y/N] ").strip().lower() not in {"y", "yes"}:
                print("Nothing was changed.")
                return 1
        result = isa_import.apply(db, preview)
        print(f"Imported: {result.added} added, {result.updated} updated, "
              f"{result.unchanged} unchanged.")
        return 0
    finally:
        db.dispose()


def cmd_export(args: argparse.Namespace) -> int:
    from cspdesk.services.isa import find_agreement
    from cspdesk.services.isa_export import export_register

    db = cli.open_db(args, read_only=True)
    try:
        agreement = find_agreement(db, args.agreement)
        path = export_register(db, agreement.id, args.out)
    finally:
        db.dispose()
    print(f"Wrote {path}")
    return 0
