"""Attachments: stored only inside the data folder under their content hash whatever their name;
the original name is kept (cleaned) as metadata; above the size limit nothing is stored."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from cspdesk.db.engine import Database
from cspdesk.errors import UserError
from cspdesk.models import Attachment
from cspdesk.services import attachments

HOSTILE_NAMES = [
    "../../etc/passwd", "..\\..\\Windows\\win.ini", "/etc/shadow", "C:\\evil.exe", "C:evil.pdf",
    "a\x00b.pdf", "report\r\n.pdf", "CON", "nul.txt", "LPT1.doc", "com9.tar.gz", "..", ".",
    "", "x" * 5000 + ".pdf", "名前.pdf", "\u202egnp.exe", "minutes/../../../../tmp/x.pdf",
]


def files_outside(root: Path, before: set[Path]) -> set[Path]:
    """Files that appeared anywhere under ``root`` outside the attachments folder."""
    now = {p for p in root.rglob("*") if p.is_file()}
    return {p for p in now - before if "attachments" not in p.parts}


def attachment_count(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count(Attachment.id))) or 0


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_names_stay_metadata_and_content_stays_inside(db: Database, tmp_path: Path,
                                                              name: str) -> None:
    before = {p for p in tmp_path.rglob("*") if p.is_file()}
    data = f"content of {name!r}".encode()
    row = attachments.store_bytes(db, data, name)
    stored = attachments.attachment_path(db, row.id)
    assert stored.resolve().is_relative_to(attachments.attachments_dir(db).resolve())
    assert stored.name == hashlib.sha256(data).hexdigest()
    assert stored.read_bytes() == data
    assert files_outside(tmp_path, before) == set()
    kept = row.original_name
    assert kept and len(kept) <= 255
    assert not any(c in kept for c in "/\\\x00\r\n") and kept not in (".", "..")
    assert kept.split(".")[0].upper() not in attachments.WINDOWS_RESERVED
    assert ":" not in kept
    if name.endswith(".pdf"):
        assert kept.endswith(".pdf")  # the extension survives trimming


def test_store_file_keeps_the_given_original_name_as_metadata(db: Database,
                                                              tmp_path: Path) -> None:
    source = tmp_path / "upload.bin"
    source.write_bytes(b"%PDF-1.4 minutes")
    row = attachments.store_file(db, source, original_name="../../../home/jo/Minutes Feb.pdf")
    assert row.original_name == "Minutes Feb.pdf"
    assert row.media_type == "application/pdf"
    assert attachments.attachment_path(db, row.id).parent.parent == attachments.attachments_dir(db)


def test_same_content_is_stored_once(db: Database) -> None:
    first = attachments.store_bytes(db, b"same", "a.pdf")
    second = attachments.store_bytes(db, b"same", "../b.pdf")
    assert attachments.attachment_path(db, first.id) == attachments.attachment_path(db, second.id)
    assert (first.original_name, second.original_name) == ("a.pdf", "b.pdf")


def test_file_above_the_limit_gets_a_clear_message_and_nothing_is_stored(
        db: Database, tmp_path: Path) -> None:
    big = tmp_path / "huge scan.pdf"
    big.write_bytes(b"x" * (2 * 1_048_576 + 1))
    before = attachment_count(db)
    with pytest.raises(UserError) as caught:
        attachments.store_file(db, big, max_bytes=2 * 1_048_576)
    assert caught.value.message.startswith("huge scan.pdf is 2.0 MB; the limit is 2 MB.")
    with pytest.raises(UserError, match="the limit is 2 MB"):
        attachments.store_bytes(db, b"x" * (2 * 1_048_576 + 1), "../big.pdf",
                                max_bytes=2 * 1_048_576)
    assert attachment_count(db) == before
    folder = attachments.attachments_dir(db)
    assert not folder.exists() or not any(p.is_file() for p in folder.rglob("*"))


def test_a_forged_hash_reference_is_refused(db: Database) -> None:
    with pytest.raises(UserError, match="not valid"):
        attachments.stored_path(db, "../" * 20 + "etc/passwd")


@settings(max_examples=80, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(max_size=400))
def test_any_name_gives_a_plain_file_name(name: str) -> None:
    kept = attachments.safe_name(name)
    assert 0 < len(kept) <= 255
    assert Path(kept).name == kept and kept not in (".", "..")
    assert not any(c in kept for c in "/\\\x00") and all(c.isprintable() for c in kept)
