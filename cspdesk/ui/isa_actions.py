"""What the ISA page's buttons do: dialogs, undoable service calls, background import/export."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cspdesk.errors import UserError
from cspdesk.services import isa, isa_import, isa_parties, isa_rules
from cspdesk.services.isa_export import export_register as write_register
from cspdesk.ui import dialogs, messages
from cspdesk.ui.context import version_once
from cspdesk.ui.isa_dialogs import AgreementDialog, EventDialog, NoticeDialog, PartyDialog
from cspdesk.ui.isa_import_dialog import ImportPreviewDialog
from cspdesk.ui.people_page import selected_rows
from cspdesk.ui.tasks import run_task

if TYPE_CHECKING:
    from cspdesk.ui.isa_page import IsaPage

AREA = "isa"


def _push(page: IsaPage, text: str, do, undo):  # type: ignore[no-untyped-def]
    try:
        return page.ctx.push(text, do, undo, AREA)
    except Exception as exc:  # noqa: BLE001 - shown to the user, nothing put on the stack
        messages.show_error(page, exc)
        return None


def _need_agreement(page: IsaPage) -> isa.AgreementRow | None:
    a = page.agreement()
    if a is None:
        messages.show_error(page, UserError(
            "There is no agreement yet; add one with New agreement first."))
    return a


def _need_party(page: IsaPage) -> isa.PartyRow | None:
    p = page.current_party()
    if p is None:
        page.status_message("Select a party in the register first.")
    return p


# ---------------------------------------------------------------- parties

def add_party(page: IsaPage) -> None:
    a = _need_agreement(page)
    if a is None:
        return
    dialog = PartyDialog(page.ctx.db, None, page)
    if not dialog.exec():
        return
    data = dialog.value()
    created: list[int] = []

    def do() -> isa.PartyRow:
        row = isa_parties.add_party(page.ctx.db, a.id, data)
        created[:] = [row.id]
        return row

    row = _push(page, f"Add {data.organisation} to {a.reference}", do,
                lambda: isa_parties.delete_party(page.ctx.db, created[0]))
    if row is not None:
        page.select_party(row.id)


def edit_party(page: IsaPage) -> None:
    p = _need_party(page)
    if p is None:
        return
    dialog = PartyDialog(page.ctx.db, p, page)
    if not dialog.exec():
        return
    data, before = dialog.value(), isa_parties.party_input(p)
    version = version_once(p.version)
    if _push(page, f"Edit {p.organisation}",
             lambda: isa_parties.update_party(page.ctx.db, p.id, data, version()),
             lambda: isa_parties.update_party(page.ctx.db, p.id, before)) is not None:
        page.select_party(p.id)


def delete_party(page: IsaPage) -> None:
    p = _need_party(page)
    if p is None:
        return
    if not messages.confirm(page, f"Remove {p.organisation} from the register, with its SPOCs "
                            "and tasks? (Use Notice… when a partner leaves.)"):
        return
    restored: list[isa.PartyRow] = [p]

    def undo() -> None:
        restored[0] = isa_parties.restore_party(page.ctx.db, p.agreement_id, restored[0])

    _push(page, f"Remove {p.organisation}",
          lambda: isa_parties.delete_party(page.ctx.db, restored[0].id), undo)


# ---------------------------------------------------------------- events and tasks

def _event(page: IsaPage, text: str, do) -> None:  # type: ignore[no-untyped-def]
    holder: list[isa_rules.EventResult] = []

    def run() -> isa_rules.EventResult:
        holder[:] = [do()]
        return holder[0]

    if _push(page, text, run, lambda: isa_rules.undo_event(page.ctx.db, holder[0])):
        page.tabs.setCurrentIndex(2)


def record_join(page: IsaPage) -> None:
    p = _need_party(page)
    if p is None:
        return
    dialog = EventDialog(f"{p.organisation} joins", False, page)
    if dialog.exec():
        on, _ = dialog.value()
        _event(page, f"{p.organisation} joined",
               lambda: isa_rules.record_join(page.ctx.db, p.id, on))


def give_notice(page: IsaPage) -> None:
    p = _need_party(page)
    if p is None:
        return
    dialog = NoticeDialog(p.organisation, page)
    if dialog.exec():
        notice, effective = dialog.value()
        _event(page, f"{p.organisation} gave notice",
               lambda: isa_rules.give_notice(page.ctx.db, p.id, notice, effective))


def record_breach(page: IsaPage) -> None:
    a = _need_agreement(page)
    if a is None:
        return
    dialog = EventDialog(f"Breach of {a.reference}", True, page)
    if dialog.exec():
        on, text = dialog.value()
        _event(page, "Breach recorded",
               lambda: isa_rules.record_breach(page.ctx.db, a.id, text, on))


def toggle_task(page: IsaPage) -> None:
    rows = selected_rows(page.task_view)
    if not rows:
        page.status_message("Select a task first.")
        return
    t: isa_rules.TaskRow = rows[0]
    done = t.done_on is None
    _push(page, f"Mark task {'done' if done else 'open'}",
          lambda: isa_rules.set_task_done(page.ctx.db, t.id, done),
          lambda: isa_rules.set_task_done(page.ctx.db, t.id, not done, t.done_on))


def email_spocs(page: IsaPage) -> None:
    from cspdesk.ui import isa_page

    a = _need_agreement(page)
    if a is None:
        return
    try:
        mail = isa_rules.email_spocs(page.ctx.db, a.id)
    except Exception as exc:  # noqa: BLE001
        messages.show_error(page, exc)
        return
    isa_page.open_url(mail.url)
    note = f"Email opened for {len(mail.addresses)} SPOCs (in Bcc)."
    if mail.missing:
        note += f" No address for: {', '.join(mail.missing)}."
    page.status_message(note)


# ---------------------------------------------------------------- agreements

def add_agreement(page: IsaPage) -> None:
    if page.ctx.partnership_id is None:
        messages.show_error(page, UserError(
            "Choose a partnership at the top of the window first."))
        return
    dialog = AgreementDialog(page.ctx.db, page.ctx.partnership_id, None, page)
    if not dialog.exec():
        return
    data = dialog.value()
    created: list[int] = []

    def do() -> isa.AgreementRow:
        row = isa.add_agreement(page.ctx.db, data)
        created[:] = [row.id]
        return row

    row = _push(page, f"Add agreement {data.reference}", do,
                lambda: isa.delete_agreement(page.ctx.db, created[0]))
    if row is not None:
        page.agreement_box.setCurrentIndex(page.agreement_box.findData(row.id))


def edit_agreement(page: IsaPage) -> None:
    a = _need_agreement(page)
    if a is None:
        return
    dialog = AgreementDialog(page.ctx.db, a.partnership_id, a, page)
    if not dialog.exec():
        return
    data, before = dialog.value(), isa.agreement_input(a)
    _push(page, f"Edit {a.reference}",
          lambda: isa.update_agreement(page.ctx.db, a.id, data),
          lambda: isa.update_agreement(page.ctx.db, a.id, before))


def attach_document(page: IsaPage) -> None:
    a = _need_agreement(page)
    if a is None:
        return
    path = dialogs.choose_open_file(page, "Attach the signed agreement",
                                    "Documents (*.pdf *.docx *.doc);;All files (*)", "isa-doc")
    if path is None:
        return
    before = a.signed_document_id
    _push(page, f"Attach signed copy of {a.reference}",
          lambda: isa.attach_signed_document(page.ctx.db, a.id, path),
          lambda: isa.set_signed_document(page.ctx.db, a.id, before))


def open_document(page: IsaPage) -> None:
    from cspdesk.ui import isa_page

    a = _need_agreement(page)
    if a is None:
        return
    try:
        path = isa.signed_document_path(page.ctx.db, a.id)
    except Exception as exc:  # noqa: BLE001
        messages.show_error(page, exc)
        return
    isa_page.open_url(Path(path).as_uri())


# ---------------------------------------------------------------- import / export

def import_register(page: IsaPage) -> None:
    a = _need_agreement(page)
    if a is None:
        return
    path = dialogs.choose_open_file(page, f"Import a register into {a.reference}",
                                    "Registers (*.csv *.xlsx);;All files (*)", "isa-import")
    if path is None:
        return
    db = page.ctx.db

    def preview_ready(preview: isa_import.Preview) -> None:
        dialog = ImportPreviewDialog(preview, page)
        page.last_preview_dialog = dialog
        if dialog.exec():
            run_task(lambda progress: isa_import.apply(db, preview, progress), applied,
                     lambda exc: messages.show_error(page, exc), parent=page,
                     title="Importing the register")

    def applied(result: isa_import.ImportResult) -> None:
        page.ctx.data_changed.emit(AREA)
        page.status_message(f"Imported: {result.added} added, {result.updated} changed, "
                            f"{result.unchanged} unchanged.")

    page.task = run_task(lambda progress: isa_import.parse(db, path, a.id, progress),
                         preview_ready, lambda exc: messages.show_error(page, exc), parent=page,
                         title=f"Reading {path.name}")


def export_register(page: IsaPage) -> None:
    a = _need_agreement(page)
    if a is None:
        return
    safe = "".join(c if c.isalnum() else "-" for c in a.reference).strip("-")
    path = dialogs.choose_save_file(page, f"Export the {a.reference} register",
                                    "PDF (*.pdf);;Excel workbook (*.xlsx)",
                                    f"{safe}-register.pdf", "isa-export")
    if path is None:
        return
    if path.suffix.lower() not in {".pdf", ".xlsx"}:
        path = path.with_suffix(".pdf")
    db = page.ctx.db
    page.task = run_task(lambda progress: write_register(db, a.id, path, progress),
                         lambda out: page.status_message(f"Saved {out}"),
                         lambda exc: messages.show_error(page, exc), parent=page,
                         title=f"Exporting {path.name}")
