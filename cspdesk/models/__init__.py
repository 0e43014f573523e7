"""ORM models, one module per aggregate. Importing this package registers every table."""

from cspdesk.models.attachment import Attachment, AttachmentContent
from cspdesk.models.audit import AuditEntry
from cspdesk.models.base import Base, Entity
from cspdesk.models.meeting import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    ItemKind,
    Meeting,
    MeetingStatus,
    Publication,
    Purpose,
)
from cspdesk.models.organisation import Organisation, OrganisationAlias, OrgType
from cspdesk.models.partnership import (
    Board,
    BoardName,
    Membership,
    MembershipCategory,
    MembershipRole,
    Partnership,
)
from cspdesk.models.person import Person
from cspdesk.models.setting import AppSetting

#: area modules that add their own tables; imported here so metadata (and Alembic) sees them
AREA_MODULES = (
    "cspdesk.models.isa",
    "cspdesk.models.actions",
    "cspdesk.models.budget",
    "cspdesk.models.paper",
    "cspdesk.models.safety",
    "cspdesk.models.indexes",  # last: indexes over the tables above
)


def _import_areas() -> None:
    import importlib
    import importlib.util

    for name in AREA_MODULES:
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name)


_import_areas()

__all__ = [
    "AgendaItem", "AppSetting", "Attachment", "AttachmentContent", "Attendance",
    "AttendanceStatus", "AuditEntry",
    "Base", "Board", "BoardName",
    "Entity", "ItemKind", "Meeting", "MeetingStatus", "Membership", "MembershipCategory",
    "MembershipRole", "OrgType", "Organisation", "OrganisationAlias", "Partnership", "Person",
    "Publication", "Purpose",
]
