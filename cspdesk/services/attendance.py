"""Attendance: pre-filled from membership, substitutes and guests, and the live quorum check."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from cspdesk.db.engine import Database
from cspdesk.errors import UserError, ValidationError
from cspdesk.models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    Membership,
    MembershipCategory,
    Person,
)

STATUS_LABELS = {
    "present": "Present", "apologies": "Apologies", "substitute": "Substitute",
    "absent": "Absent", "in_attendance": "In attendance",
}


@dataclass(frozen=True)
class AttendanceRow:
    id: int
    version: int
    person_id: int
    name: str
    organisation: str | None
    status: str
    substitute_for_id: int | None
    substitute_for: str | None
    guest: bool
    category: str | None  # membership category on the board, None for guests
    voting: bool
    role: str | None
    note: str | None

    @property
    def status_label(self) -> str:
        text = STATUS_LABELS.get(self.status, self.status)
        if self.status == "substitute" and self.substitute_for:
            text += f" for {self.substitute_for}"
        return text

    @property
    def category_label(self) -> str:
        if self.guest or self.category is None:
            return "Guest"
        return MembershipCategory(self.category).label


@dataclass(frozen=True)
class Quorum:
    """The board's quorum rule applied to who is present."""

    required: int
    voting_present: int
    voting_total: int
    organisations: tuple[str, ...]
    met: bool
    text: str


def _memberships_on(s: Session, meeting: Meeting) -> dict[int, Membership]:
    out: dict[int, Membership] = {}
    rows = s.scalars(select(Membership).where(Membership.board_id == meeting.board_id)
                     .options(selectinload(Membership.person),
                              selectinload(Membership.organisation)))
    for m in rows:
        if m.start_date and m.start_date > meeting.date:
            continue
        if m.end_date and m.end_date < meeting.date:
            continue
        out[m.person_id] = m
    return out


def prefill_attendance(s: Session, meeting: Meeting) -> None:
    """Add every current member not yet listed (members absent until marked)."""
    listed = {a.person_id for a in meeting.attendance}
    for person_id, m in _memberships_on(s, meeting).items():
        if person_id in listed:
            continue
        status = (AttendanceStatus.ABSENT if m.category in ("board", "non_voting")
                  else AttendanceStatus.IN_ATTENDANCE)
        meeting.attendance.append(Attendance(person_id=person_id, status=status.value,
                                             guest=m.category == "guest"))


def _org_of(att: Attendance, m: Membership | None) -> str | None:
    if m is not None and m.organisation is not None:
        return m.organisation.name
    org = att.person.organisation
    return org.name if org else None


def list_attendance(db: Database, meeting_id: int) -> list[AttendanceRow]:
    """Everyone listed for the meeting: voting members first, then others, then guests."""
    with db.session() as s:
        meeting = s.get(Meeting, meeting_id)
        if meeting is None:
            raise UserError("That meeting no longer exists; press F5 to refresh.")
        members = _memberships_on(s, meeting)
        rows = []
        for a in meeting.attendance:
            m = members.get(a.person_id)
            category = None if a.guest else (m.category if m else None)
            rows.append(AttendanceRow(
                a.id, a.version, a.person_id, a.person.name, _org_of(a, m), a.status,
                a.substitute_for_id, a.substitute_for.name if a.substitute_for else None,
                a.guest, category, category == "board", m.role if m else None, a.note))
        order = {"board": 0, "non_voting": 1, "in_attendance": 2, None: 3, "guest": 3}
        rows.sort(key=lambda r: (order.get(r.category, 3), r.name.casefold()))
        return rows


def set_status(db: Database, attendance_id: int, status: str, *,
               substitute_for_id: int | None = None, note: str | None = None) -> AttendanceRow:
    """Mark someone present, apologies, absent, in attendance, or substituting for a member."""
    try:
        value = AttendanceStatus(status)
    except ValueError:
        raise ValidationError(f"'{status}' is not an attendance status.", field="status") from None
    with db.session() as s:
        att = s.get(Attendance, attendance_id)
        if att is None:
            raise UserError("That attendance line no longer exists; press F5 to refresh.")
        if value is AttendanceStatus.SUBSTITUTE:
            if substitute_for_id is None:
                raise ValidationError("Choose the member this person is substituting for.",
                                      field="substitute_for")
            if substitute_for_id == att.person_id:
                raise ValidationError("Someone cannot substitute for themselves.",
                                      field="substitute_for")
        att.status = value.value
        att.substitute_for_id = substitute_for_id if value is AttendanceStatus.SUBSTITUTE else None
        if note is not None:
            att.note = note.strip() or None
        meeting_id = att.meeting_id
    return next(r for r in list_attendance(db, meeting_id) if r.id == attendance_id)


def add_person(db: Database, meeting_id: int, person_id: int, *, status: str = "present",
               guest: bool = True, substitute_for_id: int | None = None) -> AttendanceRow:
    """Add a guest (or a substitute) to the attendance list."""
    with db.session() as s:
        meeting = s.get(Meeting, meeting_id)
        if meeting is None or s.get(Person, person_id) is None:
            raise UserError("That meeting or person no longer exists; press F5 to refresh.")
        if any(a.person_id == person_id for a in meeting.attendance):
            raise ValidationError("That person is already on the attendance list.", field="person")
        att = Attendance(person_id=person_id, status=AttendanceStatus(status).value, guest=guest,
                         substitute_for_id=substitute_for_id)
        meeting.attendance.append(att)
        s.flush()
        new_id = att.id
    return next(r for r in list_attendance(db, meeting_id) if r.id == new_id)


def remove(db: Database, attendance_id: int) -> None:
    """Take someone off the attendance list."""
    with db.session() as s:
        att = s.get(Attendance, attendance_id)
        if att is not None:
            s.delete(att)


def _required(board, voting_total: int) -> int:
    needed = board.quorum_min or 0
    if board.quorum_fraction:
        try:
            frac = Fraction(board.quorum_fraction.replace(" ", ""))
        except (ValueError, ZeroDivisionError):
            frac = Fraction(0)
        share = frac * voting_total
        needed = max(needed, int(share) + (1 if share.denominator != 1 else 0))
    return needed


def quorum(db: Database, meeting_id: int) -> Quorum:
    """Voting members present (a substitute votes for the member), one vote per organisation
    when the board's rules say so, against the board's minimum and fraction."""
    with db.session() as s:
        meeting = s.get(Meeting, meeting_id)
        if meeting is None:
            raise UserError("That meeting no longer exists; press F5 to refresh.")
        board = meeting.board
        members = _memberships_on(s, meeting)
        voters = {pid: m for pid, m in members.items() if m.category == "board"}
        votes: set[str] = set()
        for a in meeting.attendance:
            if a.status == AttendanceStatus.PRESENT.value and a.person_id in voters:
                m = voters[a.person_id]
            elif (a.status == AttendanceStatus.SUBSTITUTE.value
                  and a.substitute_for_id in voters):
                m = voters[a.substitute_for_id]
            else:
                continue
            org = (m.organisation.name if m.organisation else
                   (m.person.organisation.name if m.person.organisation else None))
            key = org if (board.one_vote_per_organisation and org) else f"person:{m.person_id}"
            votes.add(key)
        total_keys = set()
        for m in voters.values():
            org = (m.organisation.name if m.organisation else
                   (m.person.organisation.name if m.person.organisation else None))
            total_keys.add(org if (board.one_vote_per_organisation and org)
                           else f"person:{m.person_id}")
        total = len(total_keys)
        required = _required(board, total)
        present = len(votes)
        met = present >= required if required else present > 0
        unit = "organisations" if board.one_vote_per_organisation else "members"
        if not required:
            text = f"{present} of {total} voting {unit} present (no quorum rule set for the board)"
        else:
            verdict = "quorate" if met else f"not quorate: {required - present} more needed"
            text = f"{present} of {total} voting {unit} present; quorum {required} — {verdict}"
        orgs = tuple(sorted(k for k in votes if not k.startswith("person:")))
        return Quorum(required, present, total, orgs, met, text)


def attendance_summary(db: Database, meeting_id: int) -> dict[str, list[str]]:
    """Names for the minutes: Present / Apologies / In attendance (guests with them)."""
    out: dict[str, list[str]] = {"Present": [], "Apologies": [], "In attendance": []}
    for r in list_attendance(db, meeting_id):
        label = r.name + (f" ({r.organisation})" if r.organisation else "")
        if r.role == "chair" and r.status == "present":
            label += " – Chair"
        if r.status == "present" and r.category in ("board", "non_voting"):
            out["Present"].append(label)
        elif r.status == "substitute":
            out["Present"].append(f"{label} (for {r.substitute_for})")
        elif r.status == "apologies":
            out["Apologies"].append(label)
        elif r.status in ("present", "in_attendance"):
            out["In attendance"].append(label)
    return out




def fill_from_membership(db: Database, meeting_id: int) -> list[int]:
    """Add the board's current members who are not yet listed; returns the new line ids."""
    with db.session() as s:
        meeting = s.get(Meeting, meeting_id)
        if meeting is None:
            raise UserError("That meeting no longer exists; press F5 to refresh.")
        before = {a.id for a in meeting.attendance}
        prefill_attendance(s, meeting)
        s.flush()
        return [a.id for a in meeting.attendance if a.id not in before]
