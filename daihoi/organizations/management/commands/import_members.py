from daihoi.organizations.actions import members_import
from daihoi.organizations.management.importing import ImportCommand


class Command(ImportCommand):
    help = "Import members from an XLSX or CSV file: all rows or none."
    action = members_import
    what = "members"
