"""Store attached files inside the data folder under a content hash; never outside it.

A database shared on a server also keeps each file's bytes in ``attachment_content``, so every
officer's copy can read them; there the files folder is only a local cache, refilled from the
database when a file is missing.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from cspdesk import clock
from cspdesk.db.engine import Database
from cspdesk.errors import UserError
from cspdesk.models import Attachment, AttachmentContent

MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class AttachmentRow:
    id: int
    sha256: str
    original_name: str
    size: int
    media_type: str | None


def attachments_dir(db: Database) -> Path:
    return db.files_dir / "attachments"


def stored_path(db: Database, sha256: str) -> Path:
    """Where the content with this hash lives (two-level fan-out, no user-given names)."""
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise UserError("That attachment reference is not valid.")
    return attachments_dir(db) / sha256[:2] / sha256


#: names Windows keeps for devices; an attachment saved out under one of them would fail
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                    *(f"LPT{i}" for i in range(1, 10))}
NAME_LIMIT = 255


def safe_name(name: str) -> str:
    """The original file name as kept in the database: its last part only (no folders, drive
    or ``..``), without control characters, at most 255 characters with the extension kept,
    never a Windows device name. It is only ever metadata; files are stored by hash."""
    last = re.split(r"[\\/]", name or "")[-1]
    last = "".join(c for c in last if c.isprintable()).strip().strip(".")
    last = re.sub(r"^[A-Za-z]:", "", last).strip()
    if not last:
        return "attachment"
    stem, dot, ext = last.rpartition(".")
    if not dot or len(ext) > 16:
        stem, ext = last, ""
    if stem.split(".")[0].upper() in WINDOWS_RESERVED:
        stem = "_" + stem
    ext = f".{ext}" if ext else ""
    return stem[:NAME_LIMIT - len(ext)] + ext


def _too_big(name: str, size: int, max_bytes: int) -> UserError:
    return UserError(
        f"{name} is {size / 1_048_576:.1f} MB; the limit is {max_bytes / 1_048_576:.0f} MB. "
        "Compress or split it and attach it again.")


def _inside(db: Database, target: Path) -> Path:
    """Refuse any target outside the attachments folder (defence in depth)."""
    root = attachments_dir(db).resolve()
    if not target.resolve().is_relative_to(root):
        raise UserError("That attachment cannot be stored outside the data folder.")
    return target


def _record(db: Database, sha: str, name: str, size: int) -> AttachmentRow:
    media = mimetypes.guess_type(name)[0]
    with db.session() as s:
        if not db.is_sqlite and s.get(AttachmentContent, sha) is None:
            s.add(AttachmentContent(sha256=sha, data=stored_path(db, sha).read_bytes()))
        row = Attachment(sha256=sha, original_name=name, size=size, media_type=media,
                         added_at=clock.now())
        s.add(row)
        s.flush()
        return AttachmentRow(row.id, sha, name, size, media)


def store_file(db: Database, source: Path, *, max_bytes: int = MAX_BYTES,
               original_name: str | None = None) -> AttachmentRow:
    """Copy ``source`` into the data folder (deduplicated by hash) and record it.

    ``original_name`` (default: the file's own name) is kept as metadata after ``safe_name``;
    above ``max_bytes`` nothing is stored and the user is told the limit.
    """
    source = Path(source)
    name = safe_name(original_name if original_name is not None else source.name)
    if not source.is_file():
        raise UserError(f"{name} cannot be found. Check the file and try again.")
    size = source.stat().st_size
    if size > max_bytes:
        raise _too_big(name, size, max_bytes)
    digest = hashlib.sha256()
    read = 0
    with source.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            read += len(chunk)
            if read > max_bytes:  # the file grew after it was measured
                raise _too_big(name, read, max_bytes)
            digest.update(chunk)
    sha = digest.hexdigest()
    target = _inside(db, stored_path(db, sha))
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".part")
        try:
            shutil.copyfile(source, tmp)
            tmp.replace(target)
        finally:
            tmp.unlink(missing_ok=True)
    return _record(db, sha, name, read)


def store_bytes(db: Database, data: bytes, original_name: str, *,
                max_bytes: int = MAX_BYTES) -> AttachmentRow:
    """Store content that did not come from a file of its own (an e-mail attachment, a zip
    member) whose name cannot be trusted; the same rules as ``store_file``."""
    name = safe_name(original_name)
    if len(data) > max_bytes:
        raise _too_big(name, len(data), max_bytes)
    sha = hashlib.sha256(data).hexdigest()
    target = _inside(db, stored_path(db, sha))
    if not target.exists():
        _write(target, data)
    return _record(db, sha, name, len(data))


def attachment_path(db: Database, attachment_id: int) -> Path:
    """The stored file of an attachment; UserError if it has gone missing."""
    with db.session() as s:
        row = s.get(Attachment, attachment_id)
        if row is None:
            raise UserError("That attachment no longer exists.")
        path = stored_path(db, row.sha256)
        if path.exists():
            return path
        content = s.get(AttachmentContent, row.sha256)
        if content is None:
            raise UserError(
                f"The stored copy of {row.original_name} is missing from {attachments_dir(db)}. "
                "Attach the file again.")
        _write(_inside(db, path), content.data)  # another officer's file: cache it here
        return path


def _write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".part")
    try:
        tmp.write_bytes(data)
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
