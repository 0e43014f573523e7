"""Import an Appendix 1 register (CSV or XLSX): ``parse`` previews, ``apply`` writes it all or
nothing. Importing the same file twice changes nothing."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from cspdesk import clock
from cspdesk.db.engine import Database
from cspdesk.errors import UserError
from cspdesk.models.isa import IsaAgreement, IsaParty, SignatureStatus
from cspdesk.progress import NULL_PROGRESS, Progress
from cspdesk.services import isa_cells as cells
from cspdesk.services.import_names import ImportNames
from cspdesk.services.isa import PARTY_LOAD, find_agreement, name_role_text
from cspdesk.services.isa_import_write import add_join_tasks, write_rows
from cspdesk.services.isa_parties import SpocInput, strip_title
from cspdesk.services.people import EMAIL_RE, clean_text

#: statuses a blank 'Signature form returned' cell never overwrites
RECORDED = {"form_sent", "form_returned", "declined", "withdrawn"}


@dataclass(frozen=True)
class RowError:
    row: int
    message: str

    def __str__(self) -> str:
        return f"Row {self.row}: {self.message}."


@dataclass(frozen=True)
class ImportRow:
    """One register row as it will be read."""

    row: int
    organisation: str
    org_type: str | None
    board_member: bool | None
    lead_name: str | None
    lead_role: str | None
    status: str
    status_date: dt.date | None
    ecins_user: bool | None
    spocs: tuple[SpocInput, ...]
    matched: str | None = None  # the existing organisation it matched
    action: str = "add"  # add | update | unchanged
    changes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def lead_text(self) -> str:
        return name_role_text(self.lead_name, self.lead_role)

    @property
    def spoc_text(self) -> str:
        return " / ".join(name_role_text(s.name, s.role) + (f" ({s.note})" if s.note else "")
                          for s in self.spocs)

    @property
    def status_label(self) -> str:
        return SignatureStatus(self.status).label


@dataclass(frozen=True)
class Preview:
    path: Path
    agreement_id: int
    agreement_ref: str
    columns: tuple[str, ...]
    rows: tuple[ImportRow, ...]
    errors: tuple[RowError, ...]
    warnings: tuple[str, ...] = ()
    #: the agreement already has parties, so a new one is a partner joining
    announce_joins: bool = False

    def count(self, action: str) -> int:
        return sum(r.action == action for r in self.rows)

    @property
    def headline(self) -> str:
        text = (f"{len(self.rows)} rows for {self.agreement_ref}: {self.count('add')} new, "
                f"{self.count('update')} changed, {self.count('unchanged')} unchanged")
        if self.errors:
            text += f"; {len(self.errors)} errors, so nothing can be imported yet"
        elif self.announce_joins and self.count("add"):
            text += "; each new partner gets a task to notify every SPOC"
        return text


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    unchanged: int


@dataclass
class _Raw:
    row: int
    cells: dict[str, object] = field(default_factory=dict)


# ---------------------------------------------------------------- reading files

def read_table(path: Path) -> list[list[object]]:
    """All rows of a CSV (any common encoding and separator) or the first XLSX sheet."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"{path.name} cannot be found. Check the file and try again.")
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        from openpyxl import load_workbook

        unreadable = UserError(f"{path.name} cannot be read as an Excel workbook; save it "
                               "again as .xlsx and retry.")
        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - any unreadable file gets the same sentence
            raise unreadable from exc
        try:  # a read-only workbook parses its sheet lazily, so junk shows up here
            return [[_unguard(v) for v in r] for r in wb.worksheets[0].iter_rows(values_only=True)]
        except Exception as exc:  # noqa: BLE001
            raise unreadable from exc
        finally:
            wb.close()
    if suffix not in {".csv", ".txt", ".tsv"}:
        raise UserError(f"{path.name} is not a CSV or XLSX file; save the register as one of "
                        "those and import it again.")
    text = _decode(path.name, path.read_bytes())
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return [list(r) for r in csv.reader(text.splitlines(keepends=True), dialect)]
    except csv.Error as exc:
        raise UserError(f"{path.name} cannot be read as CSV ({exc}); save it again as "
                        "CSV UTF-8 and retry.") from exc


def _decode(name: str, data: bytes) -> str:
    """Text of a CSV file: UTF-16 with a byte-order mark (Excel's "Unicode text"), UTF-8 (with
    or without BOM) or Windows-1252; anything else is refused."""
    text = None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            text = None
    else:
        for encoding in ("utf-8-sig", "cp1252"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    if text is None or "\x00" in text:
        raise UserError(f"{name} is not a text (CSV) file cspdesk can read; save the register "
                        "as CSV UTF-8 or .xlsx and import it again.")
    return text


def _unguard(value: object) -> object:
    """Drop the apostrophe an export puts before text that starts like a formula."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def _header(table: list[list[object]]) -> tuple[int, dict[int, str], list[str]]:
    """(header row index, {column: field}, unknown headings) from the first matching row."""
    for index, row in enumerate(table[:15]):
        found: dict[int, str] = {}
        unknown: list[str] = []
        for col, cell in enumerate(row):
            name = cells.heading_field(str(cell or ""))
            if name and name not in found.values():
                found[col] = name
            elif clean_text(str(cell or "")):
                unknown.append(clean_text(str(cell)))
        if "organisation" in found.values() and len(found) >= 3:
            return index, found, unknown
    raise UserError("No heading row was found: the register needs at least Organisation, Lead "
                    "Signatory and SPOC columns in the Appendix 1 layout.")


# ---------------------------------------------------------------- parse

def read_rows(path: Path, progress: Progress = NULL_PROGRESS
              ) -> tuple[list[ImportRow], list[RowError], list[str], tuple[str, ...]]:
    """(rows, errors, warnings, columns) read from a register file, before any comparison."""
    table = read_table(Path(path))
    head, columns, unknown = _header(table)
    warnings = [f"Column '{u}' is not part of the register and is ignored." for u in unknown]
    errors: list[RowError] = []
    rows: list[ImportRow] = []
    seen: dict[str, int] = {}
    body = table[head + 1:]
    for i, values in enumerate(body):
        progress.update(i, len(body), "Reading rows")
        progress.check()
        number = head + i + 2
        raw = _Raw(number, {f: values[c] if c < len(values) else None
                            for c, f in columns.items()})
        if not any(clean_text(str(v or "")) for v in raw.cells.values()):
            continue
        row = _read_row(raw, set(columns.values()), errors)
        if row is None:
            continue
        key = clean_text(row.organisation).casefold()
        if key in seen:
            errors.append(RowError(number, f"{row.organisation} appears again (first at row "
                                   f"{seen[key]}); keep one row per organisation"))
            continue
        seen[key] = number
        rows.append(row)
    return rows, errors, warnings, tuple(columns.values())


def parse(db: Database, path: Path, agreement: str | int,
          progress: Progress = NULL_PROGRESS) -> Preview:
    """Read a register file and compare it with the agreement; writes nothing."""
    agreement_id = agreement if isinstance(agreement, int) else find_agreement(db, agreement).id
    read, errors, warnings, columns = read_rows(Path(path), progress)
    with db.session() as s:
        a = s.get(IsaAgreement, agreement_id)
        if a is None:
            raise UserError("That agreement no longer exists; refresh the list.")
        ref = a.reference
        names = ImportNames(s)
        parties = {p.organisation_id: p for p in s.scalars(
            select(IsaParty).options(*PARTY_LOAD).where(IsaParty.agreement_id == agreement_id)
            .order_by(IsaParty.position, IsaParty.id))}
        rows = [_compare(names, parties, row, set(columns)) for row in read]
        matched = {r.matched for r in rows if r.matched}
        left = [p.organisation.name for p in parties.values()
                if p.organisation.name not in matched]
    return Preview(Path(path), agreement_id, ref, columns, tuple(rows), tuple(errors),
                   tuple(warnings) + _missing_warning(left), announce_joins=bool(parties))


def _missing_warning(left: list[str]) -> tuple[str, ...]:
    if not left:
        return ()
    return (f"{len(left)} parties in the register are not in the file and are left as they are: "
            + ", ".join(left[:5]) + ("…" if len(left) > 5 else "") + ".",)


def _read_row(raw: _Raw, present: set[str], errors: list[RowError]) -> ImportRow | None:
    c = raw.cells
    number = raw.row
    warnings: list[str] = []
    org, org_type = cells.split_organisation(str(c.get("organisation") or ""))
    if not org:
        errors.append(RowError(number, "there is no organisation name"))
        return None
    board, err = cells.parse_yes_no(c.get("board_member"))
    if err:
        errors.append(RowError(number, f"CSP Board Member? {err}"))
    ecins, err = cells.parse_yes_no(c.get("ecins"))
    if err:
        errors.append(RowError(number, f"ECINS users {err}"))
    lead_cell = clean_text(str(c.get("lead") or ""))
    lead_status = cells.status_word(lead_cell) if lead_cell else None
    lead = cells.NameRole(None, None) if lead_status or not lead_cell else (
        cells.split_name_role(lead_cell))
    if lead.warning:
        warnings.append(f"Lead signatory: {lead.warning}")
    sig_status, sig_date, err = cells.parse_signature(c.get("signature"))
    if err:
        errors.append(RowError(number, f"Signature form returned: {err}"))
    spoc_cell = cells.split_spocs(str(c.get("spoc") or ""))
    spocs = _spocs(spoc_cell, c, present, number, errors, warnings)
    if sig_status:
        status = sig_status
    elif lead_status:
        status = lead_status
    elif lead.name or lead.role:
        status = SignatureStatus.NOT_SENT.value
    elif spoc_cell.status:
        status = spoc_cell.status
    else:
        status = SignatureStatus.NOT_RECORDED.value
    if not lead_cell and not spocs and not spoc_cell.status and not sig_status:
        warnings.append("No signatory or SPOC recorded")
    return ImportRow(number, org, org_type, board, strip_title(lead.name or "") or None,
                     lead.role, status, sig_date, ecins, tuple(spocs), warnings=tuple(warnings))


def _spocs(cell: cells.SpocCell, c: dict[str, object], present: set[str], number: int,
           errors: list[RowError], warnings: list[str]) -> list[SpocInput]:
    emails = cells.split_list(str(c.get("spoc_email") or ""))
    phones = cells.split_list(str(c.get("spoc_phone") or ""))
    for email in emails:
        if email and not EMAIL_RE.match(email):
            errors.append(RowError(number, f"'{email}' is not an email address"))
    n = len(cell.spocs)
    if (len([e for e in emails if e]) > n or len([p for p in phones if p]) > n) and n:
        warnings.append(f"{n} SPOC(s) but more emails or phones; the extra ones are ignored")
    if (any(emails) or any(phones)) and not n:
        errors.append(RowError(number, "an email or phone is given but no SPOC is named"))
    result = []
    for i, nr in enumerate(cell.spocs):
        if nr.warning:
            warnings.append(f"SPOC: {nr.warning}")
        result.append(SpocInput(strip_title(nr.name or "") or None, nr.role,
                                (emails[i] if i < len(emails) else None) or None,
                                (phones[i] if i < len(phones) else None) or None, cell.note))
    return result


def _compare(names: ImportNames, parties: dict[int, IsaParty], row: ImportRow,
             present: set[str]) -> ImportRow:
    """Fill in what the row would change in the register (``parties`` by organisation id)."""
    org = names.organisation(row.organisation)
    warnings = list(row.warnings)
    if org is None:
        return _replace(row, None, "add", ("new organisation",), warnings)
    party = parties.get(org.id)
    changes: list[str] = []
    if row.org_type and org.type != row.org_type:
        changes.append(f"organisation type {org.type} → {row.org_type}")
    if party is None:
        return _replace(row, org.name, "add", tuple(changes), warnings)
    row = _keep_recorded(row, party, "signature" in present, warnings)
    row = _keep_contacts(row, party, present)

    def diff(label: str, old: object, new: object) -> None:
        if old != new:
            changes.append(f"{label}: {_show(old)} → {_show(new)}")

    diff("board member", party.board_member, row.board_member)
    diff("lead signatory", party.lead_person.name if party.lead_person else None, row.lead_name)
    diff("signatory role", party.lead_role, row.lead_role)
    diff("status", SignatureStatus(party.status).label, row.status_label)
    diff("status date", party.status_date, row.status_date)
    diff("ECINS user", party.ecins_user, row.ecins_user)
    current = [(sp.person.name if sp.person else None, sp.role, sp.email, sp.phone, sp.note)
               for sp in party.spocs if sp.until is None]
    wanted = [(sp.name, sp.role, sp.email, sp.phone, sp.note) for sp in row.spocs]
    if [_spoc_key(x) for x in current] != [_spoc_key(x) for x in wanted]:
        changes.append(f"SPOCs: {_show(_names(current))} → {_show(_names(wanted))}")
    return _replace(row, org.name, "update" if changes else "unchanged", tuple(changes), warnings)


def _spoc_key(t: tuple) -> tuple:
    name = clean_text(t[0]).casefold() if t[0] else None
    return (name, *t[1:])


def _names(spocs: list[tuple]) -> str:
    return " / ".join(name_role_text(t[0], t[1]) for t in spocs)


def _show(value: object) -> str:
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.date):
        from cspdesk.dates import format_date

        return format_date(value)
    return str(value)


def _keep_recorded(row: ImportRow, party: IsaParty, has_column: bool,
                   warnings: list[str]) -> ImportRow:
    """A blank signature cell never undoes a recorded sent/returned/declined/withdrawn form."""
    if party.status in RECORDED and row.status not in RECORDED:
        label = SignatureStatus(party.status).label
        if has_column:
            warnings.append(f"The file has no signature date; the register's '{label}' is kept")
        return _with(row, status=party.status, status_date=party.status_date)
    return row


def _keep_contacts(row: ImportRow, party: IsaParty, present: set[str]) -> ImportRow:
    """Contact details and notes the file does not carry are kept from the register."""
    by_name = {clean_text(sp.person.name).casefold(): sp for sp in party.spocs
               if sp.until is None and sp.person}
    kept = []
    for sp in row.spocs:
        old = by_name.get(clean_text(sp.name or "").casefold())
        email = sp.email if "spoc_email" in present else (old.email if old else None)
        phone = sp.phone if "spoc_phone" in present else (old.phone if old else None)
        note = sp.note or (old.note if old and old.note != "job share" else None)
        kept.append(SpocInput(sp.name, sp.role, email, phone, note))
    return _with(row, spocs=tuple(kept))


def _with(row: ImportRow, **changes: object) -> ImportRow:
    from dataclasses import replace

    return replace(row, **changes)  # type: ignore[arg-type]


def _replace(row: ImportRow, matched: str | None, action: str, changes: tuple[str, ...],
             warnings: list[str]) -> ImportRow:
    return _with(row, matched=matched, action=action, changes=changes, warnings=tuple(warnings))


# ---------------------------------------------------------------- apply

def apply(db: Database, preview: Preview, progress: Progress = NULL_PROGRESS) -> ImportResult:
    """Write every row in one transaction; refuses a preview with errors."""
    if preview.errors:
        raise UserError(f"The file has {len(preview.errors)} errors, so nothing was imported. "
                        f"Fix them and import again (first: {preview.errors[0]})")
    todo = [r for r in preview.rows if r.action != "unchanged"]
    with db.session() as s:
        agreement = s.get(IsaAgreement, preview.agreement_id)
        if agreement is None:
            raise UserError("That agreement no longer exists; refresh the list.")
        before = set(s.scalars(select(IsaParty.id).where(
            IsaParty.agreement_id == agreement.id)))
        write_rows(s, agreement, todo, clock.today(), progress)
        if before and preview.announce_joins:
            joined = s.scalars(select(IsaParty.id).where(
                IsaParty.agreement_id == agreement.id, IsaParty.id.not_in(before))).all()
            add_join_tasks(s, agreement, list(joined), clock.today())
    return ImportResult(preview.count("add"), preview.count("update"), preview.count("unchanged"))
