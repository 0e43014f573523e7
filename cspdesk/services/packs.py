"""The board pack: gather the agenda and resolve every paper to a PDF, and the pre-flight list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from sqlalchemy import select

from cspdesk import clock
from cspdesk.dates import format_date, format_time
from cspdesk.db.engine import Database
from cspdesk.errors import UserError
from cspdesk.models import AgendaItem, Board, Meeting, Publication
from cspdesk.models.paper import Paper
from cspdesk.progress import NULL_PROGRESS, Progress
from cspdesk.reports.pack import PackData, PackItem, PackPaper
from cspdesk.services.agenda import build_agenda
from cspdesk.services.deadlines import meeting_deadline
from cspdesk.services.meeting_papers import check_pdf, paper_pdf


@dataclass(frozen=True)
class Problem:
    """One pre-flight finding; ``blocking`` problems stop the export."""

    text: str
    blocking: bool = False
    item_number: str | None = None


def _withheld(item_publication: str, public: bool) -> bool:
    return public and item_publication in (Publication.EXEMPT.value,
                                           Publication.ON_APPROVAL.value)


def _meeting(s, meeting_id: int) -> Meeting:
    meeting = s.get(Meeting, meeting_id)
    if meeting is None:
        raise UserError("That meeting no longer exists; press F5 to refresh.")
    return meeting


def find_meeting(db: Database, day: dt.date, partnership: str | None = None) -> int:
    """The id of the meeting on ``day`` (of the named partnership when several boards met)."""
    from cspdesk.models import Partnership
    from cspdesk.services.people import match_key

    with db.session() as s:
        rows = s.execute(select(Meeting.id, Partnership.name, Partnership.short_name, Board.name)
                         .join(Board, Meeting.board_id == Board.id).join(Partnership)
                         .where(Meeting.date == day)).all()
    if partnership:
        key = match_key(partnership)
        rows = [r for r in rows if key in (match_key(r[1]), match_key(r[2] or ""),
                                           match_key(r[3]))
                or key in match_key(r[1])]
    if not rows:
        raise UserError(f"No meeting on {format_date(day)}"
                        + (f" for {partnership}" if partnership else "")
                        + "; check the date with the meetings list.")
    if len(rows) > 1:
        names = ", ".join(sorted({r[1] for r in rows}))
        raise UserError(f"Several boards met on {format_date(day)} ({names}); "
                        "add --partnership NAME.")
    return rows[0][0]


def board_name_on(board: Board, day: dt.date) -> str:
    """The board's name on ``day`` (CDRP became CSP: the name history says until when)."""
    for former in sorted(board.former_names, key=lambda f: f.until or dt.date.max):
        if former.until and day < former.until:
            return former.name
    return board.name


def pack_data(db: Database, meeting_id: int, public: bool, work_dir: Path,
              progress: Progress | None = None) -> PackData:
    """Everything the pack builder needs: agenda rows and each paper resolved to a PDF.

    Withheld papers (public pack) keep only their page count, so page numbers match."""
    progress = progress or NULL_PROGRESS
    with db.session() as s:
        meeting = _meeting(s, meeting_id)
        board = meeting.board
        agenda = build_agenda(s, meeting)
        papers: dict[int, list[tuple[int, str]]] = {}
        for p in s.scalars(select(Paper).join(AgendaItem).where(AgendaItem.meeting_id == meeting_id)
                           .order_by(Paper.position, Paper.id)):
            papers.setdefault(p.agenda_item_id, []).append((p.id, p.title))
        time_text = format_time(meeting.start) + (f"–{format_time(meeting.end)}"
                                                  if meeting.end else "")
        contact = ", ".join(x for x in (board.contact_name, board.contact_email,
                                        board.contact_phone) if x)
        name = board_name_on(board, meeting.date)
        title = meeting.title or f"Meeting of the {name}"
        head = (name, title, meeting.date, time_text,
                meeting.venue or ("Online" if meeting.online else ""),
                f"Members of the {name}", contact, meeting.visitor_notes)
    if not agenda.rows:
        raise UserError("The agenda has no items yet; add items before building the pack.")
    total = sum(len(v) for v in papers.values())
    done = 0
    items = []
    for row in agenda.rows:
        resolved = []
        for paper_id, paper_title in papers.get(row.id, []):
            progress.check()
            progress.update(done, total, f"Preparing {paper_title}")
            pdf = paper_pdf(db, paper_id, work_dir / "papers", board=head[0])
            pages = check_pdf(pdf, paper_title)
            withheld = _withheld(row.publication, public)
            resolved.append(PackPaper(paper_title, None if withheld else pdf, pages, withheld))
            done += 1
        items.append(PackItem(row.number, row.title, row.leads, row.purpose, row.time_text,
                              row.group_heading, row.kind, row.level, row.marking,
                              row.publication, row.exempt_paragraphs, tuple(resolved)))
    return PackData(head[0], head[1], head[2], head[3], head[4], head[5], head[6], tuple(items),
                    public, head[7], clock.today())


def preflight(db: Database, meeting_id: int, work_dir: Path | None = None) -> list[Problem]:
    """What to check before export. Only an unreadable paper blocks the export."""
    problems: list[Problem] = []
    deadline = meeting_deadline(db, meeting_id)
    with db.session() as s:
        meeting = _meeting(s, meeting_id)
        agenda = build_agenda(s, meeting)
        papers = [(p.id, p.title, p.agenda_item_id, p.source) for p in s.scalars(
            select(Paper).join(AgendaItem).where(AgendaItem.meeting_id == meeting_id))]
    if not agenda.rows:
        problems.append(Problem("The agenda has no items yet.", blocking=True))
    for text in deadline.missing:
        problems.append(Problem(f"{text}: the paper is missing."))
    for row in agenda.rows:
        if not row.leads and row.level == 0:
            problems.append(Problem(f"Item {row.number}: {row.title} has no lead.",
                                    item_number=row.number))
        if row.publication == Publication.EXEMPT.value and not row.exempt_paragraphs:
            problems.append(Problem(f"Item {row.number}: {row.title} is exempt but has no "
                                    "Schedule 12A paragraph.", item_number=row.number))
    if agenda.warning:
        problems.append(Problem(agenda.warning))
    for text in deadline.late:
        problems.append(Problem(f"{text}, after the deadline of {format_date(deadline.deadline)}."))
    numbers = {r.id: r.number for r in agenda.rows}
    work = work_dir or Path(db.files_dir) / "preflight"
    for paper_id, title, item_id, source in papers:
        if source == "generated":
            continue
        try:
            path = paper_pdf(db, paper_id, work)
            check_pdf(path, title)
        except (UserError, pikepdf.PdfError) as exc:
            problems.append(Problem(f"Item {numbers.get(item_id, '?')}: {exc}", blocking=True,
                                    item_number=numbers.get(item_id)))
    return problems


def export_pack(db: Database, meeting_id: int, out: Path, *, public: bool,
                progress: Progress | None = None) -> Path:
    """Gather and build the pack into ``out``; an unreadable paper raises UserError
    (run ``preflight`` first to show the other problems)."""
    import tempfile

    from cspdesk.reports.pack import build_pack

    progress = progress or NULL_PROGRESS
    with tempfile.TemporaryDirectory(prefix="cspdesk-pack-") as tmp:
        data = pack_data(db, meeting_id, public, Path(tmp), progress)
        return build_pack(data, Path(out), progress)
