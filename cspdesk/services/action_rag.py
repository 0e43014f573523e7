"""RAG rules, the status words officers write, and direction of travel. Pure functions, no I/O."""

from __future__ import annotations

import datetime as dt
import re

from cspdesk.models.actions import ActionStatus, Rag

#: days before the due date when an action that has not started turns amber
AMBER_WINDOW_DAYS = 30

#: colour and word of every RAG value (status is never colour alone)
RAG_COLOURS = {
    Rag.RED: "#C0392B",
    Rag.AMBER: "#E6A100",
    Rag.GREEN: "#2E8B57",
    Rag.COMPLETE: "#5B6770",
}

_RANK = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2, Rag.COMPLETE: 3}

#: the leading words of status texts in the packs, mapped to the status list (first match wins);
#: "None to report" and "Nothing to report" say nothing about status, so they map to None
_WORDS: tuple[tuple[str, ActionStatus | None], ...] = (
    (r"(none|nothing) to report", None),
    (r"not (yet )?started|yet to start|to start", ActionStatus.NOT_STARTED),
    (r"complete|completed|done|closed|work has now been completed", ActionStatus.COMPLETE),
    (r"on track|in progress|ongoing|underway|on target", ActionStatus.ON_TRACK),
    (r"at risk|no progress|delayed|slipp", ActionStatus.AT_RISK),
    (r"off track|behind|overdue|stalled", ActionStatus.OFF_TRACK),
    (r"abandon|cancel|withdrawn|dropped", ActionStatus.ABANDONED),
)


class UnknownStatus(ValueError):
    """The text names no status on the list."""


def status_from_text(text: str) -> ActionStatus | None:
    """Map a status word as officers write it ('In Progress – First meeting held…') to the list.

    Returns None for 'None to report'; raises UnknownStatus for anything unrecognised.
    """
    from cspdesk.services.people import clean_text

    value = clean_text(text).lower().strip(" .:-–")
    for status in ActionStatus:
        if value in (status.value, status.label.lower()):
            return status
    for pattern, status in _WORDS:
        if re.match(pattern, value):
            return status
    labels = ", ".join(s.label for s in ActionStatus)
    raise UnknownStatus(f"'{text}' is not a status; use one of: {labels}.")


def computed_rag(status: str, due: dt.date | None, today: dt.date) -> Rag:
    """The RAG from status and dates alone.

    Complete (or abandoned) shows as complete; overdue and not complete is red (from the day after
    the due date); off track is red; at risk, or not started within 30 days of the due date, is
    amber; anything else is green.
    """
    state = ActionStatus(status)
    if state in (ActionStatus.COMPLETE, ActionStatus.ABANDONED):
        return Rag.COMPLETE
    if due is not None and due < today:
        return Rag.RED
    if state is ActionStatus.OFF_TRACK:
        return Rag.RED
    if state is ActionStatus.AT_RISK:
        return Rag.AMBER
    if (state is ActionStatus.NOT_STARTED and due is not None
            and (due - today).days <= AMBER_WINDOW_DAYS):
        return Rag.AMBER
    return Rag.GREEN


def effective_rag(status: str, due: dt.date | None, today: dt.date,
                  override: str | None) -> tuple[Rag, bool]:
    """(RAG shown, whether a manual override set it). A complete action is never overridden."""
    rag = computed_rag(status, due, today)
    if override and rag is not Rag.COMPLETE:
        return Rag(override), True
    return rag, False


def direction(previous: str | None, current: str) -> str | None:
    """'better', 'same' or 'worse' against the previous snapshot's RAG (None if no snapshot)."""
    if previous is None:
        return None
    before, now = _RANK[Rag(previous)], _RANK[Rag(current)]
    return "better" if now > before else "worse" if now < before else "same"


ARROWS = {"better": "▲ better", "same": "► same", "worse": "▼ worse"}


def quarter_of(day: dt.date) -> str:
    """Financial-year quarter label: 20 Feb 2020 -> '2019/20 Q4' (Q1 is April to June)."""
    from cspdesk.dates import financial_year_label, financial_year_start

    start = financial_year_start(day)
    q = ((day.month - 4) % 12) // 3 + 1
    return f"{financial_year_label(start)} Q{q}"
