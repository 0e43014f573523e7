"""Meeting commands:

`cspdesk export pack --meeting YYYY-MM-DD [--partnership NAME] --out FILE.pdf [--public]`,
`cspdesk export minutes --meeting YYYY-MM-DD [--partnership NAME] --out FILE.pdf`,
`cspdesk export calendar --board NAME --out FILE.ics`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cspdesk import cli, cli_io
from cspdesk.errors import UserError


@cli.subcommand
def register(sub: argparse._SubParsersAction) -> None:
    export = cli_io.export_parser(sub)
    p = export.add_parser("pack", help="build a meeting's board pack (PDF)")
    p.add_argument("--meeting", required=True, type=cli.iso_date, metavar="YYYY-MM-DD")
    p.add_argument("--partnership", metavar="NAME", help="when several boards met that day")
    p.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    p.add_argument("--public", action="store_true",
                   help="the public pack: exempt and unapproved items replaced by a notice")
    p.set_defaults(func=cmd_pack)
    p = export.add_parser("minutes", help="export a meeting's minutes (PDF)")
    p.add_argument("--meeting", required=True, type=cli.iso_date, metavar="YYYY-MM-DD")
    p.add_argument("--partnership", metavar="NAME")
    p.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    p.set_defaults(func=cmd_minutes)
    p = export.add_parser("calendar", help="a board's meetings and paper deadlines (.ics)")
    p.add_argument("--board", required=True, metavar="NAME", help="board name (or part of it)")
    p.add_argument("--out", required=True, type=Path, metavar="FILE.ics")
    p.set_defaults(func=cmd_calendar)


def cmd_pack(args: argparse.Namespace) -> int:
    from cspdesk.progress import Progress
    from cspdesk.services.packs import export_pack, find_meeting, preflight

    db = cli.open_db(args)
    try:
        meeting_id = find_meeting(db, args.meeting, args.partnership)
        for problem in preflight(db, meeting_id):
            mark = "error" if problem.blocking else "check"
            print(f"{mark}: {problem.text}", file=sys.stderr)
        progress = Progress(lambda done, total, text: None)
        out = export_pack(db, meeting_id, args.out, public=args.public, progress=progress)
    finally:
        db.dispose()
    print(f"{'Public' if args.public else 'Full'} pack written to {out}")
    return 0


def cmd_minutes(args: argparse.Namespace) -> int:
    from cspdesk.services.minutes import minutes_pdf
    from cspdesk.services.packs import find_meeting

    db = cli.open_db(args)
    try:
        out = minutes_pdf(db, find_meeting(db, args.meeting, args.partnership), args.out)
    finally:
        db.dispose()
    print(f"Minutes written to {out}")
    return 0


def cmd_calendar(args: argparse.Namespace) -> int:
    from cspdesk.services.calendar_ics import board_calendar, find_board

    if args.out.suffix.lower() != ".ics":
        raise UserError("Give the calendar file a .ics name, such as board.ics.")
    db = cli.open_db(args)
    try:
        out = board_calendar(db, find_board(db, args.board), args.out)
    finally:
        db.dispose()
    print(f"Calendar written to {out}")
    return 0
