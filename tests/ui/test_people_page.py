"""People & organisations driven offscreen: list, search, add, edit, merge, delete, undo."""

from __future__ import annotations

import pytest

from cspdesk.services import people
from cspdesk.ui import messages
from cspdesk.ui.context import AppContext
from cspdesk.ui.people_dialogs import MergeDialog, OrganisationDialog, PersonDialog
from cspdesk.ui.people_page import PeoplePage
from tests.ui.helpers import drive


@pytest.fixture
def page(demo_db, qtbot, data_home):
    ctx = AppContext(demo_db)
    widget = PeoplePage(ctx)
    qtbot.addWidget(widget)
    widget.refresh()
    return widget


def visible_names(page: PeoplePage) -> list[str]:
    proxy = page.people_proxy if page.on_people else page.org_proxy
    return [proxy.data(proxy.index(r, 0)) for r in range(proxy.rowCount())]


def select(page: PeoplePage, name: str) -> None:
    view = page.current_view()
    names = visible_names(page)
    view.selectRow(names.index(name))


def test_models_pass_the_model_tester(page, qtmodeltester) -> None:
    qtmodeltester.check(page.people_model)
    qtmodeltester.check(page.org_model)
    qtmodeltester.check(page.people_proxy)


def test_search_narrows_people_and_organisations(page, qtbot) -> None:
    total = page.people_model.rowCount()
    assert total >= 80
    assert page.status.text() == f"{total} of {total} people"
    qtbot.keyClicks(page.search_box, "bradnam")
    assert visible_names(page) == ["Anna Bradnam"]
    assert page.status.text() == f"1 of {total} people"
    page.search_box.clear()
    qtbot.keyClicks(page.search_box, "fire rescue")  # every word, any column
    assert "Chris Parker" in visible_names(page)
    page.tabs.setCurrentIndex(1)
    assert visible_names(page) == ["Cambridgeshire Fire and Rescue Service"]
    page.search_box.clear()
    qtbot.keyClicks(page.search_box, "CFRS")  # aliases are searchable
    assert visible_names(page) == ["Cambridgeshire Fire and Rescue Service"]


def test_add_a_person_then_undo(page, monkeypatch) -> None:
    def fill(d: PersonDialog) -> None:
        d.name.setText("Jo Example")
        d.role.setText("Community Safety Officer")
        d.email.setText("jo.example@scambs.gov.uk")
        d.org.setCurrentIndex(d.org.findText("South Cambridgeshire District Council"))
    drive(monkeypatch, PersonDialog, fill)
    before = page.people_model.rowCount()
    page.add()
    assert page.people_model.rowCount() == before + 1
    row = next(r for r in page.people_model.rows() if r.name == "Jo Example")
    assert row.organisation == "South Cambridgeshire District Council"
    assert row.initials == "JE"  # filled in from the name
    page.ctx.undo_stack.undo()
    assert page.people_model.rowCount() == before
    page.ctx.undo_stack.redo()
    assert any(r.name == "Jo Example" for r in page.people_model.rows())


def test_a_bad_email_keeps_the_form_open_with_a_message(page, monkeypatch) -> None:
    seen: list[str] = []

    def fill(d: PersonDialog) -> None:
        d.name.setText("Jo Example")
        d.email.setText("jo.example at scambs")
    def fake_exec(self):  # type: ignore[no-untyped-def]
        fill(self)
        self.buttons.accepted.emit()
        seen.append(self.error.text())
        return 0  # the officer then cancels
    monkeypatch.setattr(PersonDialog, "exec", fake_exec)
    before = page.people_model.rowCount()
    page.add()
    assert "email" in seen[0].lower()
    assert page.people_model.rowCount() == before


def test_edit_a_person(page, monkeypatch) -> None:
    select(page, "Anna Bradnam")
    drive(monkeypatch, PersonDialog, lambda d: d.role.setText("Lead Cabinet Member"))
    page.edit()
    row = next(r for r in page.people_model.rows() if r.name == "Anna Bradnam")
    assert row.role == "Lead Cabinet Member"
    page.ctx.undo_stack.undo()
    row = next(r for r in page.people_model.rows() if r.name == "Anna Bradnam")
    assert row.role == "Elected Member"


def test_merge_duplicate_organisations_keeps_the_alias(page, monkeypatch) -> None:
    page.tabs.setCurrentIndex(1)
    drive(monkeypatch, OrganisationDialog, lambda d: d.name.setText("Cambs Fire"))
    page.add()
    assert "Cambs Fire" in visible_names(page)

    def choose(d: MergeDialog) -> None:
        d.keep.setCurrentIndex(d.keep.findText("Cambridgeshire Fire and Rescue Service"))
        d.dup.setCurrentIndex(d.dup.findText("Cambs Fire"))
    drive(monkeypatch, MergeDialog, choose)
    monkeypatch.setattr(messages, "confirm", lambda *_a, **_k: True)
    page.merge()
    assert "Cambs Fire" not in visible_names(page)
    fire = next(r for r in page.org_model.rows()
                if r.name == "Cambridgeshire Fire and Rescue Service")
    assert "Cambs Fire" in fire.aliases
    assert "Merged organisations" in page.status.text()


def test_merge_duplicate_people_moves_their_records(page, monkeypatch, demo_db) -> None:
    drive(monkeypatch, PersonDialog, lambda d: d.name.setText("Cllr A. Bradnam"))
    page.add()
    dup = next(r for r in page.people_model.rows() if r.name == "Cllr A. Bradnam")

    def choose(d: MergeDialog) -> None:
        d.keep.setCurrentIndex(d.keep.findText("Anna Bradnam — South Cambridgeshire "
                                               "District Council"))
        d.dup.setCurrentIndex(d.dup.findText("Cllr A. Bradnam"))
    drive(monkeypatch, MergeDialog, choose)
    monkeypatch.setattr(messages, "confirm", lambda *_a, **_k: True)
    page.merge()
    names = [r.name for r in page.people_model.rows()]
    assert "Cllr A. Bradnam" not in names and "Anna Bradnam" in names
    with pytest.raises(Exception, match="no longer exists|not found|deleted"):
        people.get_person(demo_db, dup.id)


def test_delete_is_refused_while_referenced_and_confirmed_otherwise(page, monkeypatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda *_a, **_k: True)
    monkeypatch.setattr(messages, "show_error",
                        lambda _p, exc, *_a: shown.append(messages.error_text(exc)))
    select(page, "Anna Bradnam")  # a board member: memberships and attendance name her
    page.delete()
    assert shown and "Anna Bradnam" in shown[0]
    assert any(r.name == "Anna Bradnam" for r in page.people_model.rows())

    drive(monkeypatch, PersonDialog, lambda d: d.name.setText("Temporary Person"))
    page.add()
    select(page, "Temporary Person")
    page.delete()
    assert not any(r.name == "Temporary Person" for r in page.people_model.rows())
    page.ctx.undo_stack.undo()  # undo brings the person back
    assert any(r.name == "Temporary Person" for r in page.people_model.rows())


def test_cancelled_delete_keeps_the_record(page, monkeypatch) -> None:
    monkeypatch.setattr(messages, "confirm", lambda *_a, **_k: False)
    select(page, "Chris Parker")
    page.delete()
    assert any(r.name == "Chris Parker" for r in page.people_model.rows())
