"""Reading the cells of an Appendix 1 register: headings, names and roles, statuses, Yes/No.

Pure functions (no database), so the rules can be tested one by one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from cspdesk.models.isa import SignatureStatus
from cspdesk.services.people import clean_text, match_key

FIELDS = ("organisation", "board_member", "lead", "signature", "spoc", "ecins", "spoc_email",
          "spoc_phone")

HEADINGS = {
    "organisation": "Organisation",
    "board_member": "CSP Board Member?",
    "lead": "Lead Signatory Name & Role",
    "signature": "Signature form returned",
    "spoc": "Specific Point of Contact (SPOC) for this agreement",
    "ecins": "ECINS users",
    "spoc_email": "SPOC email",
    "spoc_phone": "SPOC phone",
}

#: organisation-type prefixes printed before names ("RSL: Abbeyfield")
PREFIXES = {"rsl": "rsl", "sl": "rsl", "ssl": "rsl", "support agency": "support_agency",
            "school": "school", "vcs": "voluntary"}
PREFIX_RE = re.compile(r"^\s*(RSL|SSL|SL|Support\s+Agency|School|VCS)\s*:\s*", re.IGNORECASE)
TYPE_PREFIX = {"rsl": "RSL: ", "support_agency": "Support Agency: "}

AWAITING_DETAILS_TEXT = "Awaiting details"
AWAITING_CASE_TEXT = "AWAIT APPROPRIATE CASE BEFORE SIGNING"
ROLE_WORDS = re.compile(
    r"\b(officer|manager|head|director|commander|co-?ordinator|chief|executive|lead|advis[oe]r|"
    r"principal|principle|secretary|chair|team|service|governance|safeguarding)\b", re.IGNORECASE)
DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2010": "-", "\u2011": "-",
                        "\u2212": "-"})
JOB_SHARE = re.compile(r"\(\s*job[\s-]*share\s*\)", re.IGNORECASE)
SPOC_SPLIT = re.compile(r"\s*(?:/|;|\n|\r|\s+or\s+)\s*", re.IGNORECASE)
DATE_FORMATS = ("%d %b %Y", "%d %B %Y", "%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%b-%y",
                "%d-%b-%Y", "%d.%m.%Y", "%d %b %y")
#: each format with the separators a text needs for it to match (skips hopeless strptime calls)
DATE_SEPARATORS = tuple((fmt, set(fmt.replace("%", "")) & set(" /-.")) for fmt in DATE_FORMATS)
ORDINAL = re.compile(r"(\d)(st|nd|rd|th)\b")


def heading_field(text: str) -> str | None:
    """Which register column a heading names, matched loosely (case, punctuation, a year
    before 'Signature form returned', any county before 'ECINS users')."""
    key = match_key(text).replace("e cins", "ecins")
    key = re.sub(r"^(19|20)\d\d\s+", "", key)
    if not key:
        return None
    contact = "spoc" in key or "point of contact" in key or "contact" in key
    if contact and ("email" in key or "e mail" in key):
        return "spoc_email"
    if contact and any(w in key.split() for w in ("phone", "telephone", "tel", "mobile")):
        return "spoc_phone"
    if "ecins" in key:
        return "ecins"
    if "signature" in key or "form returned" in key or "signed" in key:
        return "signature"
    if "signatory" in key:
        return "lead"
    if contact:
        return "spoc"
    if "board" in key:
        return "board_member"
    if key.startswith(("organi", "org ", "partner", "agency")) or key == "org":
        return "organisation"
    return None


def split_organisation(text: str) -> tuple[str, str | None]:
    """'RSL: Abbeyfield' -> ('Abbeyfield', 'rsl'); the prefix sets the organisation type."""
    text = clean_text(text)
    m = PREFIX_RE.match(text)
    if not m:
        return text, None
    prefix = re.sub(r"\s+", " ", m.group(1).lower())
    return clean_text(text[m.end():]), PREFIXES[prefix]


def status_word(text: str) -> str | None:
    """'Awaiting details' / 'AWAIT APPROPRIATE CASE BEFORE SIGNING' are statuses, not names."""
    key = match_key(text)
    if key.startswith("awaiting detail") or key in {"await details", "details awaited"}:
        return SignatureStatus.AWAITING_DETAILS.value
    if "appropriate case" in key:
        return SignatureStatus.AWAITING_CASE.value
    return None


@dataclass(frozen=True)
class NameRole:
    name: str | None
    role: str | None
    warning: str | None = None


def split_name_role(text: str) -> NameRole:
    """'Name - Role', 'Name– Role', 'Name- Role', '– Role' (role only) or a bare name."""
    text = clean_text(text).translate(DASHES)
    warning = None
    if text.count(")") > text.count("("):
        text = text[::-1].replace(")", "", 1)[::-1].strip()
        warning = "a stray ')' was removed"
    if not text:
        return NameRole(None, None)
    if text.startswith("-"):
        return NameRole(None, _role(text[1:]), warning)
    m = re.search(r"\s+-\s*|\s*-\s+", text)
    if m is None:
        m = re.search(r"-", text)
        if m is not None:
            right = text[m.end():]
            if len(right.split()) < 2 and not ROLE_WORDS.search(right):
                m = None  # a double-barrelled name such as Smith-Jones
    if m is not None:
        return NameRole(clean_text(text[:m.start()]) or None, _role(text[m.end():]), warning)
    if ROLE_WORDS.search(text) and not re.search(r"\b(insp|cllr|dr)\b", text, re.IGNORECASE):
        return NameRole(None, text, warning or "read as a role (no name given)")
    return NameRole(text, None, warning)


def _role(text: str) -> str | None:
    text = clean_text(text)
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    return text or None


@dataclass(frozen=True)
class SpocCell:
    spocs: tuple[NameRole, ...]
    note: str | None
    status: str | None


def split_spocs(text: str) -> SpocCell:
    """Several SPOCs separated by '/', ';', 'or' or a line break; '(job share)' becomes a note."""
    raw = str(text or "").strip()
    if not raw:
        return SpocCell((), None, None)
    status = status_word(raw)
    if status is not None:
        return SpocCell((), None, status)
    note = None
    if JOB_SHARE.search(raw):
        note = "job share"
        raw = JOB_SHARE.sub("", raw)
    parts = [p for p in SPOC_SPLIT.split(raw) if clean_text(p)]
    return SpocCell(tuple(split_name_role(p) for p in parts), note, None)


def split_list(text: str) -> list[str]:
    """Emails or phones for several SPOCs in one cell; a blank keeps its place."""
    parts = [clean_text(p) for p in re.split(r"\s*(?:/|;|,|\n|\r)\s*", str(text or ""))]
    return parts if any(parts) else []


def parse_yes_no(value: object) -> tuple[bool | None, str | None]:
    """Yes/No in any case (also Y/N, True/False, ticks); blank = unknown."""
    if isinstance(value, bool):
        return value, None
    key = match_key(str(value or "")) if value is not None else ""
    raw = clean_text(str(value or ""))
    if not raw:
        return None, None
    if key in {"yes", "y", "true"} or raw in {"\u2713", "\u2714"}:
        return True, None
    if key in {"no", "n", "false"} or raw in {"\u2717", "\u2718"}:
        return False, None
    return None, f"'{raw}' is not Yes or No"


def parse_date(value: object) -> dt.date | None:
    """A date from a spreadsheet cell or text ('12 Feb 2020', '12/02/2020', '2020-02-12')."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = clean_text(str(value or "")).replace(",", "")
    text = ORDINAL.sub(r"\1", text)
    for fmt, separators in DATE_SEPARATORS:
        if not separators <= set(text):
            continue
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


#: loose key of each status label ("Form sent" -> form_sent)
_LABEL_KEYS = {match_key(s.label): s.value for s in SignatureStatus}


def parse_signature(value: object) -> tuple[str | None, dt.date | None, str | None]:
    """(status, date, error) from the 'Signature form returned' cell; blank gives no status."""
    if isinstance(value, dt.date):
        return SignatureStatus.FORM_RETURNED.value, parse_date(value), None
    raw = clean_text(str(value or ""))
    if not raw:
        return None, None, None
    word = status_word(raw)
    if word:
        return word, None, None
    key = match_key(raw)
    yes, _ = parse_yes_no(raw)
    if yes is True or key in {"returned", "signed", "form returned", "received"}:
        return SignatureStatus.FORM_RETURNED.value, None, None
    if yes is False:
        return None, None, None
    if key in _LABEL_KEYS:
        return _LABEL_KEYS[key], None, None
    m = re.match(r"^(?:form\s+)?(returned|signed|received|sent|declined|withdrawn)"
                 r"(?:\s+on)?\s+(.+)$", raw, re.IGNORECASE)
    verb, rest = (m.group(1).lower(), m.group(2)) if m else ("returned", raw)
    day = parse_date(rest)
    if day is None:
        return None, None, f"'{raw}' is not a signature status or a date"
    status = {"sent": "form_sent", "declined": "declined", "withdrawn": "withdrawn"}.get(
        verb, "form_returned")
    return status, day, None


def signature_text(status: str, day: dt.date | None, has_lead: bool) -> str:
    """The 'Signature form returned' cell for an export that reads back the same."""
    from cspdesk.dates import format_date

    when = f" {format_date(day)}" if day else ""
    if status == "form_returned":
        return f"Returned{when}" if day else "Yes"
    if status == "form_sent":
        return f"Sent{when}"
    if status in {"declined", "withdrawn"}:
        return f"{SignatureStatus(status).label}{when}"
    if status == "not_sent":
        return "" if has_lead else SignatureStatus.NOT_SENT.label
    if status == "not_recorded":
        return SignatureStatus.NOT_RECORDED.label if has_lead else ""
    return SignatureStatus(status).label if has_lead else ""


def lead_text(name: str | None, role: str | None, status: str) -> str:
    """The 'Lead Signatory Name & Role' cell; a status word when nobody is named yet."""
    from cspdesk.services.isa import name_role_text

    text = name_role_text(name, role)
    if text:
        return text
    if status == "awaiting_details":
        return AWAITING_DETAILS_TEXT
    if status == "awaiting_case":
        return AWAITING_CASE_TEXT
    return ""


def yes_no_text(value: bool | None) -> str:
    return "" if value is None else ("Yes" if value else "No")
