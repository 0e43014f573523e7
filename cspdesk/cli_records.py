"""Records commands, the same as the app's Records menu:

`cspdesk export audit --out FILE.csv|FILE.xlsx [--person NAME] [--table T] [--text T]
[--since YYYY-MM-DD] [--until YYYY-MM-DD]`,
`cspdesk export subject-access --person NAME --out FILE.xlsx`,
`cspdesk retention [--apply --yes]`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cspdesk import cli, cli_io
from cspdesk.db.engine import Database
from cspdesk.errors import UserError


@cli.subcommand
def register(sub: argparse._SubParsersAction) -> None:
    export = cli_io.export_parser(sub)
    p = export.add_parser("audit", help="the audit trail, filtered, as CSV or XLSX")
    p.add_argument("--out", required=True, type=Path, metavar="FILE.csv|FILE.xlsx")
    p.add_argument("--person", metavar="NAME", help="changes to or naming this person")
    p.add_argument("--table", metavar="TABLE", help="one kind of record, e.g. isa_party")
    p.add_argument("--text", metavar="TEXT", help="text in the record or its values")
    p.add_argument("--since", type=cli.iso_date, metavar="YYYY-MM-DD")
    p.add_argument("--until", type=cli.iso_date, metavar="YYYY-MM-DD")
    p.set_defaults(func=cmd_audit)
    p = export.add_parser("subject-access",
                          help="everything held about one person (XLSX, a sheet per table)")
    p.add_argument("--person", required=True, metavar="NAME")
    p.add_argument("--out", required=True, type=Path, metavar="FILE.xlsx")
    p.set_defaults(func=cmd_subject_access)
    p = sub.add_parser("retention", help="personal data past its retention period "
                                         "(list, or --apply to anonymise or delete it)")
    p.add_argument("--apply", action="store_true", help="anonymise or delete every item listed")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(func=cmd_retention)


def _person(db: Database, name: str) -> int:
    """The one person whose name matches ``name`` (exactly, or else as the only partial match)."""
    from cspdesk.services.people import list_people

    found = list_people(db, name)
    exact = [p for p in found if p.name.casefold() == name.strip().casefold()]
    if len(exact) == 1 or len(found) == 1:
        return (exact or found)[0].id
    if not found:
        raise UserError(f"Nobody called '{name}' is recorded. Check the spelling.")
    names = ", ".join(p.name for p in found[:5])
    raise UserError(f"'{name}' matches {len(found)} people ({names}…); give the full name.")


def cmd_audit(args: argparse.Namespace) -> int:
    from cspdesk.services import audit_query

    db = cli.open_db_to_read(args)
    try:
        wanted = audit_query.AuditFilter(
            entity=args.table, text=args.text, date_from=args.since, date_to=args.until,
            person_id=_person(db, args.person) if args.person else None, limit=1_000_000)
        rows = audit_query.search(db, wanted)
        out = audit_query.export(rows, args.out)
    finally:
        db.dispose()
    print(f"{len(rows)} audit entries written to {out}")
    return 0


def cmd_subject_access(args: argparse.Namespace) -> int:
    from cspdesk.services import subject_access

    db = cli.open_db_to_read(args)
    try:
        out = subject_access.export(db, _person(db, args.person), args.out)
    finally:
        db.dispose()
    print(f"Subject access export written to {out}")
    return 0


def cmd_retention(args: argparse.Namespace) -> int:
    from cspdesk.services import retention

    db = cli.open_db(args) if args.apply else cli.open_db_to_read(args)
    try:
        items = retention.due(db)
        for item in items:
            print(f"{item.action:9}  {item.what}  ({item.reason}, {item.closed:%d %b %Y})")
        if not items:
            print(f"Nothing is past its retention period (closed before "
                  f"{retention.cutoff():%d %b %Y}).")
            return 0
        if not args.apply:
            print(f"{_items(len(items))}; run again with --apply --yes to anonymise or delete "
                  "them.")
            return 0
        if not args.yes:
            raise UserError("Add --yes to anonymise or delete these items without being asked.")
        done = retention.apply(db, [i.key for i in items])
    finally:
        db.dispose()
    print(f"{_items(done)} anonymised or deleted.")
    return 0


def _items(n: int) -> str:
    return f"{n} item" + ("" if n == 1 else "s")
