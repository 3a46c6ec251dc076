"""Reading and checking files of units and members before anything is written.

`read_table` turns a file into rows: CSV, XLSX or a legacy XLS (python-calamine). Vietnamese
headers such as "Họ và tên" stand for the column codes, and a title block above the header row
is skipped. `check_units` and `check_members` collect every problem as (row number, column,
message) in the user's language, so one upload shows all that is wrong; a formula cell is
reported as a formula. The actions `units_import` and `members_import` write only a file
without problems. Row numbers are the spreadsheet's: the first data row follows the header.
A row for a unit or member already in the database, inside the actor's area, is that unit or
member again, so a unit's export imports again.

One module per area: `table` (columns, headers, problems, reading CSV, XLSX and XLS),
`values` (dates, choices, the units the actor may see, the checks rows share), `units` and
`members` (the checks of each kind of file).
"""

from daihoi.organizations.imports.members import check_members
from daihoi.organizations.imports.table import (
    MEMBER_COLUMNS,
    MEMBER_HEADERS_VI,
    MEMBER_REQUIRED,
    UNIT_COLUMNS,
    UNIT_HEADERS_VI,
    UNIT_REQUIRED,
    ImportRejected,
    Problem,
    Table,
    read_table,
)
from daihoi.organizations.imports.units import check_units
from daihoi.organizations.imports.values import (
    UnitIndex,
    common_path,
)

__all__ = [
    "MEMBER_COLUMNS",
    "MEMBER_HEADERS_VI",
    "MEMBER_REQUIRED",
    "UNIT_COLUMNS",
    "UNIT_HEADERS_VI",
    "UNIT_REQUIRED",
    "ImportRejected",
    "Problem",
    "Table",
    "UnitIndex",
    "check_members",
    "check_units",
    "common_path",
    "read_table",
]
