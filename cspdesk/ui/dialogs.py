"""File choosers that remember the last folder (tests monkeypatch these two functions)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QWidget


def _settings() -> QSettings:
    return QSettings("cspdesk", "cspdesk")


def _start(key: str, name: str = "") -> str:
    folder = str(_settings().value(f"folders/{key}", "") or "") or str(Path.home())
    return str(Path(folder) / name) if name else folder


def _remember(key: str, chosen: str) -> None:
    if chosen:
        _settings().setValue(f"folders/{key}", str(Path(chosen).parent))


def choose_open_file(parent: QWidget | None, title: str, filter_: str,
                     key: str = "default") -> Path | None:
    """Ask for a file to open; None if cancelled."""
    chosen, _ = QFileDialog.getOpenFileName(parent, title, _start(key), filter_)
    _remember(key, chosen)
    return Path(chosen) if chosen else None


def choose_save_file(parent: QWidget | None, title: str, filter_: str, suggested: str,
                     key: str = "default") -> Path | None:
    """Ask where to save; None if cancelled."""
    chosen, _ = QFileDialog.getSaveFileName(parent, title, _start(key, suggested), filter_)
    _remember(key, chosen)
    return Path(chosen) if chosen else None
