"""Helpers for driving real dialogs in UI tests."""

from __future__ import annotations

from typing import Any


def drive(monkeypatch: Any, cls: type, fill: Any) -> None:
    """Replace exec() of a dialog class: fill its real widgets, then press OK."""
    def fake_exec(self):  # type: ignore[no-untyped-def]
        fill(self)
        self.buttons.accepted.emit()
        return self.result()
    monkeypatch.setattr(cls, "exec", fake_exec)
