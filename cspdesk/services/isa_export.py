"""Export the register as PDF (A4 landscape) or XLSX (the import's columns, so it round-trips)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cspdesk import clock
from cspdesk.db.engine import Database
from cspdesk.errors import UserError
from cspdesk.models import Partnership
from cspdesk.progress import NULL_PROGRESS, Progress
from cspdesk.services.isa import AgreementRow, PartyRow, get_agreement, list_parties
from cspdesk.services.isa_rules import RegisterSummary, summary


@dataclass(frozen=True)
class RegisterData:
    """Everything a register report needs."""

    agreement: AgreementRow
    partnership: str
    parties: tuple[PartyRow, ...]
    summary: RegisterSummary
    generated: dt.date


def register_data(db: Database, agreement_id: int, today: dt.date | None = None) -> RegisterData:
    today = today or clock.today()
    agreement = get_agreement(db, agreement_id)
    with db.session() as s:
        p = s.get(Partnership, agreement.partnership_id)
        name = p.name if p else ""
    return RegisterData(agreement, name, tuple(list_parties(db, agreement_id)),
                        summary(db, agreement_id, today), today)


def export_register(db: Database, agreement_id: int, out: Path,
                    progress: Progress = NULL_PROGRESS) -> Path:
    """Write the register to ``out`` (.pdf or .xlsx)."""
    from cspdesk.reports import isa_register

    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in {".pdf", ".xlsx"}:
        raise UserError(f"{out.name} must end in .pdf or .xlsx; choose one of those.")
    progress.update(0, 2, "Collecting the register")
    data = register_data(db, agreement_id)
    progress.check()
    progress.update(1, 2, f"Writing {out.name}")
    if suffix == ".pdf":
        path = isa_register.build_register_pdf(data, out)
    else:
        path = isa_register.build_register_xlsx(data, out)
    progress.update(2, 2, "Done")
    return path
