"""Generated board papers from the action area: the action log and the action plan update."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cspdesk import clock
from cspdesk.db.engine import Database
from cspdesk.errors import UserError
from cspdesk.reports.actions import build_action_log, build_action_plan
from cspdesk.services.action_reports import action_log_data, meeting_board
from cspdesk.services.actions import list_plans, plan_tree


def action_log_paper(db: Database, meeting_id: int, out_dir: Path, **kwargs: Any) -> Path:
    """The meeting's 'Action points: review' log: points carried forward and closed since."""
    data = action_log_data(db, meeting_id=meeting_id, today=clock.today())
    name = f"action-log-{data.meeting_date:%Y-%m-%d}.pdf" if data.meeting_date else "action-log.pdf"
    return build_action_log(data, Path(out_dir) / name, page_x_of_y=kwargs.get("page_x_of_y", True))


def action_plan_paper(db: Database, meeting_id: int, out_dir: Path, **kwargs: Any) -> Path:
    """The progress update of a plan (``plan_id``, or the partnership's newest plan)."""
    _, board, partnership_id, _ = meeting_board(db, meeting_id)
    plan_id = kwargs.get("plan_id")
    if plan_id is None:
        plans = list_plans(db, partnership_id)
        if not plans:
            raise UserError(f"The partnership of {board} has no action plan to report on.")
        plan_id = plans[0].id
    tree = plan_tree(db, int(plan_id))
    return build_action_plan(tree, Path(out_dir) / f"action-plan-{plan_id}.pdf",
                             today=clock.today(), board=board,
                             page_x_of_y=kwargs.get("page_x_of_y", True))


PAPER_PROVIDERS = {
    "action-log": ("Action log", action_log_paper),
    "action-plan-update": ("Action plan update", action_plan_paper),
}
