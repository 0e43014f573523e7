"""The core (models, services, reports, db) never imports Qt, so it runs in the CLI and tests."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import cspdesk

PACKAGE = Path(cspdesk.__file__).parent
CORE = ["models", "services", "reports", "db"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_modules_do_not_import_qt_in_their_source() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for layer in CORE
        for path in (PACKAGE / layer).rglob("*.py")
        for name in _imports(path)
        if name.split(".")[0] in ("PySide6", "shiboken6") or name.startswith("cspdesk.ui")
    ]
    assert offenders == []


def test_importing_every_core_module_loads_no_qt() -> None:
    modules = [
        ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        for layer in CORE
        for path in (PACKAGE / layer).rglob("*.py")
        if "migrations" not in path.parts
    ]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "import cspdesk.cli; cspdesk.cli.build_parser()\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
    assert len(modules) > 40  # the walk found the real modules
