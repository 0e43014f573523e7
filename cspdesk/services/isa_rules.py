"""ISA rules from the agreement text: review dates, chase list, workflow tasks, SPOC emails.

* partner joins -> notify every SPOC (as soon as possible: due in 7 days);
* partner gives notice -> leaves at least one month later; notify every SPOC within 7 days;
  remind the leaver to destroy or delete shared material by the leaving date;
* breach recorded -> notify all partners (due the same day);
* review due within 90 days or overdue; parties without a returned form or without a SPOC.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session, selectinload

from cspdesk import clock
from cspdesk.dates import add_months, format_date
from cspdesk.db.engine import Database
from cspdesk.errors import UserError, ValidationError
from cspdesk.models.isa import IsaAgreement, IsaParty, IsaTask, SignatureStatus, TaskKind
from cspdesk.services.isa import CLOSED_STATUSES, PartyRow, get_agreement, list_parties
from cspdesk.services.people import _load_checked, clean_text

REVIEW_WARNING_DAYS = 90
NOTIFY_WITHIN_DAYS = 7
NOTICE_MONTHS = 1


@dataclass(frozen=True)
class TaskRow:
    id: int
    version: int
    agreement_id: int
    party_id: int | None
    organisation: str | None
    kind: str
    title: str
    created_on: dt.date
    due: dt.date
    done_on: dt.date | None = None
    notes: str | None = None

    def state(self, today: dt.date) -> str:
        if self.done_on:
            return f"Done {format_date(self.done_on)}"
        if self.due < today:
            return f"Overdue ({(today - self.due).days} days)"
        return "Due today" if self.due == today else f"Due in {(self.due - today).days} days"


@dataclass(frozen=True)
class ChaseItem:
    """One reminder on the chase list: what, how urgent, which party it opens."""

    kind: str  # review | form | spoc | task
    text: str
    severity: str  # info | warning | overdue
    party_id: int | None = None
    due: dt.date | None = None
    task_id: int | None = None


@dataclass(frozen=True)
class RegisterSummary:
    total: int
    signed: int
    awaiting_details: int
    awaiting_case: int
    without_spoc: int
    leaving: int
    review: str

    @property
    def text(self) -> str:
        parts = [f"{self.signed} of {self.total} signed",
                 f"{self.awaiting_details} awaiting details"]
        if self.awaiting_case:
            parts.append(f"{self.awaiting_case} awaiting a case")
        parts.append(f"{self.without_spoc} without a SPOC")
        if self.leaving:
            parts.append(f"{self.leaving} leaving")
        parts.append(self.review)
        return " · ".join(parts)


@dataclass(frozen=True)
class MailtoResult:
    url: str
    addresses: tuple[str, ...]
    missing: tuple[str, ...]  # organisations whose SPOCs have no email address


def _task_row(t: IsaTask) -> TaskRow:
    return TaskRow(t.id, t.version, t.agreement_id, t.party_id,
                   t.party.organisation.name if t.party else None, t.kind, t.title,
                   t.created_on, t.due, t.done_on, t.notes)


def is_active(p: PartyRow, today: dt.date) -> bool:
    """Still in the agreement (not withdrawn, not declined)."""
    if p.withdrawal_effective and p.withdrawal_effective <= today:
        return False
    return p.status not in CLOSED_STATUSES


def review_phrase(next_review: dt.date | None, today: dt.date) -> str:
    if next_review is None:
        return "no review date set"
    days = (next_review - today).days
    if days < 0:
        return f"review overdue by {-days} days"
    if days == 0:
        return "review due today"
    if days <= REVIEW_WARNING_DAYS:
        return f"review due in {days} days"
    return f"next review {format_date(next_review)}"


def summary(db: Database, agreement_id: int, today: dt.date | None = None) -> RegisterSummary:
    """Counts for the line above the register."""
    today = today or clock.today()
    agreement = get_agreement(db, agreement_id)
    parties = [p for p in list_parties(db, agreement_id) if is_active(p, today)]
    return RegisterSummary(
        len(parties), sum(p.signed for p in parties),
        sum(p.status == SignatureStatus.AWAITING_DETAILS for p in parties),
        sum(p.status == SignatureStatus.AWAITING_CASE for p in parties),
        sum(not p.spocs for p in parties),
        sum(p.withdrawal_effective is not None for p in parties),
        review_phrase(agreement.next_review, today))


def chase_list(db: Database, agreement_id: int, today: dt.date | None = None) -> list[ChaseItem]:
    """Everything to chase on one agreement, most urgent first."""
    today = today or clock.today()
    agreement = get_agreement(db, agreement_id)
    items: list[ChaseItem] = []
    if agreement.status != "superseded" and agreement.next_review is not None:
        days = (agreement.next_review - today).days
        if days <= REVIEW_WARNING_DAYS:
            items.append(ChaseItem("review", f"{agreement.reference}: "
                                   f"{review_phrase(agreement.next_review, today)} "
                                   f"({format_date(agreement.next_review)})",
                                   "overdue" if days < 0 else "warning", None,
                                   agreement.next_review))
    for t in list_tasks(db, agreement_id):
        items.append(ChaseItem("task", f"{t.title} ({t.state(today).lower()})",
                               "overdue" if t.due < today else "warning", t.party_id, t.due, t.id))
    for p in list_parties(db, agreement_id):
        if not is_active(p, today):
            continue
        if not p.signed:
            items.append(ChaseItem("form", f"{p.organisation}: no signature form returned "
                                   f"({p.state_label(today).lower()})", "info", p.id))
        if not p.spocs:
            items.append(ChaseItem("spoc", f"{p.organisation}: no SPOC named", "info", p.id))
    order = {"overdue": 0, "warning": 1, "info": 2}
    return sorted(items, key=lambda i: (order[i.severity], i.due or dt.date.max))


# ---------------------------------------------------------------- tasks

def list_tasks(db: Database, agreement_id: int, include_done: bool = False) -> list[TaskRow]:
    """Open tasks (and done ones when asked), by due date."""
    stmt = (select(IsaTask).options(selectinload(IsaTask.party).selectinload(IsaParty.organisation))
            .where(IsaTask.agreement_id == agreement_id).order_by(IsaTask.due, IsaTask.id))
    if not include_done:
        stmt = stmt.where(IsaTask.done_on.is_(None))
    with db.session() as s:
        return [_task_row(t) for t in s.scalars(stmt)]


def open_tasks_for(db: Database, agreement_ids: list[int]) -> list[TaskRow]:
    stmt = (select(IsaTask).options(selectinload(IsaTask.party).selectinload(IsaParty.organisation))
            .where(IsaTask.agreement_id.in_(agreement_ids), IsaTask.done_on.is_(None))
            .order_by(IsaTask.due))
    with db.session() as s:
        return [_task_row(t) for t in s.scalars(stmt)]


def set_task_done(db: Database, task_id: int, done: bool, on: dt.date | None = None) -> TaskRow:
    """Mark a task done (today unless ``on``) or open again."""
    with db.session() as s:
        t = _load_checked(s, IsaTask, task_id, None, "task")
        t.done_on = (on or clock.today()) if done else None
        s.flush()
        s.refresh(t, ["party"])
        return _task_row(t)


def delete_tasks(db: Database, task_ids: list[int]) -> None:
    with db.session() as s:
        for t in s.scalars(select(IsaTask).where(IsaTask.id.in_(task_ids))):
            s.delete(t)


def _add_task(party: IsaParty | None, agreement: IsaAgreement, kind: TaskKind, title: str,
              due: dt.date, today: dt.date) -> IsaTask:
    task = IsaTask(agreement_id=agreement.id, party_id=party.id if party else None,
                   kind=kind.value, title=title[:300], created_on=today, due=due)
    session = object_session(agreement)
    assert session is not None
    session.add(task)
    return task


# ---------------------------------------------------------------- events

@dataclass(frozen=True)
class EventResult:
    """What an event changed, so the UI can undo it."""

    party_id: int | None
    task_ids: tuple[int, ...]
    previous: dict[str, dt.date | None]


def record_join(db: Database, party_id: int, on: dt.date | None = None) -> EventResult:
    """Partner joins: record the date and add 'notify every SPOC' (due in 7 days)."""
    today = clock.today()
    on = on or today
    with db.session() as s:
        party = _load_checked(s, IsaParty, party_id, None, "party")
        previous = {"joined_on": party.joined_on}
        party.joined_on = on
        a = party.agreement
        task = _add_task(party, a, TaskKind.NOTIFY_JOIN,
                         join_task_title(party.organisation.name, a.reference),
                         on + dt.timedelta(days=NOTIFY_WITHIN_DAYS), today)
        s.flush()
        return EventResult(party_id, (task.id,), previous)


#: a joined date further back than this is history being entered, not news to pass on
JOIN_NEWS_DAYS = 31


def join_task_title(organisation: str, reference: str) -> str:
    return f"Notify every SPOC that {organisation} has joined {reference}"


def sync_join_task(s: Session, party: IsaParty, today: dt.date) -> None:
    """After a party's joined date was set or changed in its form: a recent (or coming) join
    gets the 'notify every SPOC' task due a week after it; an open one follows the date, and
    goes when the date is cleared or turns out to be old. Done tasks are left alone."""
    open_tasks = list(s.scalars(select(IsaTask).where(
        IsaTask.party_id == party.id, IsaTask.kind == TaskKind.NOTIFY_JOIN.value,
        IsaTask.done_on.is_(None))))
    joined = party.joined_on
    if joined is None or joined < today - dt.timedelta(days=JOIN_NEWS_DAYS):
        for task in open_tasks:
            s.delete(task)
        return
    due = joined + dt.timedelta(days=NOTIFY_WITHIN_DAYS)
    if open_tasks:
        for task in open_tasks:
            task.due = due
        return
    _add_task(party, party.agreement, TaskKind.NOTIFY_JOIN,
              join_task_title(party.organisation.name, party.agreement.reference), due, today)


def earliest_leaving(notice_on: dt.date) -> dt.date:
    """A partner leaves at least one month after giving notice."""
    return add_months(notice_on, NOTICE_MONTHS)


def give_notice(db: Database, party_id: int, notice_on: dt.date | None = None,
                effective: dt.date | None = None) -> EventResult:
    """Partner gives notice: leaving date (at least a month later), notify every SPOC within
    7 days, and remind the leaver to destroy shared material by the leaving date."""
    today = clock.today()
    notice_on = notice_on or today
    earliest = earliest_leaving(notice_on)
    effective = effective or earliest
    if effective < earliest:
        raise ValidationError(f"A partner must give at least one month's notice: the earliest "
                              f"leaving date is {format_date(earliest)}.", field="effective")
    with db.session() as s:
        party = _load_checked(s, IsaParty, party_id, None, "party")
        if party.withdrawal_effective is not None:
            raise UserError(f"{party.organisation.name} already gave notice on "
                            f"{format_date(party.notice_given_on)}; undo that first.")
        previous = {"notice_given_on": None, "withdrawal_effective": None}
        party.notice_given_on, party.withdrawal_effective = notice_on, effective
        a, org = party.agreement, party.organisation.name
        tasks = [
            _add_task(party, a, TaskKind.NOTIFY_WITHDRAWAL,
                      f"Notify every SPOC that {org} is leaving {a.reference} on "
                      f"{format_date(effective)}",
                      notice_on + dt.timedelta(days=NOTIFY_WITHIN_DAYS), today),
            _add_task(party, a, TaskKind.DESTROY_MATERIAL,
                      f"Remind {org} to securely destroy or delete material shared under "
                      f"{a.reference} (they stay bound by it)", effective, today),
        ]
        s.flush()
        return EventResult(party_id, tuple(t.id for t in tasks), previous)


def record_breach(db: Database, agreement_id: int, description: str,
                  on: dt.date | None = None) -> EventResult:
    """Breach or near miss: add 'notify all partners' (due the same day)."""
    text = clean_text(description)
    if not text:
        raise ValidationError("Describe the breach in a few words.", field="description")
    today = clock.today()
    on = on or today
    with db.session() as s:
        a = _load_checked(s, IsaAgreement, agreement_id, None, "agreement")
        task = _add_task(None, a, TaskKind.NOTIFY_BREACH,
                         f"Notify all partners of the breach on {format_date(on)}: {text}", on,
                         today)
        s.flush()
        return EventResult(None, (task.id,), {})


def undo_event(db: Database, result: EventResult) -> None:
    """Reverse an event: delete its tasks and restore the party's dates."""
    with db.session() as s:
        for t in s.scalars(select(IsaTask).where(IsaTask.id.in_(result.task_ids))):
            s.delete(t)
        if result.party_id is not None:
            party = s.get(IsaParty, result.party_id)
            if party is not None:
                for key, value in result.previous.items():
                    setattr(party, key, value)


# ---------------------------------------------------------------- email

def mailto_url(addresses: list[str], subject: str) -> str:
    """A mailto: URL with every address in Bcc and the subject filled in."""
    bcc = ",".join(quote(a, safe="@.+-_") for a in addresses)
    return f"mailto:?bcc={bcc}&subject={quote(subject)}"


def email_spocs(db: Database, agreement_id: int, subject: str | None = None,
                today: dt.date | None = None) -> MailtoResult:
    """The mail to every current SPOC of the agreement's active parties."""
    today = today or clock.today()
    agreement = get_agreement(db, agreement_id)
    addresses: list[str] = []
    missing: list[str] = []
    for p in list_parties(db, agreement_id):
        if not is_active(p, today) or not p.spocs:
            continue
        found = [sp.email for sp in p.spocs if sp.email]
        if not found:
            missing.append(p.organisation)
        for email in found:
            if email.lower() not in {a.lower() for a in addresses}:
                addresses.append(email)
    if not addresses:
        raise UserError(f"No SPOC of {agreement.reference} has an email address yet; add them "
                        "in the party details first.")
    subject = subject or f"{agreement.title} ({agreement.reference})"
    return MailtoResult(mailto_url(addresses, subject), tuple(addresses), tuple(missing))
