"""Papers on agenda items: attached PDFs, converted Word/ODT, written in the app, or generated."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
from sqlalchemy import func, select

from cspdesk import clock
from cspdesk.db.engine import Database
from cspdesk.errors import ConflictError, UserError, ValidationError
from cspdesk.models import AgendaItem
from cspdesk.models.paper import Paper, PaperSource
from cspdesk.services import papers as registry
from cspdesk.services.attachments import attachment_path, store_file

WORD_SUFFIXES = {".doc", ".docx", ".odt", ".rtf"}


@dataclass(frozen=True)
class PaperRow:
    id: int
    version: int
    agenda_item_id: int
    position: int
    title: str
    source: str
    attachment_id: int | None
    original_name: str | None
    generated_key: str | None
    received_at: dt.datetime | None

    @property
    def source_label(self) -> str:
        if self.source == PaperSource.GENERATED.value:
            label = registry.providers().get(self.generated_key or "", (None,))[0]
            return f"Generated: {label or self.generated_key}"
        return {"attached": "Attached PDF", "converted": "Converted from Word/ODT",
                "written": "Written in cspdesk"}.get(self.source, self.source)


@dataclass
class WrittenPaper:
    """The standard cover paper: To / From / Date / Title, 1 Purpose, 2 Recommendation(s),
    3 Background, further sections, contact officer."""

    title: str
    to: str = ""
    from_: str = ""
    date: dt.date | None = None
    purpose: str = ""
    recommendations: str = ""
    background: str = ""
    sections: list[tuple[str, str]] = field(default_factory=list)
    source_documents: str = ""
    contact_officer: str = ""


def _row(p: Paper) -> PaperRow:
    name = p.original.original_name if p.original else (
        p.attachment.original_name if p.attachment else None)
    return PaperRow(p.id, p.version, p.agenda_item_id, p.position, p.title, p.source,
                    p.attachment_id, name, p.generated_key, p.received_at)


def list_papers(db: Database, item_id: int) -> list[PaperRow]:
    """The papers of an agenda item, in pack order."""
    with db.session() as s:
        return [_row(p) for p in s.scalars(select(Paper).where(Paper.agenda_item_id == item_id)
                                           .order_by(Paper.position, Paper.id))]


def check_pdf(path: Path, name: str | None = None) -> int:
    """Page count of a readable PDF; UserError for a damaged or password-protected file."""
    label = name or Path(path).name
    try:
        with pikepdf.open(path) as pdf:
            count = len(pdf.pages)
    except pikepdf.PasswordError:
        raise UserError(f"{label} is protected by a password; save an unprotected copy and "
                        "attach that.") from None
    except (pikepdf.PdfError, OSError, ValueError):
        raise UserError(f"{label} is not a readable PDF; save it again as PDF and attach "
                        "it again.") from None
    if count == 0:
        raise UserError(f"{label} has no pages; attach the complete document.")
    return count


def soffice() -> str | None:
    """The LibreOffice command, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(source: Path, out_dir: Path, timeout: int = 120) -> Path:
    """Convert a Word/ODT document with LibreOffice in headless mode."""
    exe = soffice()
    if exe is None:
        raise UserError(f"{source.name} is a Word/ODT document and LibreOffice is not installed "
                        "to convert it; save it as PDF in Word and attach the PDF instead.")
    with tempfile.TemporaryDirectory(prefix="cspdesk-lo-") as profile:
        try:
            subprocess.run([exe, f"-env:UserInstallation=file://{profile}", "--headless",
                            "--convert-to", "pdf", "--outdir", str(out_dir), str(source)],
                           check=True, capture_output=True, timeout=timeout)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError):
            raise UserError(f"LibreOffice could not convert {source.name}; save it as PDF in "
                            "Word and attach the PDF instead.") from None
    out = out_dir / (source.stem + ".pdf")
    if not out.exists():
        raise UserError(f"LibreOffice did not produce a PDF from {source.name}; save it as PDF "
                        "in Word and attach the PDF instead.")
    return out


def _next_position(s, item_id: int) -> int:
    return int(s.scalar(select(func.coalesce(func.max(Paper.position) + 1, 0))
                        .where(Paper.agenda_item_id == item_id)) or 0)


def _item(s, item_id: int) -> AgendaItem:
    item = s.get(AgendaItem, item_id)
    if item is None:
        raise UserError("That agenda item no longer exists; press F5 to refresh.")
    return item


def attach_file(db: Database, item_id: int, path: Path, title: str | None = None) -> PaperRow:
    """Attach a PDF, or a Word/ODT document converted to PDF, to an agenda item."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise UserError(f"{path.name} cannot be found; check the file and try again.")
    original_id = None
    if suffix in WORD_SUFFIXES:
        original = store_file(db, path)
        with tempfile.TemporaryDirectory(prefix="cspdesk-convert-") as tmp:
            pdf = convert_to_pdf(path, Path(tmp))
            check_pdf(pdf, path.name)
            stored = store_file(db, pdf)
        original_id, source = original.id, PaperSource.CONVERTED
    elif suffix == ".pdf":
        check_pdf(path)
        stored = store_file(db, path)
        source = PaperSource.ATTACHED
    else:
        raise UserError(f"{path.name} is not a PDF or a Word/ODT document; attach a PDF.")
    with db.session() as s:
        _item(s, item_id)
        paper = Paper(agenda_item_id=item_id, position=_next_position(s, item_id),
                      title=(title or path.stem).strip()[:300] or path.stem, source=source.value,
                      attachment_id=stored.id, original_attachment_id=original_id,
                      received_at=clock.now())
        s.add(paper)
        s.flush()
        s.refresh(paper)
        return _row(paper)


def choose_generated(db: Database, item_id: int, key: str, title: str | None = None) -> PaperRow:
    """Use a generated paper (minutes, action log, finance report, ISA register, ...)."""
    known = registry.providers()
    if key not in known:
        raise ValidationError(f"No area offers a '{key}' paper yet; choose another paper.",
                              field="generated_key")
    with db.session() as s:
        _item(s, item_id)
        paper = Paper(agenda_item_id=item_id, position=_next_position(s, item_id),
                      title=(title or known[key][0]).strip(), source=PaperSource.GENERATED.value,
                      generated_key=key, received_at=clock.now())
        s.add(paper)
        s.flush()
        s.refresh(paper)
        return _row(paper)


def _validate_written(data: WrittenPaper) -> None:
    if not data.title.strip():
        raise ValidationError("Give the paper a title.", field="title")
    if not data.purpose.strip():
        raise ValidationError("Say what the paper is for in section 1, Purpose.", field="purpose")
    if not data.recommendations.strip():
        raise ValidationError("Write the recommendation(s) in section 2; they are repeated at "
                              "the end of the paper.", field="recommendations")


def save_written(db: Database, item_id: int, data: WrittenPaper, *, paper_id: int | None = None,
                 version: int | None = None) -> PaperRow:
    """Create or update a paper written on the standard cover template."""
    _validate_written(data)
    with db.session() as s:
        _item(s, item_id)
        if paper_id is None:
            paper = Paper(agenda_item_id=item_id, position=_next_position(s, item_id),
                          source=PaperSource.WRITTEN.value, title=data.title)
            s.add(paper)
        else:
            paper = s.get(Paper, paper_id)
            if paper is None:
                raise UserError("That paper no longer exists; press F5 to refresh.")
            if version is not None and paper.version != version:
                raise ConflictError("Someone else changed this paper since you opened it; "
                                    "open it again.")
        paper.title = data.title.strip()
        paper.to_text, paper.from_text = data.to.strip() or None, data.from_.strip() or None
        paper.paper_date = data.date
        paper.purpose, paper.recommendations = data.purpose.strip(), data.recommendations.strip()
        paper.background = data.background.strip() or None
        paper.sections_json = json.dumps([[h, b] for h, b in data.sections if h or b])
        paper.source_documents = data.source_documents.strip() or None
        paper.contact_officer = data.contact_officer.strip() or None
        paper.received_at = clock.now()
        s.flush()
        s.refresh(paper)
        return _row(paper)


def written_paper(db: Database, paper_id: int) -> WrittenPaper:
    """The saved content of a written paper."""
    with db.session() as s:
        p = s.get(Paper, paper_id)
        if p is None or p.source != PaperSource.WRITTEN.value:
            raise UserError("That paper is not one written in cspdesk.")
        sections = [(h, b) for h, b in json.loads(p.sections_json or "[]")]
        return WrittenPaper(p.title, p.to_text or "", p.from_text or "", p.paper_date,
                            p.purpose or "", p.recommendations or "", p.background or "",
                            sections, p.source_documents or "", p.contact_officer or "")


def remove_paper(db: Database, paper_id: int) -> dict:
    """Remove a paper from its item; returns what ``restore_paper`` needs to undo it."""
    with db.session() as s:
        p = s.get(Paper, paper_id)
        if p is None:
            raise UserError("That paper no longer exists; press F5 to refresh.")
        snap = {c.key: getattr(p, c.key) for c in Paper.__table__.columns
                if c.key not in ("id", "version")}
        s.delete(p)
        return snap


def restore_paper(db: Database, snap: dict) -> int:
    """Undo ``remove_paper``."""
    with db.session() as s:
        paper = Paper(**snap)
        s.add(paper)
        s.flush()
        return paper.id


def paper_pdf(db: Database, paper_id: int, out_dir: Path, board: str = "") -> Path:
    """The PDF of any paper: the stored file, the rendered written paper, or the generated one."""
    with db.session() as s:
        p = s.get(Paper, paper_id)
        if p is None:
            raise UserError("That paper no longer exists; press F5 to refresh.")
        source, attachment_id, key = p.source, p.attachment_id, p.generated_key
        meeting_id = p.item.meeting_id
        if not board:
            board = p.item.meeting.board.name
    if source in (PaperSource.ATTACHED.value, PaperSource.CONVERTED.value):
        assert attachment_id is not None
        return attachment_path(db, attachment_id)
    if source == PaperSource.WRITTEN.value:
        from cspdesk.reports.paper import build_paper

        out_dir.mkdir(parents=True, exist_ok=True)
        return build_paper(written_paper(db, paper_id), out_dir / f"paper-{paper_id}.pdf",
                           board=board)
    out_dir.mkdir(parents=True, exist_ok=True)
    try:
        return registry.generate(key or "", db, meeting_id, out_dir)
    except KeyError:
        raise UserError(f"The '{key}' paper is not available in this version of cspdesk; "
                        "choose another paper for the item.") from None
