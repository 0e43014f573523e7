"""Main window: navigation, partnership switcher, dashboard, remembered state, start-up errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QMessageBox

from cspdesk import config
from cspdesk.services.partnerships import find_partnership
from cspdesk.ui import app as app_module
from cspdesk.ui import dialogs
from cspdesk.ui.context import AppContext
from cspdesk.ui.main_window import PAGES, MainWindow

SOUTH_CAMBS = "South Cambridgeshire Community Safety Partnership"


@pytest.fixture
def window(demo_db, qtbot, data_home, fixed_today):
    w = MainWindow(AppContext(demo_db))
    qtbot.addWidget(w)
    return w


def nav_labels(w: MainWindow) -> list[str]:
    return [w.nav.item(i).text() for i in range(w.nav.count())]


def test_navigation_lists_every_area_and_shows_each_page(window, qtbot) -> None:
    assert nav_labels(window) == ["Dashboard", "Meetings", "Action plans", "Budget",
                                  "ISA register", "People & organisations"]
    for key, _label, _target in PAGES:
        window.open_page(key)
        assert window.current_page() is not None
        assert window.current_page().key == key


def test_dashboard_shows_the_next_meeting_of_each_board(demo_db, qtbot, data_home,
                                                        fixed_today) -> None:
    w = MainWindow(AppContext(demo_db))
    qtbot.addWidget(w)
    w.open_page("dashboard")
    lines = w.current_page().line_texts("Next meetings")
    assert any("27 Feb 2020" in line or "27 February 2020" in line for line in lines), lines


def test_switching_partnership_is_remembered(demo_db, qtbot, data_home) -> None:
    w = MainWindow(AppContext(demo_db))
    qtbot.addWidget(w)
    w.switcher.setCurrentIndex(w.switcher.findText(SOUTH_CAMBS))
    assert w.ctx.partnership_id == find_partnership(demo_db, SOUTH_CAMBS).id
    w.open_page("isa")
    w.resize(700, 500)  # the offscreen screen is 800 x 600
    w.close()

    again = MainWindow(AppContext(demo_db))
    qtbot.addWidget(again)
    assert again.switcher.currentText() == SOUTH_CAMBS
    assert again.ctx.partnership_id == find_partnership(demo_db, SOUTH_CAMBS).id
    assert again.current_page().key == "isa"
    assert (again.width(), again.height()) == (700, 500)


def test_keyboard_shortcuts_go_to_pages(window, qtbot) -> None:
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    go_people = next(a for a in view_menu.actions() if a.text() == "People & organisations")
    assert go_people.shortcut().toString() == "Ctrl+6"
    go_people.trigger()
    assert window.current_page().key == "people"
    quit_action = next(a for a in window.file_menu.actions() if a.text() == "&Quit")
    assert "Ctrl+Q" in [k.toString() for k in quit_action.shortcuts()]


def test_status_bar_names_the_database(window, demo_db) -> None:
    texts = [label.text() for label in window.statusBar().findChildren(QLabel)]
    assert f"Database: {demo_db.display_name}" in texts


@pytest.mark.sqlite_only(reason="start-up checks of a database file")
def test_start_up_on_a_file_that_is_not_a_database_offers_another_file(
        tmp_path: Path, qtbot, monkeypatch, demo_template: Path, data_home) -> None:
    bad = tmp_path / "notes.sqlite"
    bad.write_text("not a database")
    good = tmp_path / "good.sqlite"
    good.write_bytes(demo_template.read_bytes())
    shown: list[str] = []

    def fake_exec(box: QMessageBox) -> int:
        shown.append(box.text())
        button = next(b for b in box.buttons() if b.text().startswith("Choose another file"))
        box.setProperty("_clicked", True)
        monkeypatch.setattr(box, "clickedButton", lambda: button)
        return 0
    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    monkeypatch.setattr(dialogs, "choose_open_file", lambda *a, **k: good)
    db = app_module.open_with_recovery(config.sqlite_url(bad))
    assert db is not None
    try:
        assert db.path == good
    finally:
        db.dispose()
    assert shown == [f"{bad.name} is not a cspdesk database (it is not an SQLite file). "
                     "Choose another file."]
    assert bad.read_text() == "not a database"


@pytest.mark.sqlite_only(reason="start-up checks of a database file")
def test_a_damaged_file_can_be_restored_from_its_backup_at_start_up(
        tmp_path: Path, qtbot, monkeypatch, demo_template: Path, data_home) -> None:
    import os

    from PySide6.QtWidgets import QInputDialog

    from cspdesk.services.backup import backup_file, list_backups
    from cspdesk.ui import messages

    path = tmp_path / "csp.sqlite"
    path.write_bytes(demo_template.read_bytes())
    backup_file(path, "daily")
    data = bytearray(path.read_bytes())
    for offset in range(4096 * 3, len(data) - 4096, 4096 * 2):
        data[offset + 8: offset + 200] = os.urandom(192)
    path.write_bytes(bytes(data))
    damaged = bytes(data)
    asked: list[str] = []

    def fake_exec(box: QMessageBox) -> int:
        asked.append(box.text())
        button = next(b for b in box.buttons() if b.text() == "Restore from a backup…")
        monkeypatch.setattr(box, "clickedButton", lambda: button)
        return 0
    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    offered: list[list[str]] = []

    def pick(_parent, _title, _label, items, *_a):  # type: ignore[no-untyped-def]
        offered.append(list(items))
        return items[0], True
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(pick))
    told: list[str] = []
    monkeypatch.setattr(messages, "info", lambda _p, text, *_a: told.append(text))
    db = app_module.open_with_recovery(config.sqlite_url(path))
    assert db is not None
    try:
        assert find_partnership(db, "South Cambs CSP").name.startswith("South Cambridgeshire")
    finally:
        db.dispose()
    assert len(asked) == 1 and "is damaged" in asked[0]
    assert len(offered) == 1 and len(offered[0]) == 1 and "daily" in offered[0][0]
    kept = next(b for b in list_backups(path) if b.reason == "damaged")
    assert kept.path.read_bytes() == damaged  # the damaged file is kept as it was
    assert told and f"kept at {kept.path}" in told[0]


@pytest.mark.sqlite_only(reason="start-up checks of a database file")
def test_start_up_on_a_newer_database_can_quit_without_touching_it(
        tmp_path: Path, monkeypatch, demo_template: Path, data_home) -> None:
    path = tmp_path / "newer.sqlite"
    path.write_bytes(demo_template.read_bytes())
    with sqlite3.connect(path) as conn:
        conn.execute("update alembic_version set version_num = '9999_future'")
    conn.close()
    before = path.read_bytes()
    shown: list[str] = []

    def fake_exec(box: QMessageBox) -> int:
        shown.append(box.text())
        quit_button = next(b for b in box.buttons() if b.text() == "Quit")
        monkeypatch.setattr(box, "clickedButton", lambda: quit_button)
        return 0
    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    assert app_module.open_with_recovery(config.sqlite_url(path)) is None
    assert "newer version of cspdesk" in shown[0]
    assert path.read_bytes() == before


@pytest.mark.parametrize("partnership", [None, "South Cambridgeshire"])
def test_every_page_fits_a_laptop_screen(window, partnership, qtbot) -> None:
    """No page may force the window wider than a 1366-pixel laptop screen (a long line of
    links on the Budget page once did, pushing it to 1,900 pixels)."""
    from cspdesk.services.partnerships import list_partnerships

    pid = next((p.id for p in list_partnerships(window.ctx.db)
                if partnership and p.name.startswith(partnership)), None)
    window.ctx.set_partnership(pid)
    for key, _label, _target in PAGES:
        window.open_page(key)
        page = window.current_page()
        page.layout().invalidate()  # take in the texts the page just set
        page.layout().activate()
        assert page.layout().totalMinimumSize().width() <= 1000, key
