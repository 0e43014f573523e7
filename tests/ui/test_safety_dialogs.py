"""Data-safety dialogs driven offscreen: menus, restore, audit trail, retention, subject access."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QDate
from sqlalchemy import func, select

from cspdesk import clock
from cspdesk.db.engine import Database
from cspdesk.models import Membership, Person
from cspdesk.services import backup, people
from cspdesk.services.database import open_database
from cspdesk.ui import dialogs, messages
from cspdesk.ui.context import AppContext
from cspdesk.ui.main_window import MainWindow
from cspdesk.ui.safety_dialogs import (
    READ_ONLY_TIP,
    AuditDialog,
    RestoreDialog,
    RetentionDialog,
    SubjectAccessDialog,
)

pytestmark = pytest.mark.sqlite_only("backups and restore of an SQLite file")


@pytest.fixture
def ctx(demo_db: Database, data_home: Path) -> AppContext:
    return AppContext(demo_db)


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(messages, "show_error",
                        lambda parent, exc, *a, **k: shown.append(messages.error_text(exc)))
    return shown


def person_count(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count(Person.id))) or 0


def texts(model, column: int) -> list[str]:  # type: ignore[no-untyped-def]
    return [model.data(model.index(r, column)) for r in range(model.rowCount())]


def test_menus_offer_backup_restore_audit_retention_and_subject_access(ctx, qtbot) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    file_items = [a.text() for a in window.file_menu.actions()]
    assert "&Back up now" in file_items and "&Restore from backup…" in file_items
    assert [a.text() for a in window.records_menu.actions()] == [
        "&Audit trail…", "Re&tention review…", "&Subject access export…"]
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus.index("&Records") < menus.index("&Help")


def test_back_up_now_then_restore_brings_back_the_old_data(ctx, qtbot, monkeypatch,
                                                            errors) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    before = person_count(ctx.db)
    from cspdesk.ui import safety_menu

    task = safety_menu.back_up_now(window, ctx)
    qtbot.waitUntil(lambda: task.is_done, timeout=10_000)
    assert "Backed up to" in window.statusBar().currentMessage()
    made = backup.list_backups(ctx.db.path)
    assert [b.reason for b in made] == ["manual"]

    people.add_person(ctx.db, people.PersonInput(name="Added After Backup"))
    assert person_count(ctx.db) == before + 1

    dialog = RestoreDialog(ctx, window)
    qtbot.addWidget(dialog)
    qtmodel = dialog.model
    assert qtmodel.rowCount() == 1
    assert texts(qtmodel, 0) == [f"{made[0].at:%d %b %Y %H:%M}"]
    assert texts(qtmodel, 1)[0].endswith("KB") and texts(qtmodel, 2) == ["Made by hand"]
    assert dialog.restore_button.isEnabled()

    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda parent, q, *a: asked.append(q) or False)
    dialog.restore_button.click()
    assert person_count(ctx.db) == before + 1  # said No: nothing restored

    monkeypatch.setattr(messages, "confirm", lambda parent, q, *a: asked.append(q) or True)
    old_db = ctx.db
    dialog.restore_button.click()
    assert errors == []
    assert ctx.db is not old_db  # closed and opened again
    assert person_count(ctx.db) == before
    assert "Changes made since then will be lost" in asked[0]
    kinds = sorted(b.reason for b in backup.list_backups(ctx.db.path))
    assert kinds == ["before-restore", "manual"]
    kept = next(b for b in backup.list_backups(ctx.db.path) if b.reason == "before-restore")
    copy = open_database(f"sqlite:///{kept.path}", read_only=True)
    try:
        assert person_count(copy) == before + 1  # the current file was kept
    finally:
        copy.dispose()
    people.add_person(ctx.db, people.PersonInput(name="Written After Restore"))
    assert person_count(ctx.db) == before + 1


def test_restore_refuses_a_damaged_backup_and_keeps_the_database(ctx, qtbot, monkeypatch,
                                                                 errors) -> None:
    target = backup.backup_file(ctx.db.path, "manual")
    target.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    before = person_count(ctx.db)
    dialog = RestoreDialog(ctx)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(messages, "confirm", lambda *a: True)
    dialog.restore_button.click()
    assert errors and "damaged" in errors[0]
    assert person_count(ctx.db) == before
    assert dialog.restored is None


def test_read_only_database_cannot_restore_or_apply_retention(demo_db, data_home, qtbot) -> None:
    backup.backup_file(demo_db.path, "manual")
    url = demo_db.url
    demo_db.dispose()
    ro = open_database(url, read_only=True)
    try:
        ctx = AppContext(ro)
        window = MainWindow(ctx)
        qtbot.addWidget(window)
        restore = next(a for a in window.file_menu.actions() if "Restore" in a.text())
        assert not restore.isEnabled() and restore.toolTip() == READ_ONLY_TIP
        dialog = RestoreDialog(ctx)
        qtbot.addWidget(dialog)
        assert dialog.model.rowCount() == 1
        assert not dialog.restore_button.isEnabled()
        assert "read-only" in dialog.restore_button.toolTip()
        retention_dialog = RetentionDialog(ctx)
        qtbot.addWidget(retention_dialog)
        assert not retention_dialog.apply_button.isEnabled()
        assert retention_dialog.apply_button.toolTip() == READ_ONLY_TIP
    finally:
        ro.dispose()


@pytest.mark.qt_log_ignore("This plugin does not support")  # the completer's popup, offscreen
def test_audit_filters_by_record_type_person_and_date_and_exports(ctx, qtbot, monkeypatch,
                                                                  tmp_path, errors) -> None:
    clock.set_clock(dt.datetime(2031, 3, 4, 10, 0))
    try:
        row = people.add_person(ctx.db, people.PersonInput(name="Quentin Auditworthy"))
        people.update_person(ctx.db, row.id, people.PersonInput(name="=Quentin Formula"),
                             row.version)
    finally:
        clock.set_clock(None)
    dialog = AuditDialog(ctx)
    qtbot.addWidget(dialog)
    qtmodel = dialog.model
    dialog.entity.setCurrentIndex(dialog.entity.findData("person"))
    qtbot.keyClicks(dialog.text, "Quentin")
    dialog.date_from.setDate(QDate(2031, 3, 1))
    dialog.date_to.setDate(QDate(2031, 3, 4))
    dialog.refresh()
    found = qtmodel.rowCount()
    assert set(texts(qtmodel, 4)) == {"insert", "update"}  # added, then renamed
    assert set(texts(qtmodel, 2)) == {"person"}
    assert all(t.startswith("04 Mar 2031") for t in texts(qtmodel, 0))
    assert dialog.count.text() == f"{found} changes"
    dialog.date_to.setDate(QDate(2031, 3, 3))
    dialog.refresh()
    assert qtmodel.rowCount() == 0
    dialog.date_to.setDate(QDate(2031, 3, 4))
    dialog.refresh()

    out = tmp_path / "audit.xlsx"
    monkeypatch.setattr(dialogs, "choose_save_file", lambda *a, **k: out)
    dialog.export()
    qtbot.waitUntil(lambda: dialog.task.is_done, timeout=10_000)
    assert errors == []
    sheet = openpyxl.load_workbook(out).active
    cells = [c for r in sheet.iter_rows(min_row=2) for c in r]
    values = [c.value for c in cells]
    assert sheet.max_row == found + 1
    assert "Quentin Auditworthy" in values and "=Quentin Formula" in values  # as typed
    assert all(c.data_type == "s" and c.quotePrefix for c in cells  # but text, never run
               if isinstance(c.value, str) and c.value.startswith("="))


def test_audit_for_a_person_chosen_from_the_list(ctx, qtbot) -> None:
    """Choosing a person shows changes to their record and to records naming them, but not
    another person's whose name merely contains the same letters."""
    row = people.add_person(ctx.db, people.PersonInput(name="Quentin Auditworthy"))
    people.update_person(ctx.db, row.id, people.PersonInput(name="Quentin Auditworthy",
                                                           role="Analyst"), row.version)
    people.add_person(ctx.db, people.PersonInput(name="Quentina Other"))
    dialog = AuditDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.text.setCurrentIndex(dialog.text.findData(row.id))
    assert dialog.current_filter().person_id == row.id
    dialog.refresh()
    labels = set(texts(dialog.model, 3))
    assert labels == {"Quentin Auditworthy"}
    assert {"insert", "update"} <= set(texts(dialog.model, 4))
    assert "Analyst" in texts(dialog.model, 7)
    dialog.text.setEditText("Quentin")  # free text: both people
    assert dialog.current_filter().person_id is None
    dialog.refresh()
    assert {"Quentin Auditworthy", "Quentina Other"} <= set(texts(dialog.model, 3))


def test_audit_and_retention_models_pass_the_model_tester(ctx, qtbot, qtmodeltester) -> None:
    audit = AuditDialog(ctx)
    qtbot.addWidget(audit)
    assert audit.model.rowCount() > 0
    qtmodeltester.check(audit.model)
    restore = RestoreDialog(ctx)
    qtbot.addWidget(restore)
    qtmodeltester.check(restore.model)
    retention_dialog = RetentionDialog(ctx)
    qtbot.addWidget(retention_dialog)
    qtmodeltester.check(retention_dialog.model)


def test_retention_lists_and_applies_after_confirmation(ctx, qtbot, monkeypatch,
                                                        errors) -> None:
    with ctx.db.session() as s:
        member = s.scalars(select(Membership)).first()
        member.end_date = dt.date(2015, 1, 31)
        member_id, who = member.id, member.person.name
    dialog = RetentionDialog(ctx)
    qtbot.addWidget(dialog)
    records = texts(dialog.model, 0)
    row = next(i for i, text in enumerate(records) if text.startswith(who))
    assert texts(dialog.model, 1)[row] == "31 Jan 2015"
    assert texts(dialog.model, 3)[row] == "Delete"
    assert dialog.apply_button.isEnabled()
    dialog.view.selectRow(row)
    monkeypatch.setattr(messages, "confirm", lambda *a: False)
    dialog.apply_button.click()
    with ctx.db.session() as s:
        assert s.get(Membership, member_id) is not None
    monkeypatch.setattr(messages, "confirm", lambda *a: True)
    dialog.apply_button.click()
    assert errors == []
    with ctx.db.session() as s:
        assert s.get(Membership, member_id) is None
    assert records[row] not in texts(dialog.model, 0)  # the list was refreshed


def test_subject_access_writes_a_workbook_naming_the_person(ctx, qtbot, monkeypatch,
                                                             tmp_path, errors) -> None:
    dialog = SubjectAccessDialog(ctx)
    qtbot.addWidget(dialog)
    index = next(i for i in range(dialog.person.count())
                 if dialog.person.itemText(i).startswith("Chris Parker"))
    dialog.person.setCurrentIndex(index)
    suggested: list[str] = []
    out = tmp_path / "sar.xlsx"

    def choose(parent, title, filter_, name, key="default"):  # type: ignore[no-untyped-def]
        suggested.append(name)
        return out

    monkeypatch.setattr(dialogs, "choose_save_file", choose)
    dialog.export()
    qtbot.waitUntil(lambda: dialog.task.is_done, timeout=10_000)
    assert errors == []
    assert suggested == ["subject-access-chris-parker.xlsx"]
    book = openpyxl.load_workbook(out)
    assert book["Summary"]["B2"].value == "Chris Parker"
    assert len(book.sheetnames) > 2

    dialog.person.setEditText("Nobody Of That Name")
    dialog.export()
    assert errors == ["Choose a person from the list first."]


def test_edit_form_shows_the_conflict_instead_of_overwriting(demo_db, data_home, qtbot,
                                                             monkeypatch, errors) -> None:
    """The officer opens Anna Bradnam's form; another copy saves her first; OK is refused."""
    from cspdesk.ui.people_dialogs import PersonDialog
    from cspdesk.ui.people_page import PeoplePage

    page = PeoplePage(AppContext(demo_db))
    qtbot.addWidget(page)
    page.refresh()
    names = [r.name for r in page.people_model.rows()]
    proxy_names = [page.people_proxy.data(page.people_proxy.index(r, 0))
                   for r in range(page.people_proxy.rowCount())]
    page.current_view().selectRow(proxy_names.index("Anna Bradnam"))
    person_id = page.people_model.rows()[names.index("Anna Bradnam")].id
    other = open_database(demo_db.url)

    def fake_exec(dialog: PersonDialog) -> int:
        theirs = people.get_person(other, person_id)  # meanwhile, in the other copy
        people.update_person(other, person_id, people.PersonInput(
            theirs.name, theirs.initials, "Chair of the Board", theirs.organisation_id),
            theirs.version)
        dialog.role.setText("Lead Cabinet Member")
        dialog.buttons.accepted.emit()
        return dialog.result()

    monkeypatch.setattr(PersonDialog, "exec", fake_exec)
    try:
        page.edit()
    finally:
        other.dispose()
    assert len(errors) == 1 and "changed by someone else" in errors[0]
    assert people.get_person(demo_db, person_id).role == "Chair of the Board"
    assert page.ctx.undo_stack.count() == 0


def test_a_failed_daily_backup_is_shown_until_a_backup_is_made(tmp_path, demo_template, qtbot,
                                                                data_home, errors) -> None:
    from PySide6.QtWidgets import QLabel

    from cspdesk import config
    from cspdesk.services.lock import open_for_writing, release_all
    from cspdesk.ui import safety_menu

    path = tmp_path / "csp.sqlite"
    path.write_bytes(Path(demo_template).read_bytes())
    blocker = tmp_path / "backups"
    blocker.write_text("a file where the backups folder should be")
    db = open_for_writing(config.sqlite_url(path))
    try:
        assert db.backup_problem and db.backup_problem.startswith("The backup of csp.sqlite")
        window = MainWindow(AppContext(db))
        qtbot.addWidget(window)
        banners = [w for w in window.findChildren(QLabel) if w.accessibleName() == "Backup warning"]
        assert len(banners) == 1 and not banners[0].isHidden()
        assert banners[0].text().startswith("Today's automatic backup was not made.")
        blocker.unlink()
        task = safety_menu.back_up_now(window, window.ctx)
        qtbot.waitUntil(lambda: task.is_done, timeout=10_000)
        assert errors == [] and banners[0].isHidden() and db.backup_problem is None
    finally:
        db.dispose()
        release_all()
