from fazhi.cli.management.commands._spreadsheets import ImportCommand
from fazhi.orgs import roles
from fazhi.orgs.importers import UserImporter


class Command(ImportCommand):
    help = "Import user accounts and their roles from an .xlsx file (the columns of the user import template)."
    importer = UserImporter
    capability = roles.MEMBERSHIP_MANAGE
