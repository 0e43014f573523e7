"""Generated papers: each area offers providers; the pack asks this registry, never the areas.

A provider is ``fn(db, meeting_id, out_dir: Path, progress=None) -> Path`` returning a PDF it
wrote inside ``out_dir``. Each provider module exposes ``PAPER_PROVIDERS = {key: (label, fn)}``.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

PROVIDER_MODULES = (
    "cspdesk.services.minutes",  # minutes
    "cspdesk.services.actions_papers",  # action-log, action-plan-update
    "cspdesk.services.budget_papers",  # finance-report
    "cspdesk.services.isa_papers",  # isa-register
)

Provider = Callable[..., Path]


def providers() -> dict[str, tuple[str, Provider]]:
    """{key: (label, provider)} over every area that offers papers."""
    found: dict[str, tuple[str, Provider]] = {}
    for name in PROVIDER_MODULES:
        if importlib.util.find_spec(name) is None:
            continue
        found.update(getattr(importlib.import_module(name), "PAPER_PROVIDERS", {}))
    return found


def generate(key: str, db: Any, meeting_id: int, out_dir: Path, **kwargs: Any) -> Path:
    """Run the provider ``key`` for a meeting; raises KeyError for an unknown key."""
    label, fn = providers()[key]
    return fn(db, meeting_id, out_dir, **kwargs)
