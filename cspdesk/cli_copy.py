"""`cspdesk copy --from URL --to URL`: move a whole database between SQLite and PostgreSQL."""

from __future__ import annotations

import argparse
import sys

from cspdesk import cli, config


def _url(text: str) -> str:
    """A URL as given, or a file path made into an SQLite URL."""
    return text if "://" in text else config.sqlite_url(text)


def cmd_copy(args: argparse.Namespace) -> int:
    from cspdesk.progress import Progress
    from cspdesk.services.copy import copy_database, describe

    source, target = _url(args.source), _url(args.target)
    last = [-1]

    def show(done: int, total: int, text: str) -> None:
        percent = 100 * done // total if total else 100
        if sys.stderr.isatty() and percent != last[0]:
            last[0] = percent
            print(f"\r{percent:3d}% {text:<50}", end="", file=sys.stderr, flush=True)

    report = copy_database(source, target, force=args.force, progress=Progress(show))
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(f"Copied {report.rows} rows in {len(report.tables)} tables and {report.files} files "
          f"from {describe(source)} to {describe(target)} (schema {report.revision}).")
    money = sum(len(t.money) for t in report.tables)
    print(f"Checked: row counts of every table and {money} money column totals match.")
    return 0


@cli.subcommand
def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "copy", help="copy a whole database between SQLite files and a PostgreSQL server",
        description="Copy every table and the attachments, then check row counts and money "
                    "totals. URLs look like sqlite:///C:/data/cspdesk.sqlite (or a file path) "
                    "or postgresql+psycopg://user@host/cspdesk.")
    p.add_argument("--from", dest="source", required=True, metavar="URL",
                   help="the database to copy (left unchanged)")
    p.add_argument("--to", dest="target", required=True, metavar="URL",
                   help="where to copy it (must be empty unless --force)")
    p.add_argument("--force", action="store_true",
                   help="replace the contents of a target that already holds data")
    p.set_defaults(func=cmd_copy)
