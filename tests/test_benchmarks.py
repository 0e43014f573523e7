"""benchmarks/run.py at demo scale, so the benchmark script cannot rot (figures not judged)."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "benchmarks" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = module
    spec.loader.exec_module(module)
    return module


run = _load()
pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def demo_file(demo_db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(run, "WORK", tmp_path / "work")
    (tmp_path / "work").mkdir()
    demo_db.dispose()
    return tmp_path / "demo.sqlite"


def test_the_table_gives_each_figure_its_target_verdict_and_comparison() -> None:
    text = run.table([run.Figure("Fast thing", 12, "ms", 50, "typing 'x'"),
                      run.Figure("Slow thing", 2.5, "x", 1.5, "a / b")])
    lines = text.splitlines()
    assert any("Fast thing" in line and "12 ms" in line and "<= 50 ms" in line
               and line.rstrip().endswith("PASS") for line in lines)
    assert any("Slow thing" in line and "2.50 x" in line and line.rstrip().endswith("FAIL")
               for line in lines)
    assert "    a / b" in lines


@pytest.mark.qt_log_ignore("propagateSizeHints")  # offscreen platform, top-level windows shown
def test_in_app_figures_run_on_a_real_database(demo_file: Path, qtbot) -> None:
    shown, window = run.open_and_show(demo_file)
    qtbot.addWidget(window)
    assert [f.name for f in shown] == ["ISA register: time to first rows",
                                       "Action list: time to first rows",
                                       "Largest action plan: time to rows"]
    assert all(f.value > 0 and " 0 rows" not in f.comparison for f in shown)
    typed = run.filter_keystrokes(demo_file, "ely")
    assert typed.value > 0 and "slowest of 3 keystrokes" in typed.comparison
    assert run.finance_report(demo_file, None).value > 0
    imported = run.isa_import(demo_file, 25)
    assert imported.name == "ISA register import, 25 rows" and imported.value > 0
    assert run.peak_memory().value > 50


def test_cold_start_and_pack_ratio_run(demo_file: Path) -> None:
    if shutil.which("qpdf") is None:
        pytest.skip("qpdf is not installed")
    start, ready = run.cold_start(demo_file, runs=1)
    assert start.value > 0 and "bare PySide6 window" in start.comparison
    assert ready.name == "Cold start to ready (database open)" and ready.value > 0
    pack = run.pack_ratio((1,) * 10, repeat=1)
    assert pack.value > 0 and "10 pages of papers" in pack.comparison
