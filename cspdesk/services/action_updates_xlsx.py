"""Owner update round trip: an XLSX template per lead, filled in and imported as dated updates.

The template has locked Plan/Ref/Action columns, an Update column and a Status column with a
drop-down. ``parse`` reads a returned file without writing (rows, warnings, row-level errors);
``apply`` adds every update in one transaction, and importing the same file twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select

from cspdesk import clock
from cspdesk.dates import format_date
from cspdesk.db.engine import Database
from cspdesk.errors import UserError
from cspdesk.models import Organisation, Person
from cspdesk.models.actions import ActionPlan, ActionStatus, ActionUpdate, PlanAction
from cspdesk.reports.xlsx_safe import append_row
from cspdesk.services.action_rag import UnknownStatus, status_from_text
from cspdesk.services.actions import ActionRow, list_actions, plan_label
from cspdesk.services.people import match_key

SHEET = "Updates"
HEADERS = ("Plan ID", "Plan", "Ref", "Action", "Due", "Current status", "Latest update",
           "Update", "New status", "Update date")
EDITABLE = (8, 9, 10)
SOURCE = "Update template"


@dataclass(frozen=True)
class UpdateLine:
    row: int
    action_id: int
    ref: str
    action: str
    text: str | None
    status: str | None
    on: dt.date
    already: bool = False

    @property
    def status_label(self) -> str:
        return ActionStatus(self.status).label if self.status else ""


@dataclass
class Preview:
    path: Path
    lines: list[UpdateLine] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def new_lines(self) -> list[UpdateLine]:
        return [x for x in self.lines if not x.already]


@dataclass(frozen=True)
class ImportResult:
    updates: int
    status_changes: int


def lead_actions(db: Database, partnership_id: int | None, lead: str) -> list[ActionRow]:
    """Open actions whose lead officer, lead organisation or lead text matches, each followed by
    its open milestones."""
    key = match_key(lead)
    if not key:
        raise UserError("Name the lead whose template you want (a person or organisation).")
    every = list_actions(db, partnership_id, milestones=True)
    leads = {a.id for a in every
             if key in {match_key(a.lead_person or ""), match_key(a.lead_organisation or ""),
                        match_key(a.lead_text or "")}}
    rows = sorted((a for a in every if a.id in leads or a.parent_id in leads),
                  key=lambda a: (a.plan_id, a.parent_id or a.id, a.parent_id is not None,
                                 a.position))
    if not rows:
        with db.session() as s:
            known = s.scalars(select(Person.name).where(Person.id.in_(
                select(PlanAction.lead_person_id)))).all() + s.scalars(
                select(Organisation.name).where(Organisation.id.in_(
                    select(PlanAction.lead_organisation_id)))).all()
        hint = "; ".join(sorted(known)[:8])
        raise UserError(f"No action has '{lead}' as its lead. Leads include: {hint}.")
    return [a for a in rows if a.status not in ("complete", "abandoned")]


def export_template(db: Database, lead: str, out: Path,
                    partnership_id: int | None = None) -> Path:
    """Write the update template for one lead's open actions."""
    actions = lead_actions(db, partnership_id, lead)
    with db.session() as s:
        plans = {p.id: plan_label(p.title, p.period) for p in s.scalars(select(ActionPlan))}
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    append_row(ws, list(HEADERS))
    for a in actions:
        append_row(ws, [a.plan_id, plans[a.plan_id], a.ref, a.title, a.due_date, a.status_label,
                        f"{format_date(a.latest_update_on)}: {a.latest_update}"
                        if a.latest_update else "", None, None, None])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="FFF7D6")
    for cell in ws[1]:
        cell.font = bold
    for row in ws.iter_rows(min_row=2, max_row=len(actions) + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if cell.column in EDITABLE:
                cell.protection = Protection(locked=False)
                cell.fill = fill
            if cell.column in (5, 10):
                cell.number_format = "DD MMM YYYY"
    last = max(len(actions) + 1, 2)
    labels = ",".join(s.label for s in ActionStatus)
    dv = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=True,
                        showErrorMessage=True, errorTitle="Status",
                        error="Choose a status from the list.")
    ws.add_data_validation(dv)
    dv.add(f"I2:I{last}")
    dates = DataValidation(type="date", operator="greaterThan", formula1="36526",
                           allow_blank=True, error="Enter a date.")
    ws.add_data_validation(dates)
    dates.add(f"J2:J{last}")
    for col, width in zip("ABCDEFGHIJ", (8, 28, 7, 45, 12, 14, 40, 50, 14, 13), strict=True):
        ws.column_dimensions[col].width = width
    ws.column_dimensions["A"].hidden = True
    ws.freeze_panes = "D2"
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def _text(value: object) -> str:
    text = "" if value is None else str(value).strip()
    return text[1:] if text.startswith("'") else text


def _plan_key(value: object) -> int:
    """The plan id of a row, or -1 when the cell is not a whole number."""
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):  # OverflowError: a cell holding inf
        return -1


def parse(db: Database, path: Path) -> Preview:
    """Read a returned template (no writes). Unknown refs and invalid statuses are errors."""
    path = Path(path)
    try:
        with warnings.catch_warnings():  # openpyxl's notes on odd cells mean nothing to officers
            warnings.simplefilter("ignore")
            wb = load_workbook(path, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file gets the same sentence
        raise UserError(f"{path.name} is not an update template (.xlsx) that cspdesk can read."
                        ) from exc
    if SHEET not in wb.sheetnames:
        raise UserError(f"{path.name} has no '{SHEET}' sheet; export a new update template.")
    ws = wb[SHEET]
    header = [_text(c.value) for c in ws[1]][:len(HEADERS)]
    if tuple(header) != HEADERS:
        raise UserError(f"{path.name} does not have the update template's columns; "
                        "export a new template and fill that in.")
    preview = Preview(path)
    rows = [(r, _plan_key(values[0]), values) for r, values in enumerate(
        ws.iter_rows(min_row=2, max_col=len(HEADERS), values_only=True), start=2)
        if not all(v in (None, "") for v in values)]
    named = {key for _r, key, _v in rows}  # only the plans the file names, not every plan
    with db.session() as s:
        actions = {(a.plan_id, a.ref): a
                   for a in s.scalars(select(PlanAction).where(PlanAction.plan_id.in_(named)))}
        plans = {p.id: p.title for p in s.scalars(select(ActionPlan))}
        done = {(action_id, text) for action_id, text in s.execute(
            select(ActionUpdate.action_id, ActionUpdate.text)
            .join(PlanAction, ActionUpdate.action_id == PlanAction.id)
            .where(PlanAction.plan_id.in_(named)))}
    for r, plan_key, values in rows:
        _, _, ref, _, _, _, _, text, status_text, on = values
        ref = _text(ref)
        text, status_text = _text(text) or None, _text(status_text)
        action = actions.get((plan_key, ref))
        if action is None:
            where = f"the plan '{plans[plan_key]}'" if plan_key in plans else "any plan"
            preview.errors.append(f"Row {r}: ref '{ref}' is not in {where}.")
            continue
        status = None
        if status_text:
            try:
                found = status_from_text(status_text)
            except UnknownStatus as exc:
                preview.errors.append(f"Row {r}: {exc}")
                continue
            status = found.value if found else None
        if not text and not status:
            continue
        day = on.date() if isinstance(on, dt.datetime) else on if isinstance(on, dt.date) else None
        if on not in (None, "") and day is None:
            preview.errors.append(f"Row {r}: '{on}' is not a date.")
            continue
        day = day or clock.today()
        if day > clock.today():
            preview.errors.append(f"Row {r}: the update date {format_date(day)} is in the future.")
            continue
        if status == action.status and not text:
            preview.warnings.append(f"Row {r}: {ref} is already {ActionStatus(status).label}.")
            continue
        text = text or f"Status changed to {ActionStatus(status).label}."  # type: ignore[arg-type]
        already = (action.id, text) in done
        preview.lines.append(UpdateLine(r, action.id, ref, action.title, text, status, day,
                                        already))
        if already:
            preview.warnings.append(f"Row {r}: this update to {ref} was imported before.")
    if not preview.lines and not preview.errors:
        preview.warnings.append("The file has no updates filled in.")
    return preview


def apply(db: Database, preview: Preview) -> ImportResult:
    """Add the previewed updates and status changes in one transaction (refused if any error)."""
    if preview.errors:
        raise UserError(f"{preview.path.name} was not imported: {preview.errors[0]} "
                        "Correct the file and import it again.")
    updates = changes = 0
    with db.session() as s:
        for line in preview.new_lines:
            action = s.get(PlanAction, line.action_id)
            if action is None:
                raise UserError(f"Row {line.row}: action {line.ref} was deleted since the "
                                "preview; nothing was imported.")
            s.add(ActionUpdate(action=action, date=line.on, text=line.text or "",
                               status=line.status, source=SOURCE, recorded_at=clock.now()))
            updates += 1
            if line.status and line.status != action.status:
                action.status = line.status
                changes += 1
    return ImportResult(updates, changes)
