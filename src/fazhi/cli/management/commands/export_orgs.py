from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from fazhi.cli.management.commands._spreadsheets import acting_user
from fazhi.core.xlsx import export_rows
from fazhi.orgs import roles
from fazhi.orgs.access import has_capability
from fazhi.orgs.importers import OrgImporter, org_export_rows
from fazhi.orgs.models import Org


class Command(BaseCommand):
    help = "Export an organisation and everything under it to .xlsx, in the columns the org import reads."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the .xlsx file to write")
        parser.add_argument("--root", required=True, help="the code of the organisation to export with its subtree")
        parser.add_argument("--as", dest="username", help="export only if this user may see the root organisation")

    def handle(self, *, file: Path, root: str, username: str | None, **options):
        try:
            org = Org.objects.get(code=root.strip().upper())
        except Org.DoesNotExist:
            raise CommandError(_("No organisation has code %(code)s.") % {"code": root}) from None
        if username is not None:
            user = acting_user(username, roles.ORG_VIEW)
            if not has_capability(user, roles.ORG_VIEW, org):
                raise CommandError(_("No organisation has code %(code)s.") % {"code": root})
        rows = list(org_export_rows(root=org))
        try:
            file.write_bytes(export_rows(OrgImporter, rows))
        except OSError as exc:
            raise CommandError(
                _("Cannot write %(file)s: %(reason)s") % {"file": file, "reason": exc.strerror}
            ) from None
        self.stdout.write(_("Wrote %(count)d organisations to %(file)s.") % {"count": len(rows), "file": file})
