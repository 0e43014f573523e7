"""Start-up: the main window paints first, then the database is opened into it."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from cspdesk.ui import app as app_module
from cspdesk.ui import dialogs
from cspdesk.ui.main_window import MainWindow

pytestmark = [pytest.mark.sqlite_only(reason="start-up on a database file"),
              pytest.mark.qt_log_ignore("propagateSizeHints")]  # offscreen top-level windows

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("sqlalchemy", "alembic", "pandas", "reportlab", "openpyxl", "yaml", "pikepdf")

#: runs ``cspdesk --db FILE`` and reports, at the main window's first paint, which heavy
#: modules are loaded and what the window shows
FIRST_PAINT_PROBE = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QEvent, QObject
    from cspdesk.__main__ import main
    from cspdesk.ui import app as app_module

    HEAVY = {heavy!r}
    show_window = app_module.after_first_paint

    def probe(window, then):
        class Probe(QObject):
            def eventFilter(self, obj, event):
                if event.type() == QEvent.Type.Paint and not hasattr(window, "_probed"):
                    window._probed = True
                    loaded = sorted(m for m in sys.modules if m.split(".")[0] in HEAVY)
                    print("LOADED", ",".join(loaded) or "-", flush=True)
                    print("STATUS", window.db_label.text(), flush=True)
                    print("NAV", window.nav.isEnabled(), window.nav.count(), flush=True)
                    print("MENUS", ",".join(a.text() for a in window.menuBar().actions()),
                          flush=True)
                return False
        window._probe = Probe(window)
        window.installEventFilter(window._probe)
        show_window(window, then)

    app_module.after_first_paint = probe
    sys.exit(main(sys.argv[1:]))
""")


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CSPDESK_HOME=str(home / "home"),
               XDG_CONFIG_HOME=str(home / "config"), CSPDESK_EXIT_AFTER_SHOW="1",
               PYTHONPATH=str(ROOT))  # the probe script's folder is not the checkout
    env.pop("CSPDESK_DATABASE_URL", None)
    return env


def test_the_window_paints_before_the_database_libraries_load_then_says_ready(
        tmp_path: Path, demo_template: Path) -> None:
    db = tmp_path / "office.sqlite"
    db.write_bytes(Path(demo_template).read_bytes())
    script = tmp_path / "probe.py"
    script.write_text(FIRST_PAINT_PROBE.format(heavy=HEAVY))
    out = subprocess.run([sys.executable, str(script), "--db", str(db)], cwd=ROOT,
                         env=_env(tmp_path), capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    lines = dict(line.split(" ", 1) for line in out.stdout.splitlines() if " " in line)
    assert lines["LOADED"] == "-"  # no SQLAlchemy, Alembic, pandas, ... at the first paint
    assert lines["STATUS"] == f"Opening {db}…"
    assert lines["NAV"] == "False 6"  # navigation listed but disabled until the file is open
    assert lines["MENUS"] == "&File,&Edit,&View,&Records,&Help"
    shown = float(lines["CSPDESK_SHOWN"])
    ready = [float(line.split()[1]) for line in out.stderr.splitlines()
             if line.startswith("CSPDESK_READY ")]
    assert ready and ready[0] > shown  # the database opened (and dashboard filled) after
    assert (tmp_path / "backups").is_dir()  # opened for writing: the daily backup was made


@pytest.fixture
def app_state(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[QApplication]:
    """run_app names the application and sets the excepthook: put both back afterwards;
    a timer ends a start-up that would otherwise wait for ever."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    names = qapp.organizationName(), qapp.applicationName(), qapp.applicationDisplayName()
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(lambda: QApplication.exit(99))
    guard.start(20_000)
    yield qapp
    guard.stop()
    qapp.setOrganizationName(names[0])
    qapp.setApplicationName(names[1])
    qapp.setApplicationDisplayName(names[2])


@pytest.fixture
def windows(qtbot, monkeypatch: pytest.MonkeyPatch) -> list[MainWindow]:
    """The main windows run_app builds (closed by qtbot afterwards)."""
    from cspdesk.ui import main_window

    made: list[MainWindow] = []

    class Recorded(MainWindow):
        def __init__(self, ctx) -> None:  # type: ignore[no-untyped-def]
            super().__init__(ctx)
            made.append(self)
            qtbot.addWidget(self)
    monkeypatch.setattr(main_window, "MainWindow", Recorded)
    return made


def _args(path: Path) -> argparse.Namespace:
    return argparse.Namespace(db=str(path), database_url=None, demo=False, command=None)


def _answer(monkeypatch: pytest.MonkeyPatch, button_text: str) -> list[dict[str, object]]:
    """Answer the 'cannot open' question with ``button_text``; record what the user saw."""
    seen: list[dict[str, object]] = []

    def fake_exec(box: QMessageBox) -> int:
        window = box.parentWidget()
        seen.append({"text": box.text(), "window": window,
                     "window_visible": isinstance(window, MainWindow) and window.isVisible(),
                     "status": window.db_label.text() if isinstance(window, MainWindow) else ""})
        button = next(b for b in box.buttons() if b.text().startswith(button_text))
        monkeypatch.setattr(box, "clickedButton", lambda: button)
        return 0
    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    return seen


def test_a_damaged_file_is_explained_over_the_shown_window_and_another_file_opens(
        tmp_path: Path, demo_template: Path, data_home: Path, app_state, fixed_today,
        windows: list[MainWindow], monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "notes.sqlite"
    bad.write_text("not a database")
    good = tmp_path / "good.sqlite"
    good.write_bytes(Path(demo_template).read_bytes())
    seen = _answer(monkeypatch, "Choose another file")
    monkeypatch.setattr(dialogs, "choose_open_file", lambda *a, **k: good)
    ready = app_module.exit_when_ready

    def quit_when_ready() -> None:
        texts = [w.db_label.text() for w in windows]
        pages = [w.current_page().key if w.current_page() else None for w in windows]
        seen.append({"after": texts, "pages": pages})
        ready()
    monkeypatch.setattr(app_module, "exit_when_ready", quit_when_ready)
    monkeypatch.setenv(app_module.EXIT_AFTER_SHOW, "1")

    assert app_module.run_app(_args(bad)) == 0
    question, after = seen
    assert question["text"] == (f"{bad.name} is not a cspdesk database (it is not an SQLite "
                                "file). Choose another file.")
    assert question["window"] is windows[0] and question["window_visible"]
    assert question["status"] == f"Opening {bad}…"
    assert after == {"after": [f"Database: {good}"], "pages": ["dashboard"]}
    assert bad.read_text() == "not a database"


def test_giving_up_on_a_damaged_file_quits_with_code_2(
        tmp_path: Path, data_home: Path, app_state, windows: list[MainWindow],
        monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "notes.sqlite"
    bad.write_text("not a database")
    seen = _answer(monkeypatch, "Quit")
    assert app_module.run_app(_args(bad)) == 2
    assert len(seen) == 1 and seen[0]["window"] is windows[0] and seen[0]["window_visible"]
    assert bad.read_text() == "not a database"


def test_an_unreachable_server_opens_its_snapshot_with_the_banner_after_the_window_shows(
        db, data_home: Path, app_state, windows: list[MainWindow],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from cspdesk.services import connection
    from cspdesk.ui import messages
    from tests.services.test_connection import server_settings

    unreachable = connection.database_url(server_settings(host="127.0.0.1", port=1), "x")
    connection.save_snapshot(db.url, connection.settings_from_url(unreachable))
    told: list[tuple[str, bool]] = []
    monkeypatch.setattr(messages, "show_error", lambda parent, exc, title="": told.append(
        (exc.message, isinstance(parent, MainWindow) and parent.isVisible())))
    seen: list[tuple[str, str, bool]] = []

    def quit_when_ready() -> None:
        window, = windows
        banners = [w for w in window.findChildren(QLabel)
                   if w.accessibleName() == "Snapshot banner"]
        seen.append((window.windowTitle(), window.db_label.text(), bool(banners)))
        QApplication.exit(0)
    monkeypatch.setattr(app_module, "exit_when_ready", quit_when_ready)
    monkeypatch.setenv(app_module.EXIT_AFTER_SHOW, "1")
    args = argparse.Namespace(db=None, database_url=unreachable, demo=False, command=None)
    assert app_module.run_app(args) == 0
    assert len(told) == 1 and told[0][1] and "snapshot" in told[0][0]
    title, status, banner_shown = seen[0]
    assert "snapshot from" in title and title.endswith("(read-only)")
    assert status.endswith("(read-only)") and banner_shown
