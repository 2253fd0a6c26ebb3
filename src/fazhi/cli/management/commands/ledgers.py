"""``fazhi ledgers``: the ledgers' spreadsheets, daily job and deadline board from the command line.

    fazhi ledgers import KEY FILE --as USER [--dry-run]
    fazhi ledgers export KEY FILE [--as USER] [--org CODE]
    fazhi ledgers template KEY FILE
    fazhi ledgers daily [--date YYYY-MM-DD]
    fazhi ledgers deadlines [--org CODE] [--as USER] [--date YYYY-MM-DD]

``KEY`` is an importer's key in the ledgers' registry (``fazhi.ledgers.common.registry.importers()``:
``documents``, ``disputes.mediation``, …, and ``calendar`` for the working-day calendar); an unknown key lists the
known ones. ``import`` prints its progress on stderr and, when the file is refused, every error as
``row N, column X «v»: reason`` on stderr and exits with status 1 — as ``fazhi import_orgs`` does. ``--as`` names
the acting user: their scope decides what the file may touch, and the audit log names them. ``export`` works for
importers that define ``export_rows`` (docs/ledgers.md). ``daily`` runs every ledger's daily job (cron or a
systemd timer, once a day) and prints one line per ledger. ``deadlines`` prints the deadline board.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.cli.management.commands._spreadsheets import acting_user
from fazhi.core.imports import import_run
from fazhi.core.xlsx import export_rows, import_template
from fazhi.ledgers.common import registry
from fazhi.ledgers.common.board import board_scope, deadline_board
from fazhi.ledgers.common.importing import export_dicts, export_scope, importer_allowed, importer_exports
from fazhi.orgs import roles
from fazhi.orgs.access import has_capability
from fazhi.orgs.models import Org, User


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(_("%(text)s is not a date (YYYY-MM-DD).") % {"text": text}, returncode=2) from None


def _importer(key: str):
    importers = registry.importers()
    if key not in importers:
        raise CommandError(
            _("No importer has the key %(key)s. The keys are: %(keys)s.")
            % {"key": key, "keys": ", ".join(importers) or "—"},
            returncode=2,
        )
    return importers[key]


def _org(code: str) -> Org:
    try:
        return Org.objects.get(code=code.strip().upper())
    except Org.DoesNotExist:
        raise CommandError(_("No organisation has code %(code)s.") % {"code": code}) from None


def _user(username: str) -> User:
    return acting_user(username, roles.LEDGER_VIEW)


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise CommandError(_("Cannot write %(file)s: %(reason)s") % {"file": path, "reason": exc.strerror}) from None


# --- import ----------------------------------------------------------------------------------------------------


def add_import(parser) -> None:
    parser.add_argument("key", help="the importer's key (e.g. documents, disputes.mediation, calendar)")
    parser.add_argument("file", type=Path, help="the .xlsx file to import")
    parser.add_argument(
        "--as",
        dest="username",
        required=True,
        help="import as this user: their scope decides what the file may touch, and the audit log names them",
    )
    parser.add_argument("--dry-run", action="store_true", help="check every row and report, but write nothing")


def do_import(command, *, key: str, file: Path, username: str, dry_run: bool, verbosity: int, **options) -> None:
    importer = _importer(key)
    try:
        actor = User.objects.get(username=username, is_active=True)
    except User.DoesNotExist:
        raise CommandError(_("No active user named %(username)s.") % {"username": username}) from None
    if not importer_allowed(importer, actor):
        raise CommandError(_("%(username)s may not do this anywhere.") % {"username": username})
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise CommandError(_("Cannot read %(file)s: %(reason)s") % {"file": file, "reason": exc.strerror}) from None
    show_progress = verbosity > 0

    def progress(stage: str, done: int, total: int) -> None:
        if show_progress:
            line = f"{stage} {done}/{total}" if total else stage
            command.stderr.write(f"\r{line:<60}", ending="")
            command.stderr.flush()

    result = import_run(importer(actor=actor), data, dry_run=dry_run, progress=progress)
    if show_progress:
        command.stderr.write("\r" + " " * 60 + "\r", ending="")
    if not result.ok:
        for error in result.errors:
            command.stderr.write(str(error))
        raise CommandError(
            _("Refused: %(count)d errors; nothing was written.") % {"count": len(result.errors)}, returncode=1
        )
    for line in result.lines:
        command.stdout.write(line)
    sys.stdout.flush()


# --- export and template ---------------------------------------------------------------------------------------


def add_export(parser) -> None:
    parser.add_argument("key", help="the importer's key")
    parser.add_argument("file", type=Path, help="the .xlsx file to write")
    parser.add_argument("--as", dest="username", help="export only what this user may see (default: everything)")
    parser.add_argument("--org", help="only this organisation's subtree (its code)")


def do_export(command, *, key: str, file: Path, username: str | None, org: str | None, **options) -> None:
    importer = _importer(key)
    if not importer_exports(importer):
        raise CommandError(_("The importer %(key)s has no export.") % {"key": key}, returncode=2)
    user = _user(username) if username else None
    root = _org(org) if org else None
    if root is not None and user is not None and not has_capability(user, roles.LEDGER_VIEW, root):
        raise CommandError(_("No organisation has code %(code)s.") % {"code": org})
    rows = export_dicts(importer, export_scope(user, root), actor=user, key=key, org=root)
    _write(file, export_rows(importer, rows))
    command.stdout.write(_("Wrote %(count)d rows to %(file)s.") % {"count": len(rows), "file": file})


def add_template(parser) -> None:
    parser.add_argument("key", help="the importer's key")
    parser.add_argument("file", type=Path, help="the .xlsx file to write")


def do_template(command, *, key: str, file: Path, **options) -> None:
    importer = _importer(key)
    _write(file, import_template(importer))
    command.stdout.write(_("Wrote the template of %(key)s to %(file)s.") % {"key": key, "file": file})


# --- daily -----------------------------------------------------------------------------------------------------


def add_daily(parser) -> None:
    parser.add_argument("--date", help="the date to act as today (YYYY-MM-DD); default: the real today")


def do_daily(command, *, date: str | None = None, **options) -> None:
    today = _date(date) if date else timezone.localdate()
    ran = 0
    for info in registry.ledgers():
        if info.daily is None:
            continue
        command.stdout.write(f"{info.title}: {info.daily(today)}")
        ran += 1
    command.stdout.write(
        _("%(date)s: ran the daily job of %(count)d ledgers.") % {"date": today.isoformat(), "count": ran}
    )


# --- deadlines -------------------------------------------------------------------------------------------------


def add_deadlines(parser) -> None:
    parser.add_argument("--org", help="the organisation (its code) whose subtree to show; default: everything")
    parser.add_argument("--as", dest="username", help="show only what this user may see")
    parser.add_argument("--date", help="the date to act as today (YYYY-MM-DD); default: the real today")


def do_deadlines(
    command, *, org: str | None = None, username: str | None = None, date: str | None = None, **options
) -> None:
    today = _date(date) if date else timezone.localdate()
    user = _user(username) if username else None
    root = _org(org) if org else None
    if root is not None and user is not None and not has_capability(user, roles.LEDGER_VIEW, root):
        raise CommandError(_("No organisation has code %(code)s.") % {"code": org})
    scope = board_scope(user, root) if (user is not None or root is not None) else Q()
    board = deadline_board(scope=scope, today=today)
    for heading, rows in ((_("Overdue"), board.overdue), (_("Due soon"), board.due_soon)):
        command.stdout.write(f"{heading} ({len(rows)})")
        for row in rows:
            d = row.deadline
            late = " " + _("%(days)d days late") % {"days": row.days_late} if row.days_late > 0 else ""
            command.stdout.write(
                f"  {d.due.isoformat()}{late}  {row.ledger_title}  {d.what}  {d.record}  {d.org_name}  {d.url}"
            )


SUBCOMMANDS = {
    "import": ("import a ledger's spreadsheet (all rows or none)", add_import, do_import),
    "export": ("export a ledger's records in its import columns", add_export, do_export),
    "template": ("write a ledger's import template", add_template, do_template),
    "daily": ("run every ledger's daily job", add_daily, do_daily),
    "deadlines": ("print the deadline board", add_deadlines, do_deadlines),
}


class Command(BaseCommand):
    help = "The ledgers: import, export, template, the daily job, the deadline board."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{" + ",".join(SUBCOMMANDS) + "}")
        for name, (help_text, add, _run) in SUBCOMMANDS.items():
            add(actions.add_parser(name, help=help_text))

    def handle(self, *, action: str, **options):
        SUBCOMMANDS[action][2](self, **options)
