"""What the Action plans page's toolbar does: undoable edits through ctx.push, exports, import."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QDialog, QInputDialog, QMenu

from cspdesk import clock
from cspdesk.dates import format_date
from cspdesk.errors import UserError
from cspdesk.money import format_money
from cspdesk.services import action_points as ap
from cspdesk.services import action_snapshots as snaps
from cspdesk.services import action_updates as upd
from cspdesk.services import actions as svc
from cspdesk.services.action_budget import budget_line_choices, check_links
from cspdesk.services.actions import ActionRow
from cspdesk.services.actions_dashboard import my_person_id, set_my_person_id
from cspdesk.services.people import list_organisations, list_people
from cspdesk.ui import dialogs, messages
from cspdesk.ui.action_dialogs import (
    ActionDialog,
    ClosePointDialog,
    OverrideDialog,
    PointDialog,
    UpdateDialog,
)
from cspdesk.ui.context import version_once
from cspdesk.ui.tasks import run_task

if TYPE_CHECKING:
    from cspdesk.ui.actions_page import ActionsPage

AREA = "actions"


def _push(page: ActionsPage, text: str, do: Any, undo: Any) -> Any:
    try:
        return page.ctx.push(text, do, undo, AREA)
    except UserError as exc:
        messages.show_error(page, exc)
        return None


def _need_action(page: ActionsPage) -> ActionRow | None:
    a = page.current_action()
    if a is None:
        page.status.setText("Select an action in the plan first.")
    return a


def _plans_tab(page: ActionsPage) -> bool:
    return page.tabs.currentIndex() == 0


# ---------------------------------------------------------------- boxes and text

def fill_people_boxes(page: ActionsPage) -> None:
    people = list_people(page.ctx.db)
    chosen = page.me_box.currentData() or my_person_id(page.ctx.db)
    page.me_box.blockSignals(True)
    page.me_box.clear()
    page.me_box.addItem("Everyone's actions", None)
    for p in people:
        page.me_box.addItem(f"My actions: {p.name}", p.id)
    page.me_box.setCurrentIndex(max(0, page.me_box.findData(chosen)))
    page.me_box.blockSignals(False)


def fill_boards(page: ActionsPage) -> None:
    from cspdesk.services.action_reports import boards

    chosen = page.board_box.currentData()
    page.board_box.blockSignals(True)
    page.board_box.clear()
    page.board_box.addItem("All boards", None)
    for board_id, name in boards(page.ctx.db, page.ctx.partnership_id):
        page.board_box.addItem(name, board_id)
    page.board_box.setCurrentIndex(max(0, page.board_box.findData(chosen)))
    page.board_box.blockSignals(False)


def choose_me(page: ActionsPage) -> None:
    """'My actions': filter both tabs by the chosen person and remember them for the Dashboard."""
    set_my_person_id(page.ctx.db, page.me_box.currentData())
    page.show_tree()
    page.load_points()


def summary_text(page: ActionsPage) -> str:
    tree = page.tree_data
    if tree is None:
        return "No action plan yet: press New plan (Ctrl+Shift+N)."
    top = [a for a in tree.actions if not a.is_milestone]
    counts = {w: sum(1 for a in top if a.rag == w) for w in ("red", "amber", "green", "complete")}
    text = (f"{len(top)} actions: {counts['red']} red, {counts['amber']} amber, "
            f"{counts['green']} green, {counts['complete']} complete")
    if tree.total_cost:
        text += f" · total cost {format_money(tree.total_cost)}"
    quarters = snaps.list_snapshots(page.ctx.db, tree.plan.id)
    if quarters:
        text += f" · trend against {quarters[0].quarter}"
    warnings = [c.message for c in check_links(page.ctx.db, tree.plan.id) if not c.ok]
    if warnings:
        text += " · ⚠ " + " ".join(warnings)
    return text


def detail_html(a: ActionRow) -> str:
    rows = [("Ref", a.ref), ("Action", a.title), ("Lead", a.lead),
            ("Partners", ", ".join(a.partners)), ("Resources", a.resources or ""),
            ("Cost", format_money(a.cost) if a.cost is not None else ""),
            ("Start", format_date(a.start_date)), ("Due", a.timescale_text),
            ("Status", a.status_label + (f" ({a.status_text})" if a.status_text else "")),
            ("RAG", a.rag_label + (f" – overridden: {a.rag_override_reason}"
                                   if a.overridden else ""))]
    return "<br/>".join(f"<b>{k}:</b> {escape(str(v)).replace(chr(10), '<br/>')}"
                        for k, v in rows if v)


# ---------------------------------------------------------------- plan edits

def change_status(page: ActionsPage, row: ActionRow, status: str) -> None:
    """The inline status change, undoable."""
    db = page.ctx.db
    first = version_once(row.version)
    _push(page, f"Status of {row.ref}",
          lambda: upd.set_status(db, row.id, status, first()),
          lambda: upd.set_status(db, row.id, row.status))
    page.select_action(row.id)


def _action_dialog(page: ActionsPage, row: ActionRow | None = None,
                   parent_action: ActionRow | None = None) -> ActionDialog | None:
    assert page.tree_data is not None
    dialog = ActionDialog(page, list(page.tree_data.priorities), list_people(page.ctx.db),
                          list_organisations(page.ctx.db), row, parent_action,
                          budget_line_choices(page.ctx.db, page.ctx.partnership_id))
    if row is None and parent_action is None and page.current_action():
        current = page.current_action()
        dialog.priority.setCurrentIndex(max(0, dialog.priority.findData(current.priority_id)))
    return dialog if dialog.exec() == QDialog.DialogCode.Accepted else None


def new(page: ActionsPage) -> None:
    if not _plans_tab(page):
        new_point(page)
        return
    if page.tree_data is None:
        new_plan(page)
        return
    dialog = _action_dialog(page)
    if dialog is None or dialog.result_input is None:
        return
    data, plan_id, db = dialog.result_input, page.tree_data.plan.id, page.ctx.db
    made: dict[str, int] = {}

    def do() -> ActionRow:
        row = svc.add_action(db, plan_id, data)
        made["id"] = row.id
        return row

    row = _push(page, "New action", do, lambda: svc.delete_action(db, made["id"]))
    if row:
        page.select_action(row.id)


def new_milestone(page: ActionsPage) -> None:
    a = _need_action(page)
    if a is None:
        return
    parent = next(x for x in page.tree_data.actions if x.id == (a.parent_id or a.id))  # type: ignore[union-attr]
    dialog = _action_dialog(page, parent_action=parent)
    if dialog is None or dialog.result_input is None:
        return
    data, db, made = dialog.result_input, page.ctx.db, {}

    def do() -> ActionRow:
        row = svc.add_action(db, parent.plan_id, data)
        made["id"] = row.id
        return row

    row = _push(page, f"New milestone of {parent.ref}", do,
                lambda: svc.delete_action(db, made["id"]))
    if row:
        page.select_action(row.id)


def edit(page: ActionsPage) -> None:
    if not _plans_tab(page):
        edit_point(page)
        return
    a = _need_action(page)
    if a is None:
        return
    dialog = _action_dialog(page, a)
    if dialog is None or dialog.result_input is None:
        return
    db, new_data, old_data = page.ctx.db, dialog.result_input, svc.action_input(a)
    first = version_once(a.version)
    _push(page, f"Edit {a.ref}",
          lambda: svc.update_action(db, a.id, new_data, first()),
          lambda: svc.update_action(db, a.id, old_data))
    page.select_action(a.id)


def delete(page: ActionsPage) -> None:
    if not _plans_tab(page):
        p = page.current_point()
        if p and messages.confirm(page, f"Delete action point {p.ref}? This cannot be undone."):
            try:
                ap.delete_point(page.ctx.db, p.id)
            except UserError as exc:
                messages.show_error(page, exc)
            page.ctx.data_changed.emit(AREA)
        return
    a = _need_action(page)
    if a is None:
        return
    what = "milestone" if a.is_milestone else "action, its milestones and its update history"
    if not messages.confirm(page, f"Delete {a.ref} ({a.title[:60]}): the {what}? "
                                  "This cannot be undone; the other refs close up."):
        return
    try:
        svc.delete_action(page.ctx.db, a.id)
    except UserError as exc:
        messages.show_error(page, exc)
    page.ctx.undo_stack.clear()
    page.ctx.data_changed.emit(AREA)


def move(page: ActionsPage, delta: int) -> None:
    a = _need_action(page)
    if a is None:
        return
    db = page.ctx.db
    _push(page, f"Move {a.ref}", lambda: svc.move_action(db, a.id, delta),
          lambda: svc.move_action(db, a.id, -delta))
    page.select_action(a.id)


def add_update(page: ActionsPage) -> None:
    a = _need_action(page)
    if a is None:
        return
    dialog = UpdateDialog(page, a)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    text, on, status = dialog.values()
    db, made = page.ctx.db, {}

    def do() -> Any:
        row = upd.add_update(db, a.id, text, on, status)
        made["id"] = row.id
        return row

    def undo() -> None:
        upd.delete_update(db, made["id"])
        if status:
            upd.set_status(db, a.id, a.status)

    _push(page, f"Update on {a.ref}", do, undo)
    page.select_action(a.id)


def override(page: ActionsPage) -> None:
    a = _need_action(page)
    if a is None:
        return
    dialog = OverrideDialog(page, a)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    db, rag, reason = page.ctx.db, dialog.rag.currentData(), dialog.reason.text()
    first = version_once(a.version)
    _push(page, f"RAG override on {a.ref}",
          lambda: upd.set_rag_override(db, a.id, rag, reason, first()),
          lambda: upd.set_rag_override(db, a.id, a.rag_override, a.rag_override_reason))
    page.select_action(a.id)


def close_quarter(page: ActionsPage) -> None:
    if page.tree_data is None:
        return
    from cspdesk.services.action_rag import quarter_of

    quarter = quarter_of(clock.today())
    if not messages.confirm(page, f"Close {quarter} for '{page.tree_data.plan.title}'? Every "
                                  "action's status, RAG and latest update will be frozen."):
        return
    try:
        info = snaps.close_quarter(page.ctx.db, page.tree_data.plan.id)
    except UserError as exc:
        messages.show_error(page, exc)
        return
    page.status.setText(f"{info.quarter} closed: {info.actions} actions frozen. "
                        "The Trend column now compares with it.")
    page.ctx.data_changed.emit(AREA)


def new_plan(page: ActionsPage) -> None:
    partnership = page.ctx.partnership_id
    if partnership is None:
        page.status.setText("Choose a partnership at the top of the window first.")
        return
    title, ok = QInputDialog.getText(page, "New action plan", "Title of the plan:")
    if not ok:
        return
    period, ok = QInputDialog.getText(page, "New action plan", "Period (e.g. 2020-21):")
    if not ok:
        return
    try:
        plan = svc.add_plan(page.ctx.db, partnership, title, period)
    except UserError as exc:
        messages.show_error(page, exc)
        return
    page.refresh()
    page.plan_box.setCurrentIndex(page.plan_box.findData(plan.id))


# ---------------------------------------------------------------- points

def _meetings(page: ActionsPage) -> list[tuple[int, str]]:
    from cspdesk.services.meetings import list_meetings

    return [(m.id, f"{m.board}, {format_date(m.date)}")
            for m in list_meetings(page.ctx.db, page.ctx.partnership_id)]


def new_point(page: ActionsPage) -> None:
    db = page.ctx.db
    dialog = PointDialog(page, list_people(db), _meetings(page),
                         items_of=lambda meeting_id: ap.agenda_item_choices(db, meeting_id))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    meeting_id, text, owners, due, item_id = dialog.values()
    made: dict[str, int] = {}

    def do() -> Any:
        row = ap.add_point(db, meeting_id, text, owners, due, agenda_item_id=item_id)
        made["id"] = row.id
        return row

    row = _push(page, "New action point", do, lambda: ap.delete_point(db, made["id"]))
    if row:
        page.status.setText(f"Action point {row.ref} added to {row.board}.")


def edit_point(page: ActionsPage) -> None:
    p = page.current_point()
    if p is None:
        page.status.setText("Select an action point first.")
        return
    db = page.ctx.db
    dialog = PointDialog(page, list_people(db), _meetings(page), p.text, p.owner_ids,
                         p.due_date, p.meeting_id, title=f"Edit action point {p.ref}",
                         items_of=lambda meeting_id: ap.agenda_item_choices(db, meeting_id),
                         agenda_item_id=p.agenda_item_id)
    dialog.meeting.setEnabled(False)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    _, text, owners, due, item_id = dialog.values()
    first = version_once(p.version)
    _push(page, f"Edit {p.ref}",
          lambda: ap.update_point(db, p.id, text, owners, due,
                                  item_id, first(), p.minute_ref),
          lambda: ap.update_point(db, p.id, p.text, list(p.owner_ids), p.due_date,
                                  p.agenda_item_id, None, p.minute_ref))


def close_point(page: ActionsPage) -> None:
    p = page.current_point()
    if p is None or not p.is_open:
        page.tabs.setCurrentIndex(1)
        page.status.setText("Select an open action point to close.")
        return
    dialog = ClosePointDialog(page, p.ref)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return
    note, on = dialog.values()
    db = page.ctx.db
    first = version_once(p.version)
    _push(page, f"Close {p.ref}",
          lambda: ap.close_point(db, p.id, note, on, first()),
          lambda: ap.reopen_point(db, p.id))


# ---------------------------------------------------------------- export / import

def export(page: ActionsPage) -> None:
    """Ctrl+E: a menu of the exports, each run with a progress dialog."""
    menu = QMenu(page)
    menu.setAccessibleName("Export")
    menu.addAction("Action plan (PDF)…", lambda: export_kind(page, "plan"))
    menu.addAction("Highlight report (PDF)…", lambda: export_kind(page, "highlight"))
    menu.addAction("Action log of the board (PDF)…", lambda: export_kind(page, "log"))
    menu.addAction("Update template for a lead (XLSX)…", lambda: export_kind(page, "template"))
    menu.exec(page.mapToGlobal(page.toolbar.geometry().bottomLeft()))


def export_kind(page: ActionsPage, kind: str, lead: str | None = None) -> None:
    from cspdesk.reports.actions import build_action_log, build_action_plan, build_highlight_report
    from cspdesk.services.action_reports import action_log_data, highlight_data
    from cspdesk.services.action_updates_xlsx import export_template

    db, tree, today = page.ctx.db, page.tree_data, clock.today()
    if kind in ("plan", "highlight", "template") and tree is None:
        page.status.setText("Choose a plan first.")
        return
    if kind == "template" and lead is None:
        leads = sorted({a.lead_person for a in tree.actions if a.lead_person}  # type: ignore[union-attr]
                       | {a.lead_organisation for a in tree.actions if a.lead_organisation})  # type: ignore[union-attr]
        lead, ok = QInputDialog.getItem(page, "Update template", "Lead:", leads, 0, True)
        if not ok or not lead:
            return
    board_id = page.board_box.currentData()
    if kind == "log" and board_id is None:
        page.status.setText("Choose a board on the Action points tab first.")
        return
    names = {"plan": "action-plan.pdf", "highlight": "highlight-report.pdf",
             "log": "action-log.pdf", "template": f"updates-{lead}.xlsx"}
    filt = "Excel workbook (*.xlsx)" if kind == "template" else "PDF (*.pdf)"
    out = dialogs.choose_save_file(page, "Export", filt, names[kind], key="actions-export")
    if out is None:
        return

    def work(progress: Any) -> Path:
        progress.update(0, 1, "Gathering the data…")
        if kind == "plan":
            result = build_action_plan(svc.plan_tree(db, tree.plan.id), out, today=today)  # type: ignore[union-attr]
        elif kind == "highlight":
            result = build_highlight_report(highlight_data(db, tree.plan.id), out)  # type: ignore[union-attr]
        elif kind == "log":
            result = build_action_log(action_log_data(db, board_id=board_id), out)
        else:
            result = export_template(db, lead or "", out, page.ctx.partnership_id)
        progress.check()
        progress.update(1, 1, "Done")
        return result

    page.task = run_task(work, lambda path: page.status.setText(f"Exported {path}"),
                         lambda exc: messages.show_error(page, exc), parent=page,
                         title="Exporting…")


def import_updates(page: ActionsPage, path: Path | None = None) -> None:
    """Pick a filled-in template, show the preview, apply all-or-nothing."""
    from cspdesk.services import action_updates_xlsx as xl

    path = path or dialogs.choose_open_file(page, "Import updates", "Excel workbook (*.xlsx)",
                                            key="actions-import")
    if path is None:
        return
    try:
        preview = xl.parse(page.ctx.db, path)
    except UserError as exc:
        messages.show_error(page, exc)
        return
    lines = [f"{x.ref} {x.action[:40]}: {x.text}" + (f" → {x.status_label}" if x.status else "")
             for x in preview.new_lines]
    if preview.errors:
        messages.show_error(page, UserError(
            f"{path.name} was refused: " + " ".join(preview.errors) + " Nothing was imported."))
        return
    if not preview.new_lines:
        page.status.setText(" ".join(preview.warnings) or "Nothing to import.")
        return
    text = "\n".join(lines[:20]) + ("\n…" if len(lines) > 20 else "")
    if not messages.confirm(page, f"Add {len(lines)} updates from {path.name}?\n\n{text}"):
        return
    result = xl.apply(page.ctx.db, preview)
    page.ctx.undo_stack.clear()
    page.status.setText(f"Imported {result.updates} updates ({result.status_changes} status "
                        "changes).")
    page.ctx.data_changed.emit(AREA)



def edit_priorities(page: ActionsPage) -> None:
    """The plan's title, period and priorities (themes), each edit undoable."""
    from cspdesk.ui.action_priority_dialog import PlanPrioritiesDialog

    if page.tree_data is None:
        page.status.setText("Choose a plan first.")
        return
    PlanPrioritiesDialog(page.ctx, page.tree_data.plan.id, page).exec()
    page.ctx.data_changed.emit(AREA)
