"""Hostile input for every importer (ISA register CSV/XLSX, owner update XLSX), with hypothesis:
random bytes, wrong encodings, huge cells, thousands of columns, formulas, mixed scripts, empty
files, a zip of junk named .xlsx. The importer either reads the file or refuses it with its own
one-sentence UserError, and a refused or failed import leaves the database as it was."""

from __future__ import annotations

import csv
import io
import itertools
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from cspdesk.db.engine import Database
from cspdesk.errors import UserError
from cspdesk.models import Organisation, Person
from cspdesk.models.actions import ActionUpdate
from cspdesk.models.isa import IsaParty, IsaSpoc
from cspdesk.progress import Cancelled, Progress
from cspdesk.services import action_updates_xlsx as updates_xlsx
from cspdesk.services import isa_import
from cspdesk.services.isa_cells import HEADINGS
from tests.services.isa_helpers import APPENDIX1, new_agreement

FUZZ = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])
_names = itertools.count()

#: text a spreadsheet user might paste: formulas, control characters, several scripts
HOSTILE = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["=1+2", "+SUM(A1)", "-2+3", "@cmd", "\tTab", "\rCR", "=HYPERLINK(\"x\")",
                     "Ольга Петрова", "李小龍", "محمد علي", "Zoë O’Brien – Manager", "🙂",
                     "\x00", "a\u202eb", "Yes", "NO", "1 Jan 2020", "31/02/2020", "j@x",
                     "jo@example.org", "Awaiting details", "Name - Role / Other - Role"]),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=8).map(lambda t: t * 500),
)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "latin-1",
                             "shift_jis", "broken-utf-8"])


def _path(folder: Path, suffix: str) -> Path:
    return folder / f"fuzz{next(_names)}{suffix}"


def _counts(db: Database) -> tuple[int, ...]:
    with db.session() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) or 0
                     for m in (Organisation, Person, IsaParty, IsaSpoc, ActionUpdate))


def _encode(text: str, encoding: str) -> bytes:
    if encoding == "broken-utf-8":
        raw = text.encode("utf-8")
        return raw[:len(raw) // 2] + b"\xc3\x28\xff\xfe" + raw[len(raw) // 2:]
    return text.encode(encoding, errors="replace")


def _isa_import(db: Database, path: Path) -> None:
    """Preview then apply, as the dialog does; any failure must be a UserError and leave the
    database unchanged."""
    before = _counts(db)
    try:
        preview = isa_import.parse(db, path, "CSP ISA")
    except UserError as exc:
        assert exc.message and "\n" not in exc.message.strip()
        assert _counts(db) == before
        return
    assert _counts(db) == before  # the preview writes nothing
    if preview.errors:
        with pytest.raises(UserError, match="nothing was imported"):
            isa_import.apply(db, preview)
        assert _counts(db) == before
        return
    try:
        isa_import.apply(db, preview)
    except UserError:
        assert _counts(db) == before


@pytest.fixture
def isa_db(db: Database, fixed_today) -> Database:  # type: ignore[no-untyped-def]
    new_agreement(db)
    return db


@FUZZ
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".csv", ".xlsx", ".tsv", ".txt"]))
def test_isa_import_random_bytes(isa_db: Database, tmp_path: Path, data: bytes,
                                 suffix: str) -> None:
    path = _path(tmp_path, suffix)
    path.write_bytes(data)
    _isa_import(isa_db, path)


@FUZZ
@given(rows=st.lists(st.lists(HOSTILE, min_size=0, max_size=8), max_size=6),
       encoding=ENCODINGS, delimiter=st.sampled_from([",", ";", "\t"]),
       with_header=st.booleans())
def test_isa_import_hostile_csv(isa_db: Database, tmp_path: Path, rows: list[list[str]],
                                encoding: str, delimiter: str, with_header: bool) -> None:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    if with_header:
        writer.writerow(HEADINGS.values())
    writer.writerows(rows)
    path = _path(tmp_path, ".csv")
    path.write_bytes(_encode(out.getvalue(), encoding))
    _isa_import(isa_db, path)


@FUZZ
@given(rows=st.lists(st.lists(st.one_of(HOSTILE, st.integers(), st.floats(), st.none(),
                                        st.booleans(), st.dates()), max_size=8), max_size=6),
       with_header=st.booleans())
def test_isa_import_hostile_xlsx(isa_db: Database, tmp_path: Path, rows: list[list[object]],
                                 with_header: bool) -> None:
    book = Workbook()
    sheet = book.active
    if with_header:
        sheet.append(list(HEADINGS.values()))
    for row in rows:
        sheet.append([_xlsx_safe_value(v) for v in row])
    path = _path(tmp_path, ".xlsx")
    book.save(path)
    _isa_import(isa_db, path)


def _xlsx_safe_value(value: object) -> object:
    """openpyxl refuses control characters and cells over 32,767 characters when writing;
    a hostile file gets past Excel with neither, so keep what openpyxl can write."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", value)[:32_767]
    return value


@FUZZ
@given(members=st.dictionaries(
    st.sampled_from(["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml",
                     "_rels/.rels", "xl/_rels/workbook.xml.rels", "junk.bin"]),
    st.binary(max_size=400), max_size=6), truncate=st.integers(0, 4000))
def test_isa_import_xlsx_that_is_a_zip_of_junk(isa_db: Database, tmp_path: Path,
                                               members: dict[str, bytes], truncate: int) -> None:
    path = _path(tmp_path, ".xlsx")
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    _isa_import(isa_db, path)
    real = _path(tmp_path, ".xlsx")
    _real_register_xlsx(real)
    real.write_bytes(real.read_bytes()[:truncate])
    _isa_import(isa_db, real)


def _real_register_xlsx(path: Path) -> Path:
    book = Workbook()
    with APPENDIX1.open(encoding="utf-8") as handle:
        for row in csv.reader(handle):
            book.active.append(row)
    book.save(path)
    return path


def test_isa_import_thousands_of_columns_and_huge_cells(isa_db: Database, tmp_path: Path) -> None:
    wide = list(HEADINGS.values()) + [f"Extra {i}" for i in range(3000)]
    huge = "Ω" * 200_000
    path = _path(tmp_path, ".csv")
    path.write_text(",".join(wide) + "\n" + ",".join(["Org A", "Yes", huge] + ["x"] * 3003)
                    + "\n", encoding="utf-8")
    _isa_import(isa_db, path)
    book = Workbook()
    book.active.append(wide)
    book.active.append(["Org B", "Yes", huge[:32_767]] + ["=1+1"] * 3003)
    xlsx = _path(tmp_path, ".xlsx")
    book.save(xlsx)
    _isa_import(isa_db, xlsx)


@pytest.mark.parametrize(("content", "says"), [
    (b"", "No heading row"), (b"\xef\xbb\xbf", "No heading row"), (b"\n\n\n", "No heading row"),
    (b"\x00" * 50, "not a text"), (b"\x81\x8d\x8f\x90", "not a text"),
    (b"Organisation,Lead Signatory Name & Role,SPOC\n\"" + b"x" * 200_000, "cannot be read as CSV"),
])
def test_isa_import_empty_binary_and_broken_files_say_why(isa_db: Database, tmp_path: Path,
                                                          content: bytes, says: str) -> None:
    path = _path(tmp_path, ".csv")
    path.write_bytes(content)
    with pytest.raises(UserError, match=says):
        isa_import.parse(isa_db, path, "CSP ISA")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "cp1252", "utf-8-sig"])
def test_isa_import_reads_the_register_in_other_encodings(isa_db: Database, tmp_path: Path,
                                                          encoding: str) -> None:
    text = APPENDIX1.read_text(encoding="utf-8").replace("Jo Brooks", "Zoë Brooks")
    path = _path(tmp_path, ".csv")
    if encoding == "utf-16-le":  # Excel's "Unicode text": UTF-16 with BOM and tabs
        rows = list(csv.reader(io.StringIO(text)))
        out = io.StringIO()
        csv.writer(out, delimiter="\t").writerows(rows)
        path.write_bytes(b"\xff\xfe" + out.getvalue().encode("utf-16-le"))
    else:
        path.write_bytes(text.encode(encoding, errors="replace"))
    preview = isa_import.parse(isa_db, path, "CSP ISA")
    assert not preview.errors and len(preview.rows) == 40
    spocs = " ".join(r.spoc_text for r in preview.rows)
    assert "Zoë Brooks" in spocs


def test_isa_apply_failing_half_way_rolls_back(isa_db: Database, tmp_path: Path) -> None:
    preview = isa_import.parse(isa_db, APPENDIX1, "CSP ISA")
    before = _counts(isa_db)

    class StopAtTen(Progress):
        def update(self, done: int, total: int, text: str = "") -> None:
            if done == 10:
                raise Cancelled()

    with pytest.raises(Cancelled):
        isa_import.apply(isa_db, preview, StopAtTen())
    assert _counts(isa_db) == before


# ---------------------------------------------------------------- owner update template

@pytest.fixture
def update_template(demo_db: Database, fixed_today, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    return updates_xlsx.export_template(demo_db, "Kathryn Hawkes", tmp_path / "kh.xlsx")


def _update_import(db: Database, path: Path) -> None:
    before = _counts(db)
    try:
        preview = updates_xlsx.parse(db, path)
    except UserError as exc:
        assert exc.message
        assert _counts(db) == before
        return
    assert _counts(db) == before
    try:
        updates_xlsx.apply(db, preview)
    except UserError:
        assert _counts(db) == before
        return
    assert not preview.errors


@FUZZ
@given(data=st.binary(max_size=3000))
def test_update_import_random_bytes(demo_db: Database, fixed_today, tmp_path: Path,
                                    data: bytes) -> None:
    path = _path(tmp_path, ".xlsx")
    path.write_bytes(data)
    _update_import(demo_db, path)


UPDATE_CELL = st.one_of(HOSTILE.map(_xlsx_safe_value), st.integers(-10**30, 10**30), st.floats(),
                        st.none(), st.dates(), st.datetimes(), st.times(), st.booleans())


@FUZZ
@given(edits=st.lists(st.tuples(st.integers(2, 40), st.integers(1, 12), UPDATE_CELL),
                      max_size=12),
       extra_columns=st.integers(0, 50), truncate=st.none() | st.integers(0, 20_000))
def test_update_import_hostile_template(demo_db: Database, update_template: Path,
                                        tmp_path: Path, edits: list[tuple[int, int, object]],
                                        extra_columns: int, truncate: int | None) -> None:
    book = load_workbook(update_template)
    sheet = book["Updates"]
    for row, col, value in edits:
        sheet.cell(row, col).value = value
    for col in range(extra_columns):
        sheet.cell(1, len(updates_xlsx.HEADERS) + 1 + col).value = f"=X{col}"
    path = _path(tmp_path, ".xlsx")
    book.save(path)
    if truncate is not None:
        path.write_bytes(path.read_bytes()[:truncate])
    _update_import(demo_db, path)


def test_update_apply_failing_half_way_rolls_back(demo_db: Database, update_template: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    book = load_workbook(update_template)
    sheet = book["Updates"]
    for row in range(2, 6):
        sheet.cell(row, 8).value = f"Update {row}"
    book.save(update_template)
    preview = updates_xlsx.parse(demo_db, update_template)
    assert len(preview.new_lines) == 4
    before = _counts(demo_db)
    made: list[object] = []
    real = updates_xlsx.ActionUpdate

    def third_fails(**kwargs: object) -> object:
        made.append(kwargs)
        if len(made) == 3:
            raise OSError(28, "No space left on device")
        return real(**kwargs)

    monkeypatch.setattr(updates_xlsx, "ActionUpdate", third_fails)
    with pytest.raises(OSError):
        updates_xlsx.apply(demo_db, preview)
    assert _counts(demo_db) == before


def test_update_import_plan_id_of_infinity_is_a_row_error(demo_db: Database,
                                                          update_template: Path,
                                                          tmp_path: Path) -> None:
    """A hand-made file can hold numbers no spreadsheet would write (1e400 reads as inf)."""
    book = load_workbook(update_template)
    sheet = book["Updates"]
    sheet.cell(2, 1).value = 12345.25
    sheet.cell(2, 8).value = "An update"
    book.save(update_template)
    path = _path(tmp_path, ".xlsx")
    with zipfile.ZipFile(update_template) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                data = data.replace(b"<v>12345.25</v>", b"<v>1e400</v>")
            dst.writestr(item, data)
    preview = updates_xlsx.parse(demo_db, path)
    assert any(e.startswith("Row 2: ref") for e in preview.errors)
