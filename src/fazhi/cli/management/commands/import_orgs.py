from fazhi.cli.management.commands._spreadsheets import ImportCommand
from fazhi.orgs import roles
from fazhi.orgs.importers import OrgImporter


class Command(ImportCommand):
    help = "Import organisations from an .xlsx file (the columns of the org import template)."
    importer = OrgImporter
    capability = roles.ORG_CHANGE
