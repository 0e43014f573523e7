"""The frozen one-folder build: PyInstaller builds it, and the program runs without Python."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.conftest import ON_POSTGRES

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(ON_POSTGRES, reason="the build is checked once, in the SQLite run"),
    pytest.mark.skipif(sys.platform == "win32", reason="build.sh is a POSIX shell script"),
]


@pytest.fixture(scope="module")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build into a temporary folder, then move the app away from the source tree."""
    pytest.importorskip("PyInstaller", reason="install the build extra: pip install -e '.[build]'")
    work = tmp_path_factory.mktemp("build")
    env = {**os.environ, "CSPDESK_DIST": str(work / "dist"),
           "CSPDESK_BUILD": str(work / "build"), "PYTHON": sys.executable}
    started = time.monotonic()
    subprocess.run(["bash", str(ROOT / "installer" / "build.sh")], cwd=ROOT, env=env,
                   check=True, timeout=1500)
    print(f"frozen build took {time.monotonic() - started:.0f} s")
    app = tmp_path_factory.mktemp("installed") / "cspdesk"
    shutil.move(str(work / "dist" / "cspdesk"), app)
    shutil.rmtree(work, ignore_errors=True)
    return app / ("cspdesk.exe" if sys.platform == "win32" else "cspdesk")


def _run(program: Path, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    """Run the frozen program as on a fresh machine: no Python paths, no database URL."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "CSPDESK_HOME": str(home / "data"),
           "QT_QPA_PLATFORM": "offscreen", "LANG": "C.UTF-8"}
    return subprocess.run([str(program), *args], cwd=home, env=env, capture_output=True,
                          text=True, timeout=300)


def test_frozen_program_runs_version_demo_and_export_pack(frozen: Path, tmp_path: Path) -> None:
    version = _run(frozen, "--version", home=tmp_path)
    assert version.returncode == 0, version.stderr
    import cspdesk

    assert version.stdout.strip() == f"cspdesk {cspdesk.__version__}"

    db = tmp_path / "demo.sqlite"
    demo = _run(frozen, "demo", "--db", str(db), home=tmp_path)
    assert demo.returncode == 0, demo.stderr
    assert db.is_file() and (tmp_path / "demo-files").is_dir()

    pack = tmp_path / "pack.pdf"
    export = _run(frozen, "--db", str(db), "export", "pack", "--meeting", "2020-02-27",
                  "--partnership", "South Cambridgeshire Community Safety Partnership",
                  "--out", str(pack), home=tmp_path)
    assert export.returncode == 0, export.stderr
    reader = PdfReader(pack)
    assert len(reader.pages) > 5
    first = reader.pages[0].extract_text()
    assert "South Cambridgeshire" in first or "South Cambs" in first

    missing = _run(frozen, "--db", str(tmp_path / "nowhere" / "x.sqlite"), "info", home=tmp_path)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
