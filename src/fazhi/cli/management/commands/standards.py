"""``fazhi standards``: check, import, export and list scoring standards.

    fazhi standards check FILE
    fazhi standards import FILE --owner ORG_CODE [--as USERNAME] [--dry-run]
    fazhi standards export CODE [--version V] [--format yaml|xlsx] [-o FILE]
    fazhi standards list

A file is YAML (``.yaml``/``.yml``) or XLSX (``.xlsx``), told by its extension; the format is
``docs/indicator-format.md``. ``check`` and ``import`` print every problem of a file on stderr
and exit 1 (nothing is saved). ``import`` saves a draft owned by the organisation with that code;
``--as`` names the user the audit log records (they must be allowed to change standards there).
``export`` writes the given version, or else the latest published version, or else (when none
is published) the latest version of any status; YAML goes to stdout unless ``-o`` is given, XLSX
needs ``-o``.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from fazhi.core.errors import DomainError
from fazhi.core.i18n import translate
from fazhi.indicators import formats
from fazhi.indicators.selectors import standard_latest, standards_all
from fazhi.indicators.services import StandardProblems, standard_import, standard_to_spec
from fazhi.indicators.spec import Standard as SpecStandard
from fazhi.indicators.validation import StandardError, StandardInvalid, points_text
from fazhi.orgs import roles
from fazhi.orgs.access import has_capability
from fazhi.orgs.models import Org, User

LOADERS = {".yaml": formats.load_yaml, ".yml": formats.load_yaml, ".xlsx": formats.load_xlsx}


def describe(error: StandardError) -> str:
    return f"{error.where}: {translate(error.message)} [{error.rule}]"


class Command(BaseCommand):
    help = "Check, import, export and list scoring standards (YAML or XLSX files, docs/indicator-format.md)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{check,import,export,list}")
        check = actions.add_parser("check", help="validate a file and report every problem (exit 1 if any)")
        check.add_argument("file", type=Path, help="a .yaml, .yml or .xlsx file")
        load = actions.add_parser("import", help="save a file's standard as a draft")
        load.add_argument("file", type=Path, help="a .yaml, .yml or .xlsx file")
        load.add_argument(
            "--owner", required=True, metavar="ORG_CODE", help="the code of the organisation that owns it"
        )
        load.add_argument(
            "--as",
            dest="username",
            help="the user recorded in the audit log; must be allowed to change standards of the owner",
        )
        load.add_argument("--dry-run", action="store_true", help="check everything, save nothing")
        export = actions.add_parser("export", help="write a standard as YAML or XLSX")
        export.add_argument("code", help="the standard's code")
        export.add_argument(
            "--version", dest="standard_version", help="default: latest published, else latest of any status"
        )
        export.add_argument("--format", choices=("yaml", "xlsx"), help="default: from -o's extension, else yaml")
        export.add_argument("-o", "--output", type=Path, help="the file to write (default: stdout, YAML only)")
        actions.add_parser("list", help="every standard: code, version, status, owner, title")

    def handle(self, *, action: str, **options):
        handlers = {"check": self.do_check, "import": self.do_import, "export": self.do_export, "list": self.do_list}
        handlers[action](**options)

    # --- reading files (handlers are named do_*: BaseCommand has a check() of its own) ---------------

    def read(self, file: Path) -> SpecStandard:
        loader = LOADERS.get(file.suffix.lower())
        if loader is None:
            raise CommandError(
                _("%(file)s: the file name must end in .yaml, .yml or .xlsx.") % {"file": file}, returncode=1
            )
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(reason)s") % {"file": file, "reason": exc.strerror}, returncode=1
            ) from None
        try:
            return loader(data, max_bytes=settings.FAZHI_STANDARD_MAX_KB * 1024)
        except StandardInvalid as invalid:
            self.refuse(file, invalid.errors)

    def refuse(self, file: Path, errors: list[StandardError]):
        for error in errors:
            self.stderr.write(f"{file}: {describe(error)}")
        raise CommandError(
            _("%(file)s: nothing was saved; problems found: %(count)d.") % {"file": file, "count": len(errors)},
            returncode=1,
        )

    def summary(self, std: SpecStandard) -> str:
        return _("%(code)s %(version)s «%(title)s»: %(count)d indicators, %(points)s points") % {
            "code": std.code,
            "version": std.version,
            "title": std.title,
            "count": sum(1 for _node in std.walk()),
            "points": points_text(std.total),
        }

    # --- check ------------------------------------------------------------------------------------

    def do_check(self, *, file: Path, **options):
        std = self.read(file)
        self.stdout.write(_("Valid: %(summary)s") % {"summary": self.summary(std)})

    # --- import -----------------------------------------------------------------------------------

    def do_import(self, *, file: Path, owner: str, username: str | None, dry_run: bool, **options):
        try:
            owner_org = Org.objects.get(code=owner.strip().upper(), is_active=True)
        except Org.DoesNotExist:
            raise CommandError(_("No active organisation has the code %(code)s.") % {"code": owner}) from None
        actor = None
        if username:
            actor = User.objects.filter(username=username, is_active=True).first()
            if actor is None:
                raise CommandError(_("No active user named %(username)s.") % {"username": username})
            if not has_capability(actor, roles.STANDARD_CHANGE, owner_org):
                raise CommandError(
                    _("%(username)s may not change the scoring standards of %(org)s.")
                    % {"username": username, "org": owner_org.name}
                )
        std = self.read(file)
        try:
            standard = standard_import(actor=actor, owner_org=owner_org, spec=std, dry_run=dry_run)
        except StandardProblems as refused:
            self.refuse(file, refused.problems)
        except DomainError as refused:
            raise CommandError(f"{file}: {refused.message}", returncode=1) from None
        if standard is None:
            self.stdout.write(_("Dry run, nothing saved: %(summary)s") % {"summary": self.summary(std)})
        else:
            self.stdout.write(
                _("Imported as a draft of %(org)s: %(summary)s") % {"org": owner_org.name, "summary": self.summary(std)}
            )

    # --- export -----------------------------------------------------------------------------------

    def do_export(self, *, code: str, standard_version: str | None, format: str | None, output: Path | None, **options):
        standard = standard_latest(code, version=standard_version)
        if standard is None:
            if standard_version is None:
                raise CommandError(_("No standard has the code %(code)s.") % {"code": code})
            raise CommandError(
                _("Standard %(code)s has no version %(version)s.") % {"code": code, "version": standard_version}
            )
        if format is None:
            format = "xlsx" if output is not None and output.suffix.lower() == ".xlsx" else "yaml"
        std = standard_to_spec(standard)
        if format == "xlsx":
            if output is None:
                raise CommandError(_("XLSX is written to a file: give one with -o."))
            data = formats.dump_xlsx(std)
        else:
            data = formats.dump_yaml(std)
        if output is None:
            self.stdout.write(data.decode("utf-8"), ending="")
            return
        try:
            output.write_bytes(data)
        except OSError as exc:
            raise CommandError(
                _("Cannot write %(file)s: %(reason)s") % {"file": output, "reason": exc.strerror}
            ) from None
        self.stderr.write(
            _("Wrote %(file)s: %(code)s %(version)s (%(status)s)")
            % {
                "file": output,
                "code": standard.code,
                "version": standard.version,
                "status": standard.get_status_display(),
            }
        )

    # --- list -------------------------------------------------------------------------------------

    def do_list(self, **options):
        for standard in standards_all():
            self.stdout.write(
                "\t".join(
                    (
                        standard.code,
                        standard.version,
                        standard.get_status_display(),
                        standard.owner_org.code,
                        standard.owner_org.name,
                        standard.title,
                    )
                )
            )
