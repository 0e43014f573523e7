"""Find bundled resources (fonts, demo data) in a source tree, an install or a frozen build."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def resource_path(*parts: str) -> Path:
    """Path of a file under ``resources/``."""
    root = resources.files("cspdesk.resources")
    return Path(str(root.joinpath(*parts)))
