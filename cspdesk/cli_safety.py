"""CLI: ``cspdesk backup [--list]`` and ``cspdesk restore FILE`` for SQLite databases."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cspdesk import cli
from cspdesk.errors import UserError


def _db_file(args: argparse.Namespace) -> Path:
    from cspdesk.services.lock import sqlite_file

    path = sqlite_file(cli.database_url(args))
    if path is None:
        raise UserError("This is a server database; back it up and restore it with the "
                        "server's own tools.")
    if not path.is_file():
        raise UserError(f"There is no database at {path}. Check the path or use --db FILE.")
    return path


def _size(n: int) -> str:
    return f"{n / 1024:,.0f} KB" if n < 1_048_576 else f"{n / 1_048_576:,.1f} MB"


def cmd_backup(args: argparse.Namespace) -> int:
    """Back up the database now (or list its backups)."""
    from cspdesk.services import backup
    from cspdesk.services.database import check_intact

    path = _db_file(args)
    if args.list:
        rows = backup.list_backups(path)
        if not rows:
            print(f"No backups of {path.name} yet.")
        for b in rows:
            print(f"{b.at:%d %b %Y %H:%M:%S}  {_size(b.size):>10}  {b.reason:<22} {b.path}")
        return 0
    check_intact(path)
    target = backup.backup_file(path, "manual")
    print(f"Backed up {path.name} to {target}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """Replace the database with a backup, keeping a copy of the current file."""
    from cspdesk.services import backup, lock

    path = sqlite_file_or_new(args)
    source = Path(args.file).expanduser().absolute()
    backup.check_backup(source)
    if not args.yes:
        if not sys.stdin.isatty():
            raise UserError("Add --yes to restore without being asked.")
        answer = input(f"Replace {path} with {source.name}? A copy of the current file is "
                       "kept in the backups folder. [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing restored.")
            return 1
    with lock.acquire(path, lock.current_user()):
        kept = backup.restore(path, source)
    print(f"Restored {path} from {source.name}.")
    if kept is not None:
        print(f"The file as it was is kept as {kept}")
    return 0


def sqlite_file_or_new(args: argparse.Namespace) -> Path:
    """The SQLite file to restore into (it may be missing, its folder must exist)."""
    from cspdesk.services.lock import sqlite_file

    path = sqlite_file(cli.database_url(args))
    if path is None:
        raise UserError("This is a server database; restore it with the server's own tools.")
    if not path.parent.is_dir():
        raise UserError(f"The folder {path.parent} does not exist. Create it or use --db FILE.")
    return path


@cli.subcommand
def register(sub: argparse._SubParsersAction) -> None:
    """Add ``backup`` and ``restore``."""
    p = sub.add_parser("backup", help="back up the database now into its backups folder")
    p.add_argument("--db", dest="sub_db", metavar="FILE", help="database file")
    p.add_argument("--list", action="store_true", help="list the backups with date and size")
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser("restore", help="replace the database with a backup (keeps a copy)")
    p.add_argument("file", metavar="FILE", help="the backup to restore")
    p.add_argument("--db", dest="sub_db", metavar="FILE", help="database file")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(func=cmd_restore)
