"""Writes for units and people: one function per use case, permission-checked, atomic, audited.

`actor=SYSTEM` means the system (management commands, the demo loader). One module per area:
`units` (creating and reorganizing units), `people` (members), `importing` (XLSX, XLS and CSV),
`national` (a national CSV streamed through PostgreSQL's COPY), `prepared` (reorganizations
prepared on a page and confirmed, four eyes for a merger).
"""

from daihoi.organizations.actions.importing import ImportSummary, members_import, units_import
from daihoi.organizations.actions.national import members_import_stream
from daihoi.organizations.actions.people import person_create, person_set_status, person_transfer
from daihoi.organizations.actions.prepared import (
    reorganization_confirm,
    reorganization_prepare,
    reorganization_withdraw,
)
from daihoi.organizations.actions.units import (
    SplitPart,
    level_abolish,
    unit_create,
    unit_rename,
    unit_split,
    units_merge,
)

__all__ = [
    "ImportSummary",
    "SplitPart",
    "level_abolish",
    "members_import",
    "members_import_stream",
    "person_create",
    "person_set_status",
    "person_transfer",
    "reorganization_confirm",
    "reorganization_prepare",
    "reorganization_withdraw",
    "unit_create",
    "unit_rename",
    "unit_split",
    "units_import",
    "units_merge",
]
