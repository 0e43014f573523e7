"""Action plan commands:

`cspdesk export action-plan --plan TITLE --out FILE.pdf`,
`cspdesk export highlight-report --plan TITLE --out FILE.pdf`,
`cspdesk export action-log --board NAME [--meeting DATE] [--open] --out FILE.pdf`,
`cspdesk export update-template --lead NAME --out FILE.xlsx`,
`cspdesk import action-updates FILE [--yes]`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from cspdesk import cli, cli_io
from cspdesk.errors import UserError


@cli.subcommand
def register(sub: argparse._SubParsersAction) -> None:
    export = cli_io.export_parser(sub)
    p = export.add_parser("action-plan", help="export an action plan as a PDF (A4 landscape)")
    p.add_argument("--plan", required=True, metavar="TITLE", help="plan title (or part of it)")
    p.add_argument("--no-milestones", action="store_true", help="leave the milestones out")
    p.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    p.set_defaults(func=cmd_plan)
    p = export.add_parser("highlight-report",
                          help="export a plan's highlight report (RAG counts, changes, overdue)")
    p.add_argument("--plan", required=True, metavar="TITLE")
    p.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    p.set_defaults(func=cmd_highlight)
    p = export.add_parser("action-log", help="export a board's action points as a PDF")
    p.add_argument("--board", required=True, metavar="NAME", help="board name (or part of it)")
    p.add_argument("--meeting", metavar="YYYY-MM-DD",
                   help="the review list for this meeting instead of every point")
    p.add_argument("--open", action="store_true", help="open points only")
    p.add_argument("--out", required=True, type=Path, metavar="FILE.pdf")
    p.set_defaults(func=cmd_log)
    p = export.add_parser("update-template",
                          help="export an XLSX update template of one lead's open actions")
    p.add_argument("--lead", required=True, metavar="NAME",
                   help="lead officer or lead organisation")
    p.add_argument("--out", required=True, type=Path, metavar="FILE.xlsx")
    p.set_defaults(func=cmd_template)
    p = cli_io.import_parser(sub).add_parser(
        "action-updates", help="import a filled-in update template (preview, all-or-nothing)")
    p.add_argument("file", type=Path, help="the returned FILE.xlsx")
    p.add_argument("--yes", action="store_true", help="apply without asking")
    p.set_defaults(func=cmd_import)


def _suffix(path: Path, suffix: str) -> None:
    if path.suffix.lower() != suffix:
        raise UserError(f"The output file must end in {suffix} (got '{path.name}').")


def find_plan(db, title: str) -> int:  # type: ignore[no-untyped-def]
    """The plan whose title (with its period) contains ``title``; UserError if none or several."""
    from cspdesk.services.actions import list_plans

    key = title.strip().lower()
    plans = list_plans(db)
    full = {p.id: p.label for p in plans}
    found = [i for i, name in full.items() if name.lower() == key] or [
        i for i, name in full.items() if key in name.lower()]
    if not found:
        names = "; ".join(full.values()) or "none yet"
        raise UserError(f"No action plan is called '{title}'. Plans: {names}.")
    if len(found) > 1:
        raise UserError(f"'{title}' matches several plans ({'; '.join(full[i] for i in found)});"
                        " give more of the title.")
    return found[0]


def cmd_plan(args: argparse.Namespace) -> int:
    from cspdesk import clock
    from cspdesk.reports.actions import build_action_plan
    from cspdesk.services.actions import plan_tree

    _suffix(args.out, ".pdf")
    db = cli.open_db(args, read_only=True)
    try:
        tree = plan_tree(db, find_plan(db, args.plan))
        build_action_plan(tree, args.out, today=clock.today(), milestones=not args.no_milestones)
    finally:
        db.dispose()
    print(f"Wrote {args.out} ({tree.plan.action_count} actions)")
    return 0


def cmd_highlight(args: argparse.Namespace) -> int:
    from cspdesk.reports.actions import build_highlight_report
    from cspdesk.services.action_reports import highlight_data

    _suffix(args.out, ".pdf")
    db = cli.open_db(args, read_only=True)
    try:
        data = highlight_data(db, find_plan(db, args.plan))
        build_highlight_report(data, args.out)
    finally:
        db.dispose()
    counts = ", ".join(f"{n} {w.lower()}" for w, n in data.counts.items())
    print(f"Wrote {args.out} ({counts}; {len(data.overdue)} overdue)")
    return 0


def cmd_log(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from cspdesk.models import Meeting
    from cspdesk.reports.actions import build_action_log
    from cspdesk.services.action_reports import action_log_data, find_board

    _suffix(args.out, ".pdf")
    db = cli.open_db(args, read_only=True)
    try:
        board_id, board = find_board(db, args.board)
        meeting_id = None
        if args.meeting:
            try:
                day = dt.date.fromisoformat(args.meeting)
            except ValueError as exc:
                raise UserError(f"'{args.meeting}' is not a date like 2021-02-09.") from exc
            with db.session() as s:
                meeting_id = s.scalar(select(Meeting.id).where(Meeting.board_id == board_id,
                                                               Meeting.date == day))
            if meeting_id is None:
                raise UserError(f"{board} has no meeting on {args.meeting}.")
        data = action_log_data(db, board_id=board_id, meeting_id=meeting_id, open_only=args.open)
        build_action_log(data, args.out)
    finally:
        db.dispose()
    print(f"Wrote {args.out} ({len(data.points)} action points)")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from cspdesk.services.action_updates_xlsx import export_template, lead_actions

    _suffix(args.out, ".xlsx")
    db = cli.open_db(args, read_only=True)
    try:
        n = len(lead_actions(db, None, args.lead))
        export_template(db, args.lead, args.out)
    finally:
        db.dispose()
    print(f"Wrote {args.out} ({n} open actions for {args.lead})")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from cspdesk.services import action_updates_xlsx as xl

    db = cli.open_db(args)
    try:
        preview = xl.parse(db, args.file)
        print(f"{preview.path.name}: {len(preview.new_lines)} updates to add")
        for line in preview.lines:
            mark = "already imported" if line.already else "add"
            status = f" | status -> {line.status_label}" if line.status else ""
            print(f"  row {line.row:>3}  {mark:<16} {line.ref} {line.action[:40]} | "
                  f"{line.on:%d %b %Y}: {line.text}{status}")
        for w in preview.warnings:
            print(f"  warning: {w}")
        for e in preview.errors:
            print(f"  error: {e}")
        if preview.errors:
            raise UserError(f"{len(preview.errors)} rows need fixing; nothing was imported.")
        if not preview.new_lines:
            print("Nothing to change.")
            return 0
        if not args.yes:
            if not sys.stdin.isatty():
                raise UserError("Add --yes to apply the import (nothing was changed).")
            if input("Apply these updates? [y/N] ").strip().lower() not in {"y", "yes"}:
                print("Nothing was changed.")
                return 1
        result = xl.apply(db, preview)
        print(f"Imported {result.updates} updates ({result.status_changes} status changes).")
        return 0
    finally:
        db.dispose()
