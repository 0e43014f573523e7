"""Generated paper for board packs: the ISA register of the meeting's partnership."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cspdesk.db.engine import Database
from cspdesk.errors import UserError
from cspdesk.models import Board, Meeting
from cspdesk.services.isa import find_agreement, list_agreements
from cspdesk.services.isa_export import export_register


def isa_register_paper(db: Database, meeting_id: int, out_dir: Path, **kwargs: Any) -> Path:
    """The register PDF of the meeting's partnership (``agreement=REF`` picks one)."""
    with db.session() as s:
        meeting = s.get(Meeting, meeting_id)
        if meeting is None:
            raise UserError("That meeting no longer exists; refresh the list.")
        board = s.get(Board, meeting.board_id)
        assert board is not None
        partnership_id = board.partnership_id
    if kwargs.get("agreement"):
        agreement = find_agreement(db, str(kwargs["agreement"]))
    else:
        current = [a for a in list_agreements(db, partnership_id) if a.status != "superseded"]
        if not current:
            raise UserError("This partnership has no information sharing agreement yet; add "
                            "one on the ISA register page.")
        agreement = current[0]
    safe = "".join(c if c.isalnum() else "-" for c in agreement.reference).strip("-")
    out = Path(out_dir) / f"isa-register-{safe or agreement.id}.pdf"
    progress = kwargs.get("progress")
    return export_register(db, agreement.id, out, progress) if progress else export_register(
        db, agreement.id, out)


PAPER_PROVIDERS = {"isa-register": ("ISA register", isa_register_paper)}
