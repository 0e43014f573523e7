"""Command line: `cspdesk [--db FILE] [--demo]` starts the app; subcommands need no window."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from cspdesk import config
from cspdesk.errors import UserError

log = logging.getLogger(__name__)

#: subcommand registrations: each area adds a function that takes the subparsers object
SUBCOMMANDS: list[Callable[[argparse._SubParsersAction], None]] = []


def iso_date(text: str) -> dt.date:
    """argparse type: a date written 2020-02-27."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2020-02-27") from None


def subcommand(register: Callable[[argparse._SubParsersAction], None]):
    """Decorator: add a subcommand registration."""
    SUBCOMMANDS.append(register)
    return register


def build_parser() -> argparse.ArgumentParser:
    from cspdesk import __version__

    parser = argparse.ArgumentParser(
        prog="cspdesk",
        description="Board packs, action plans, budgets and the ISA register for "
        "Community Safety Partnerships.",
    )
    parser.add_argument("--version", action="version", version=f"cspdesk {__version__}")
    parser.add_argument("--db", metavar="FILE", help="SQLite database file to use")
    parser.add_argument("--database-url", metavar="URL",
                        help="SQLAlchemy URL of the database (overridden by CSPDESK_DATABASE_URL)")
    parser.add_argument("--demo", action="store_true",
                        help="start the app on a fresh temporary demo database")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    p = sub.add_parser("demo", help="create a demo database from the real board packs")
    p.add_argument("--db", dest="sub_db", metavar="FILE", help="where to create it")
    p.add_argument("--force", action="store_true", help="overwrite an existing non-demo file")
    p.add_argument("--scale", type=int, default=1, metavar="N",
                   help="add synthetic data: N=100 is about a county's ten years (default 1)")
    p.add_argument("--packs-only", action="store_true",
                   help="only the board packs' data, without the sample current year "
                        "(this year's meetings, plan and budget dated around today)")
    p.set_defaults(func=cmd_demo)
    p = sub.add_parser("info", help="database location, schema, integrity and record counts")
    p.set_defaults(func=cmd_info)
    from cspdesk import cli_io

    cli_io.reset()
    _load_area_commands()
    for register in SUBCOMMANDS:
        register(sub)
    return parser


def _load_area_commands() -> None:
    """Import the modules that register area subcommands (import/export)."""
    import importlib
    import importlib.util

    for name in ("cspdesk.cli_isa", "cspdesk.cli_actions", "cspdesk.cli_budget",
                 "cspdesk.cli_meetings", "cspdesk.cli_safety", "cspdesk.cli_copy",
                 "cspdesk.cli_records"):
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name)


def database_url(args: argparse.Namespace) -> str:
    """The URL the arguments and environment point at."""
    db_file = getattr(args, "sub_db", None) or args.db
    return config.resolve_database_url(db_file, args.database_url)


def open_db(args: argparse.Namespace, *, create: bool = False, read_only: bool = False):
    """Open the database named by the arguments (must exist unless ``create``).

    Opening for writing takes the lock file (refusing, with who has it, while the app or
    another command has the file open) and makes the daily backup; see services/lock.py.
    """
    from cspdesk.services.database import open_database
    from cspdesk.services.lock import open_for_writing, sqlite_file

    url = database_url(args)
    path = sqlite_file(url)
    if read_only or (not create and path is not None and not path.exists()):
        return open_database(url, create=create, read_only=read_only)
    db = open_for_writing(url)
    if db.backup_problem:
        print(f"cspdesk: warning: today's automatic backup was not made. {db.backup_problem}",
              file=sys.stderr)
    return db


def open_db_to_read(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """Open read-only, so the command also answers while the app has the file open; a file
    from an older version is upgraded first (with its backup), as a normal open would."""
    try:
        return open_db(args, read_only=True)
    except UserError:
        return open_db(args)


def cmd_demo(args: argparse.Namespace) -> int:
    from cspdesk.services.database import open_database
    from cspdesk.services.demo import is_demo, is_empty
    from cspdesk.services.scale_demo import load_scale_demo

    if args.scale < 1:
        raise UserError("Give a scale of 1 or more (1 is the normal demo).")
    url = database_url(args)
    path = _sqlite_path(url)
    held = None
    kept = None
    if path is not None and path.exists():
        from cspdesk.services.backup import backup_file
        from cspdesk.services.lock import acquire, current_user

        held = acquire(path.absolute(), current_user())  # refuses a file another copy has open
        existing = open_database(url)
        try:
            demo, empty = is_demo(existing), is_empty(existing)
        finally:
            existing.dispose()
        if not empty and not demo and not args.force:
            held.release()
            raise UserError(f"{path} holds real data. Use --force to replace it with the demo.")
        if not empty and not demo:
            kept = backup_file(path, "before-demo", rotate_after=False)
        if not empty:
            _remove_sqlite(path)
    try:
        db = open_database(url)
        try:
            added = load_scale_demo(db, args.scale,
                                    this_year=args.scale == 1 and not args.packs_only)
        finally:
            db.dispose()
    finally:
        if held is not None:
            held.release()
    if kept is not None:
        print(f"The real data it held was kept at {kept}")
    print(f"Demo database created at {path or url}")
    if added.counts:
        print(f"Synthetic data (scale {args.scale}): {added.text()}")
    return 0


def _sqlite_path(url: str) -> Path | None:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        candidate = Path(f"{path}{suffix}")
        if candidate.exists():
            candidate.unlink()


def cmd_info(args: argparse.Namespace) -> int:
    from cspdesk.services.info import database_info

    db = open_db_to_read(args)
    try:
        info = database_info(db)
    finally:
        db.dispose()
    print(f"Database:   {info.location}")
    print(f"Schema:     {info.revision} (this build knows up to {info.head})")
    print(f"Integrity:  {info.integrity}")
    for area, counts in info.counts.items():
        detail = ", ".join(f"{n} {t.replace('_', ' ')}" for t, n in counts.items())
        print(f"{area + ':':<26}{detail}")
    return 0 if info.integrity in ("ok",) or info.integrity.startswith("n/a") else 1


def setup_logging() -> Path:
    """Send tracebacks to the log file in the data folder (never to the user)."""
    path = config.log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def run_command(args: argparse.Namespace) -> int:
    """Run a subcommand: UserError prints one sentence and exits 2; anything else is logged."""
    from cspdesk.services.lock import release_all

    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        log.warning("command refused: %s", exc.message)
        print(f"cspdesk: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("cspdesk: cancelled", file=sys.stderr)
        return 130
    except Exception:  # noqa: BLE001 - last resort: the user gets a sentence, the log the details
        log.exception("command failed")
        print(f"cspdesk: something went wrong; details are in {config.log_path()}",
              file=sys.stderr)
        return 1
    finally:
        release_all()


#: the options of ``cspdesk`` without a subcommand (starting the app), with their value counts
APP_OPTIONS = {"--db": ("db", 1), "--database-url": ("database_url", 1), "--demo": ("demo", 0)}


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line. Starting the app with only its own options skips building the
    full parser (which imports every area's commands); anything else goes through it."""
    return app_arguments(sys.argv[1:] if argv is None else list(argv)) \
        or build_parser().parse_args(argv)


def app_arguments(argv: list[str]) -> argparse.Namespace | None:
    """``--db FILE``, ``--database-url URL`` and ``--demo`` exactly as argparse reads them,
    or None for anything else (a subcommand, --help, an abbreviation, a missing value)."""
    args = argparse.Namespace(db=None, database_url=None, demo=False, command=None)
    i = 0
    while i < len(argv):
        name, eq, value = argv[i].partition("=")
        if name not in APP_OPTIONS or (eq and APP_OPTIONS[name][1] == 0):
            return None
        dest, count = APP_OPTIONS[name]
        if count == 0:
            setattr(args, dest, True)
        elif eq:
            setattr(args, dest, value)
        elif i + 1 < len(argv) and not argv[i + 1].startswith("-"):
            i += 1
            setattr(args, dest, argv[i])
        else:
            return None
        i += 1
    return args
