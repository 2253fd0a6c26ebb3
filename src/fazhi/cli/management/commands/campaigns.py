"""``fazhi campaigns``: operator commands for creation campaigns.

    fazhi campaigns advance-due [--today YYYY-MM-DD]
    fazhi campaigns results CAMPAIGN [--format xlsx|csv|json] [-o FILE]     (added by the results area)

``advance-due`` moves every launched campaign whose current stage was planned to close before today to its
next stage, as the system (the audit log records no user), as far as the dates and each stage's
precondition allow; it prints what moved and, for each campaign that could not move, why. A cron job or a
systemd timer runs it once a day (``docs/deployment.md``). ``--today`` pretends another date (for a
catch-up run or a test).

Each sub-command is a function ``do_<name>(command, **options)`` registered in :data:`SUBCOMMANDS` with a
function adding its arguments; add a sub-command by adding both.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.campaigns.models import Stage
from fazhi.campaigns.services.stages import campaigns_advance_due


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(_("%(text)s is not a date (YYYY-MM-DD).") % {"text": text}, returncode=2) from None


# --- advance-due -----------------------------------------------------------------------------------------------


def add_advance_due(parser) -> None:
    parser.add_argument("--today", help="the date to act as today (YYYY-MM-DD); default: the real today")


def do_advance_due(command: BaseCommand, *, today: str | None = None, **options) -> None:
    day = _date(today) if today else timezone.localdate()
    report = campaigns_advance_due(today=day)
    for campaign, old, new in report.moved:
        command.stdout.write(
            _("Moved: %(campaign)s: %(old)s → %(new)s")
            % {"campaign": campaign, "old": Stage(old).label, "new": Stage(new).label}
        )
    for campaign, stage, why in report.blocked:
        command.stdout.write(
            _("Could not move: %(campaign)s (%(stage)s): %(why)s")
            % {"campaign": campaign, "stage": Stage(stage).label, "why": why}
        )
    command.stdout.write(
        _("%(date)s: %(moved)d stage changes, %(blocked)d campaigns could not move.")
        % {"date": day.isoformat(), "moved": len(report.moved), "blocked": len(report.blocked)}
    )


# --- results ----------------------------------------------------------------------------------------------------


def add_results(parser) -> None:
    parser.add_argument("campaign", type=int, help="the campaign's id")
    parser.add_argument("--format", choices=("xlsx", "csv", "json"), default="xlsx", help="default: xlsx")
    parser.add_argument("-o", "--output", help="the file to write; default: standard output (csv, json) or a file name")
    parser.add_argument("--sheets", action="store_true", help="export every submitted score sheet instead")
    parser.add_argument("--version", dest="result_version", type=int, help="the version number; default: the latest")


def do_results(
    command: BaseCommand,
    *,
    campaign: int,
    format: str = "xlsx",  # noqa: A002
    output: str | None = None,
    sheets: bool = False,
    result_version: int | None = None,
    **options,
) -> None:
    """The latest results version (published or not), a given version, or every score sheet, as a file.
    An operator's command: it reads the campaign whatever its organiser."""
    from fazhi.campaigns import exports
    from fazhi.campaigns.models import Campaign, ResultVersion

    found = Campaign.objects.select_related("standard").filter(pk=campaign).first()
    if found is None:
        raise CommandError(_("There is no campaign %(id)s.") % {"id": campaign}, returncode=2)
    if sheets:
        data, name = exports.sheets_export(found, format)
    else:
        versions = ResultVersion.objects.filter(campaign=found).order_by("-number")
        if result_version is not None:
            versions = versions.filter(number=result_version)
        version = versions.first()
        if version is None:
            raise CommandError(_("The campaign has no results version to export."), returncode=1)
        version.campaign = found
        data, name = exports.results_export(version, format)
    if output is None and format == "xlsx":
        output = name
    if output is None or output == "-":
        command.stdout.write(data.decode("utf-8-sig"), ending="")
        return
    with open(output, "wb") as handle:
        handle.write(data)
    command.stderr.write(_("Wrote %(path)s (%(size)s bytes).") % {"path": output, "size": len(data)})


# name -> (help, add the arguments, run)
SUBCOMMANDS = {
    "advance-due": (
        "advance every campaign whose current stage was planned to close before today",
        add_advance_due,
        do_advance_due,
    ),
    "results": ("export a campaign's results (or, with --sheets, every score sheet)", add_results, do_results),
}


class Command(BaseCommand):
    help = "Creation campaigns: advance stages whose dates ran out (advance-due); export results (results)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{" + ",".join(SUBCOMMANDS) + "}")
        for name, (help_text, add, _run) in SUBCOMMANDS.items():
            add(actions.add_parser(name, help=help_text))

    def handle(self, *, action: str, **options):
        SUBCOMMANDS[action][2](self, **options)
