from daihoi.organizations.actions import units_import
from daihoi.organizations.management.importing import ImportCommand


class Command(ImportCommand):
    help = "Import units from an XLSX or CSV file: all rows or none."
    action = units_import
    what = "units"
