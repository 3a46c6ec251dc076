"""Reading and checking XLSX and CSV files of units and members before anything is written.

`read_table` turns a file into rows; `check_units` and `check_members` collect every problem
as (row number, column, message) in the user's language, so one upload shows all that is
wrong. The actions `units_import` and `members_import` write only a file without problems.
Row numbers are the spreadsheet's: the header is row 1, the first data row is row 2.

One module per area: `table` (columns, problems, reading CSV and XLSX), `values` (dates,
choices, the units the actor may see, the checks rows share), `units` and `members` (the
checks of each kind of file).
"""

from daihoi.organizations.imports.members import MemberRow, check_members
from daihoi.organizations.imports.table import (
    LOOKUP_CHUNK,
    MEMBER_COLUMNS,
    MEMBER_REQUIRED,
    UNIT_COLUMNS,
    UNIT_REQUIRED,
    ImportRejected,
    Problem,
    Table,
    read_csv,
    read_table,
    read_xlsx,
)
from daihoi.organizations.imports.units import UnitRow, check_units
from daihoi.organizations.imports.values import (
    KnownUnit,
    UnitIndex,
    choice_lookup,
    common_path,
    parse_date,
)

__all__ = [
    "LOOKUP_CHUNK",
    "MEMBER_COLUMNS",
    "MEMBER_REQUIRED",
    "UNIT_COLUMNS",
    "UNIT_REQUIRED",
    "ImportRejected",
    "KnownUnit",
    "MemberRow",
    "Problem",
    "Table",
    "UnitIndex",
    "UnitRow",
    "check_members",
    "check_units",
    "choice_lookup",
    "common_path",
    "parse_date",
    "read_csv",
    "read_table",
    "read_xlsx",
]
