"""Files kept inside the data folder under their content hash (original name kept as metadata)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from cspdesk.models.base import Base, Entity


class Attachment(Entity):
    __tablename__ = "attachment"
    __label_field__ = "original_name"

    sha256: Mapped[str] = mapped_column(String(64), index=True)
    original_name: Mapped[str] = mapped_column(String(300))
    size: Mapped[int]
    media_type: Mapped[str | None] = mapped_column(String(100))
    added_at: Mapped[dt.datetime] = mapped_column(DateTime)


class AttachmentContent(Base):
    """The bytes of an attached file, by hash, kept in a database shared on a server so every
    officer's copy of cspdesk can read it (an SQLite file keeps them as files beside it; the
    files folder of a server database is only a local cache)."""

    __tablename__ = "attachment_content"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
