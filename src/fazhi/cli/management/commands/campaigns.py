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
from fazhi.campaigns.services.campaigns import campaigns_advance_due


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


# --- results: the results area adds add_results / do_results here ------------------------------------------------

# name -> (help, add the arguments, run)
SUBCOMMANDS = {
    "advance-due": (
        "advance every campaign whose current stage was planned to close before today",
        add_advance_due,
        do_advance_due,
    ),
    # "results": ("export a campaign's results", add_results, do_results),
}


class Command(BaseCommand):
    help = "Creation campaigns: advance stages whose dates ran out (advance-due)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{" + ",".join(SUBCOMMANDS) + "}")
        for name, (help_text, add, _run) in SUBCOMMANDS.items():
            add(actions.add_parser(name, help=help_text))

    def handle(self, *, action: str, **options):
        SUBCOMMANDS[action][2](self, **options)
