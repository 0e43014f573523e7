"""Store attached files inside the data folder under a content hash; never outside it."""

from __future__ import annotations

import hashlib
import mimetypes
import shutil
from dataclasses import dataclass
from pathlib import Path

from cspdesk import clock
from cspdesk.db.engine import Database
from cspdesk.errors import UserError
from cspdesk.models import Attachment

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


def store_file(db: Database, source: Path, *, max_bytes: int = MAX_BYTES) -> AttachmentRow:
    """Copy ``source`` into the data folder (deduplicated by hash) and record it."""
    source = Path(source)
    if not source.is_file():
        raise UserError(f"{source.name} cannot be found. Check the file and try again.")
    size = source.stat().st_size
    if size > max_bytes:
        raise UserError(
            f"{source.name} is {size / 1_048_576:.0f} MB; the limit is "
            f"{max_bytes / 1_048_576:.0f} MB. Compress or split it and attach it again.")
    digest = hashlib.sha256()
    with source.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    sha = digest.hexdigest()
    target = stored_path(db, sha)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".part")
        shutil.copyfile(source, tmp)
        tmp.replace(target)
    name = Path(source.name).name[:300] or "attachment"
    media = mimetypes.guess_type(name)[0]
    with db.session() as s:
        row = Attachment(sha256=sha, original_name=name, size=size, media_type=media,
                         added_at=clock.now())
        s.add(row)
        s.flush()
        return AttachmentRow(row.id, sha, name, size, media)


def attachment_path(db: Database, attachment_id: int) -> Path:
    """The stored file of an attachment; UserError if it has gone missing."""
    with db.session() as s:
        row = s.get(Attachment, attachment_id)
        if row is None:
            raise UserError("That attachment no longer exists.")
        path = stored_path(db, row.sha256)
        if not path.exists():
            raise UserError(
                f"The stored copy of {row.original_name} is missing from {attachments_dir(db)}. "
                "Attach the file again.")
        return path
