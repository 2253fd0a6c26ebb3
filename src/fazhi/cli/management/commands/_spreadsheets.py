"""What the import commands share: find the acting user, read the file, run the import with a
progress line, print every error and exit non-zero when the import is refused."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from fazhi.core.imports import Importer, import_run
from fazhi.orgs.access import has_any_capability
from fazhi.orgs.models import User


def acting_user(username: str, capability: str) -> User:
    try:
        user = User.objects.get(username=username, is_active=True)
    except User.DoesNotExist:
        raise CommandError(_("No active user named %(username)s.") % {"username": username}) from None
    if not has_any_capability(user, capability):
        raise CommandError(_("%(username)s may not do this anywhere.") % {"username": username})
    return user


class ImportCommand(BaseCommand):
    importer: type[Importer]
    capability: str

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the .xlsx file to import")
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            help="import as this user: their scope decides what the file may touch, and the audit log names them",
        )
        parser.add_argument("--dry-run", action="store_true", help="check every row and report, but write nothing")

    def progress(self, stage: str, done: int, total: int) -> None:
        if not self.show_progress:
            return
        line = f"{stage} {done}/{total}" if total else stage
        self.stderr.write(f"\r{line:<60}", ending="")
        self.stderr.flush()

    def handle(self, *, file: Path, username: str, dry_run: bool, verbosity: int, **options):
        actor = acting_user(username, self.capability)
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(_("Cannot read %(file)s: %(reason)s") % {"file": file, "reason": exc.strerror}) from None
        self.show_progress = verbosity > 0
        result = import_run(self.importer(actor=actor), data, dry_run=dry_run, progress=self.progress)
        if self.show_progress:
            self.stderr.write("\r" + " " * 60 + "\r", ending="")
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("Refused: %(count)d errors; nothing was written.") % {"count": len(result.errors)}, returncode=1
            )
        for line in result.lines:
            self.stdout.write(line)
        sys.stdout.flush()
