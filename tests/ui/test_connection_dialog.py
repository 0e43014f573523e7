"""File > Database connection…: fields, connection test, password in the keyring, start-up on a
server that cannot be reached (offline snapshot, read-only, with a banner)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from sqlalchemy.engine import make_url

from cspdesk.services import connection, people
from cspdesk.services.connection import FILE, ConnectionSettings
from cspdesk.services.people import PersonInput
from cspdesk.ui import app as app_module
from cspdesk.ui import connection_dialog, connection_menu, dialogs, messages
from cspdesk.ui.connection_dialog import ConnectionDialog, load_settings, save_settings
from cspdesk.ui.context import AppContext
from cspdesk.ui.main_window import MainWindow
from tests.conftest import ON_POSTGRES, SERVER_URL
from tests.services.test_connection import memory_keyring, server_settings  # noqa: F401


def _dialog(qtbot, settings: ConnectionSettings | None = None) -> ConnectionDialog:
    dialog = ConnectionDialog(settings)
    qtbot.addWidget(dialog)
    return dialog


def _fill_server(dialog: ConnectionDialog, settings: ConnectionSettings, password: str) -> None:
    dialog.server.setChecked(True)
    dialog.host.setText(settings.host)
    dialog.port.setValue(settings.port)
    dialog.database.setText(settings.database)
    dialog.user.setText(settings.user)
    dialog.password.setText(password)


def _test_and_wait(qtbot, dialog: ConnectionDialog) -> str:
    task = dialog.test_connection()
    assert task is not None
    qtbot.waitUntil(lambda: task.is_done, timeout=15000)
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=5000)
    return dialog.result_label.text()


def test_fields_follow_the_choice_and_browse_fills_the_path(qtbot, tmp_path, monkeypatch,
                                                            data_home) -> None:
    dialog = _dialog(qtbot)
    assert dialog.laptop.isChecked() and dialog.file_box.isEnabled()
    assert not dialog.server_box.isEnabled()
    assert dialog.path.text().endswith("cspdesk.sqlite")
    chosen = tmp_path / "team.sqlite"
    monkeypatch.setattr(dialogs, "choose_open_file", lambda *a, **k: chosen)
    browse = next(b for b in dialog.findChildren(QPushButton) if b.text() == "&Browse…")
    qtbot.mouseClick(browse, Qt.MouseButton.LeftButton)
    assert dialog.path.text() == str(chosen)
    dialog.server.setChecked(True)
    assert dialog.server_box.isEnabled() and not dialog.file_box.isEnabled()
    assert dialog.password.echoMode() == dialog.password.EchoMode.Password

    again = _dialog(qtbot, server_settings(host="csp-db.council.local", port=5433))
    assert again.server.isChecked()
    assert (again.host.text(), again.port.value()) == ("csp-db.council.local", 5433)


def test_missing_server_name_is_said_without_connecting(qtbot) -> None:
    dialog = _dialog(qtbot)
    dialog.server.setChecked(True)
    dialog.host.clear()
    assert dialog.test_connection() is None
    assert dialog.result_label.text() == "Enter the server name of the shared server."


def test_test_connection_succeeds(qtbot, db) -> None:
    dialog = _dialog(qtbot)
    if ON_POSTGRES:
        _fill_server(dialog, server_settings(), make_url(SERVER_URL).password or "")
        expected = "Connected to"
    else:
        dialog.path.setText(str(db.path))
        expected = "cspdesk database that this laptop can open"
    assert expected in _test_and_wait(qtbot, dialog)
    assert "#2E8B57" in dialog.result_label.styleSheet()


def test_unreachable_port_fails_in_one_sentence(qtbot) -> None:
    dialog = _dialog(qtbot)
    _fill_server(dialog, server_settings(host="127.0.0.1", port=1), "x")
    text = _test_and_wait(qtbot, dialog)
    assert text == ("The database server at 127.0.0.1:1 cannot be reached. Check the server "
                    "name and port and your network, then try again.")
    assert "#C0392B" in dialog.result_label.styleSheet()


def test_ok_saves_the_choice_and_the_password_only_in_the_keyring(
        qtbot, memory_keyring, private_settings: Path) -> None:  # noqa: F811
    dialog = _dialog(qtbot)
    settings = server_settings(host="csp-db.council.local", user="j.smith")
    _fill_server(dialog, settings, "Tr0ub4dor&3")
    dialog.accept()
    assert dialog.result() == ConnectionDialog.DialogCode.Accepted
    assert load_settings() == replace(settings, path=dialog.path.text())  # the file is kept
    assert connection.get_password(settings) == "Tr0ub4dor&3"
    stored = "".join(p.read_text(errors="replace") for p in private_settings.rglob("*")
                     if p.is_file())
    assert "csp-db.council.local" in stored and "Tr0ub4dor" not in stored

    reopened = _dialog(qtbot, load_settings())
    assert reopened.password.text() == ""
    assert reopened.password.placeholderText() == "saved in the system keyring"


def test_saved_connection_is_used_at_start_up(memory_keyring, monkeypatch) -> None:  # noqa: F811
    monkeypatch.delenv("CSPDESK_DATABASE_URL", raising=False)
    assert app_module.saved_connection_url() is None
    settings = server_settings(host="csp-db.council.local", user="j.smith")
    save_settings(settings)
    connection.store_password(settings, "pw")
    url = make_url(app_module.saved_connection_url())
    assert (url.host, url.username, url.password) == ("csp-db.council.local", "j.smith", "pw")
    monkeypatch.setenv("CSPDESK_DATABASE_URL", "sqlite:////tmp/x.sqlite")
    assert app_module.saved_connection_url() is None


def test_restart_drops_the_options_that_named_a_database() -> None:
    assert connection_menu.restart_arguments(
        ["--db", "a.sqlite", "--demo", "--database-url=postgresql://x/y", "--verbose"]) == [
        "--verbose"]


def test_unreachable_server_opens_the_snapshot_read_only_with_a_banner(
        qtbot, db, data_home, monkeypatch) -> None:
    people.add_person(db, PersonInput(name="Frances Hale"))
    unreachable = connection.database_url(server_settings(host="127.0.0.1", port=1), "x")
    connection.save_snapshot(db.url, connection.settings_from_url(unreachable))
    shown: list[str] = []
    monkeypatch.setattr(messages, "show_error", lambda _p, exc, title="": shown.append(
        exc.message))
    opened, taken = connection_menu.open_server(unreachable)
    assert opened is not None and taken is not None
    try:
        assert opened.read_only
        assert "Frances Hale" in {p.name for p in people.list_people(opened)}
        assert len(shown) == 1 and shown[0].startswith("The database server at 127.0.0.1:1 "
                                                       "cannot be reached.")
        assert "read-only" in shown[0] and "snapshot" in shown[0]
        window = MainWindow(AppContext(opened))
        qtbot.addWidget(window)
        banner = connection_menu.show_snapshot_banner(window, taken)
        assert "snapshot from" in window.windowTitle()
        assert banner.text().startswith(f"Offline snapshot from {taken:%d %b %Y %H:%M}")
    finally:
        opened.dispose()


def test_unreachable_server_without_snapshot_can_quit(data_home, monkeypatch) -> None:
    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda _p, q, title="": asked.append(q) or False)
    unreachable = connection.database_url(server_settings(host="127.0.0.1", port=1), "x")
    assert connection_menu.open_server(unreachable) == (None, None)
    assert "There is no offline snapshot" in asked[0]


@pytest.mark.sqlite_only("a lock file beside a database file")
def test_a_locked_file_chosen_instead_of_the_server_can_open_read_only(
        data_home, monkeypatch, tmp_path, demo_template) -> None:
    """Unreachable server, no snapshot: the officer picks a file in the connection settings;
    another copy holds that file, so they get the usual choice and open it read-only."""
    import json
    import subprocess
    import sys

    from PySide6.QtWidgets import QMessageBox

    from cspdesk.services import lock

    chosen_file = tmp_path / "laptop.sqlite"
    chosen_file.write_bytes(demo_template.read_bytes())
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        lock.lock_path(chosen_file).write_text(json.dumps({
            "user": "jo.bloggs", "machine": lock.machine_name(), "pid": holder.pid,
            "since": "2026-11-30T09:00:00"}), encoding="utf-8")
        monkeypatch.setattr(messages, "confirm", lambda *a, **k: True)
        monkeypatch.setattr(connection_menu, "open_connection_dialog",
                            lambda _p: ConnectionSettings(FILE, path=str(chosen_file)))
        offered: list[list[str]] = []

        def fake_exec(box: QMessageBox) -> int:
            offered.append([b.text() for b in box.buttons()])
            button = next(b for b in box.buttons() if b.text() == "Open read-only")
            monkeypatch.setattr(box, "clickedButton", lambda: button)
            return 0

        monkeypatch.setattr(QMessageBox, "exec", fake_exec)
        unreachable = connection.database_url(server_settings(host="127.0.0.1", port=1), "x")
        db, taken = connection_menu.open_server(unreachable)
        try:
            assert taken is None and db is not None and db.read_only
            assert {"Open read-only", "Open anyway"} <= set(offered[0])
        finally:
            db.dispose()
    finally:
        holder.kill()
        holder.wait()


def test_window_keeps_painting_while_a_silent_server_times_out(data_home, monkeypatch,
                                                               qtbot) -> None:
    """A server that accepts the connection but never answers: the attempt runs on a worker,
    so the event loop keeps serving (timer ticks) until the timeout, then the question comes."""
    import socket
    import time

    from PySide6.QtCore import QTimer

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # the kernel completes the handshake; nobody ever replies
    port = silent.getsockname()[1]
    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda _p, q, title="": asked.append(q) or False)
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(10)
    url = connection.database_url(server_settings(host="127.0.0.1", port=port), "x")
    try:
        started = time.perf_counter()
        assert connection_menu.open_server(url + "?connect_timeout=2") == (None, None)
        waited = time.perf_counter() - started
    finally:
        timer.stop()
        silent.close()
    assert waited >= 1.5 and "There is no offline snapshot" in asked[0]
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    assert len(ticks) > 50 and max(gaps) < 0.5, f"longest gap {max(gaps):.3f} s"


def test_quitting_while_connecting_is_not_giving_up(monkeypatch, qtbot) -> None:
    """Ctrl+Q before the 'Connecting' dialog shows ends the wait: no 'no database' answer
    (which would exit with code 2), and the connection made afterwards is handed over."""
    import time

    from PySide6.QtCore import QThreadPool

    from cspdesk.services import lock

    made = object()

    def slow_open(_url: str) -> object:
        time.sleep(0.5)
        return made

    class QuitLoop:  # the wait ends at once, as QApplication.exit() ends every running loop
        def exec(self) -> int:
            return 0

        def quit(self) -> None:
            pass

    monkeypatch.setattr(lock, "open_for_writing", slow_open)
    monkeypatch.setattr(connection_menu, "QEventLoop", QuitLoop)
    url = connection.database_url(server_settings(host="127.0.0.1", port=5432), "x")
    with pytest.raises(connection_menu.ConnectAbandoned) as quitting:
        connection_menu._connect(url, connection.settings_from_url(url), None)
    QThreadPool.globalInstance().waitForDone()
    assert quitting.value.opened == [made]
    qtbot.wait(50)  # let the finished task close its progress dialog before the next test


def test_file_menu_opens_the_dialog(qtbot, demo_db, data_home, monkeypatch) -> None:
    window = MainWindow(AppContext(demo_db))
    qtbot.addWidget(window)
    action = next(a for a in window.file_menu.actions()
                  if a.text() == "Database &connection…")
    opened: list[ConnectionSettings | None] = []

    def fake_exec(dialog: ConnectionDialog) -> int:
        opened.append(dialog.chosen())
        dialog.path.setText(str(Path(str(demo_db.path or "x.sqlite"))))
        connection_dialog.ConnectionDialog.accept(dialog)
        return ConnectionDialog.DialogCode.Accepted

    monkeypatch.setattr(ConnectionDialog, "exec", fake_exec)
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: False)
    action.trigger()
    assert opened and opened[0].kind == FILE
    assert load_settings() == ConnectionSettings(FILE, path=str(demo_db.path or "x.sqlite"))


def test_without_a_kept_password_start_up_asks_for_it(memory_keyring, monkeypatch) -> None:  # noqa: F811
    monkeypatch.delenv("CSPDESK_DATABASE_URL", raising=False)
    settings = server_settings(host="csp-db.council.local", user="j.smith")
    save_settings(settings)
    asked: list[str] = []

    def get_text(_parent, _title, label, _echo):  # noqa: ANN001, ANN202
        asked.append(label)
        return "typed-pw", True

    monkeypatch.setattr(app_module.QInputDialog, "getText", get_text)
    url = make_url(app_module.saved_connection_url())
    assert url.password == "typed-pw"
    assert asked == [f"Password of j.smith for {settings.describe()}:"]
    # kept in the keyring, so the next start does not ask again
    assert make_url(app_module.saved_connection_url()).password == "typed-pw"
    assert len(asked) == 1

    monkeypatch.setattr(app_module.QInputDialog, "getText", lambda *a: ("", False))
    connection.store_password(settings, "")
    assert make_url(app_module.saved_connection_url()).password is None
