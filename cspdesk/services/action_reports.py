"""Data for the action papers: plan PDF, highlight report, action log (dataclasses, no layout)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select

from cspdesk import clock
from cspdesk.db.engine import Database
from cspdesk.errors import UserError
from cspdesk.models import Board, Meeting, Partnership
from cspdesk.models.actions import Rag
from cspdesk.services.action_points import ActionPointRow, list_points, review_points
from cspdesk.services.action_snapshots import Change, changes_since_snapshot, list_snapshots
from cspdesk.services.actions import ActionRow, PlanTree, plan_tree


@dataclass(frozen=True)
class HighlightData:
    tree: PlanTree
    today: dt.date
    counts: dict[str, int]
    last_quarter: str | None
    changes: tuple[Change, ...]
    overdue: tuple[ActionRow, ...]


@dataclass(frozen=True)
class ActionLogData:
    board: str
    title: str
    meeting_date: dt.date | None
    points: tuple[ActionPointRow, ...]
    today: dt.date


def highlight_data(db: Database, plan_id: int, today: dt.date | None = None) -> HighlightData:
    """Counts by RAG (actions, not milestones), changes since the last snapshot, overdue list."""
    today = today or clock.today()
    tree = plan_tree(db, plan_id, today)
    top = [a for a in tree.actions if not a.is_milestone]
    counts = {r.label: sum(1 for a in top if a.rag == r) for r in Rag}
    snaps = list_snapshots(db, plan_id)
    overdue = tuple(a for a in tree.actions
                    if a.due_date and a.due_date < today and a.rag not in (Rag.COMPLETE,))
    return HighlightData(tree, today, counts, snaps[0].quarter if snaps else None,
                         tuple(changes_since_snapshot(db, plan_id, today)), overdue)


def find_board(db: Database, name: str) -> tuple[int, str]:
    """A board by exact or partial name (case-insensitive); UserError if none or several."""
    with db.session() as s:
        boards = list(s.scalars(select(Board)))
    key = name.strip().lower()
    exact = [b for b in boards if b.name.lower() == key]
    word = re.compile(rf"{re.escape(key)}\b")
    found = (exact or [b for b in boards if word.match(b.name.lower())]
             or [b for b in boards if key in b.name.lower()])
    if not found:
        raise UserError(f"No board is called '{name}'; check the name with the Meetings page.")
    if len(found) > 1:
        names = "; ".join(b.name for b in found)
        raise UserError(f"'{name}' matches several boards ({names}); give more of the name.")
    return found[0].id, found[0].name


def action_log_data(db: Database, *, board_id: int | None = None, meeting_id: int | None = None,
                    open_only: bool = False, today: dt.date | None = None) -> ActionLogData:
    """Either a meeting's review list (earlier points open or closed since the last meeting) or
    every point of a board."""
    today = today or clock.today()
    if meeting_id is not None:
        with db.session() as s:
            meeting = s.get(Meeting, meeting_id)
            if meeting is None:
                raise UserError("That meeting no longer exists; refresh the list.")
            board, day = s.get(Board, meeting.board_id).name, meeting.date
        points = review_points(db, meeting_id)
        title = "Action points: review"
    else:
        if board_id is None:
            raise UserError("Choose the board whose action log you want.")
        with db.session() as s:
            board, day = s.get(Board, board_id).name, None
        points = list_points(db, board_id=board_id)
        title = "Action log"
    if open_only:
        points = [p for p in points if p.is_open]
    return ActionLogData(board, title, day, tuple(points), today)


def boards(db: Database, partnership_id: int | None = None) -> list[tuple[int, str]]:
    """(id, name) of the boards, for the action-point log's board filter."""
    stmt = select(Board.id, Board.name).order_by(Board.name)
    if partnership_id is not None:
        stmt = stmt.where(Board.partnership_id == partnership_id)
    with db.session() as s:
        return [(int(i), str(n)) for i, n in s.execute(stmt)]


def partnership_name(db: Database, partnership_id: int) -> str:
    with db.session() as s:
        p = s.get(Partnership, partnership_id)
        return p.name if p else ""


def meeting_board(db: Database, meeting_id: int) -> tuple[int, str, int, dt.date]:
    """(board id, board name, partnership id, date) of a meeting."""
    with db.session() as s:
        m = s.get(Meeting, meeting_id)
        if m is None:
            raise UserError("That meeting no longer exists; refresh the list.")
        b = s.get(Board, m.board_id)
        return b.id, b.name, b.partnership_id, m.date
