"""``fazhi metrics``: read the metrics computed from the ledgers.

    fazhi metrics list
    fazhi metrics show CODE --org ORG_CODE [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--as USER]

``list`` prints every registered metric with its title and formula. ``show`` prints one metric's title, value,
numerator and denominator for the org's whole subtree and the period (default: the current year). Without
``--as`` it reads as the operator (every org); with ``--as USER`` only within that user's LEDGER_VIEW scope,
as the pages and the API do. It exits with status 2 for an unknown metric (naming the close ones), an unknown
org, or dates in the wrong order.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.core.errors import DomainError
from fazhi.metrics import selectors
from fazhi.orgs.models import Org, User


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(_("%(text)s is not a date (YYYY-MM-DD).") % {"text": text}, returncode=2) from None


def add_list(parser) -> None:
    pass


def do_list(command: BaseCommand, **options) -> None:
    groups = selectors.metrics_by_ledger()
    for _name, title, group in groups:
        command.stdout.write(f"# {title}")
        for metric in group:
            command.stdout.write(f"{metric.code}\t{metric.title}\t{metric.formula}")
    if not groups:
        command.stdout.write(_("No metric is registered."))


def add_show(parser) -> None:
    parser.add_argument("code", help="the metric's code, e.g. disputes.mediation_success_rate")
    parser.add_argument("--org", required=True, help="the org's code: the figure is for its whole subtree")
    parser.add_argument("--from", dest="start", help="the period's first day (YYYY-MM-DD); default: 1 January")
    parser.add_argument("--to", dest="end", help="the period's last day (YYYY-MM-DD); default: 31 December")
    parser.add_argument("--as", dest="username", help="read within this user's scope; default: every org")


def _metric(code: str):
    metric = selectors.metric_find(code)
    if metric is not None:
        return metric
    close = selectors.metric_close_codes(code)
    message = _("There is no metric %(code)s.") % {"code": code}
    if close:
        message += " " + _("Did you mean: %(codes)s?") % {"codes": ", ".join(close)}
    else:
        message += " " + _("`fazhi metrics list` shows them all.")
    raise CommandError(message, returncode=2)


def _org(code: str, username: str | None) -> Org:
    if username is None:
        org = Org.objects.filter(code=code.strip().upper()).first()
    else:
        try:
            user = User.objects.get(username=username, is_active=True)
        except User.DoesNotExist:
            raise CommandError(_("No active user named %(username)s.") % {"username": username}, returncode=2) from None
        org = selectors.metric_org_for_user(user=user, code=code)
    if org is None:
        if username is None:
            message = _("There is no organisation with the code %(code)s.") % {"code": code}
        else:
            message = _("There is no organisation with the code %(code)s in the scope of %(username)s.") % {
                "code": code,
                "username": username,
            }
        raise CommandError(message, returncode=2)
    return org


def do_show(
    command: BaseCommand,
    *,
    code: str,
    org: str,
    start: str | None = None,
    end: str | None = None,
    username: str | None = None,
    **options,
) -> None:
    metric = _metric(code)
    found = _org(org, username)
    default_start, default_end = selectors.period_default(timezone.localdate())
    first, last = (_date(start) if start else default_start), (_date(end) if end else default_end)
    try:
        (figure,) = selectors.metric_compute(metric, [found], first, last)
    except DomainError as error:
        raise CommandError(error.message, returncode=2) from None
    lines = [
        (_("Metric"), f"{metric.title} ({metric.code})"),
        (_("Formula"), str(metric.formula)),
        (_("Organisation"), f"{found.name} ({found.code}) {_('and everything under it')}"),
        (_("Period"), f"{first.isoformat()} – {last.isoformat()}"),
        (_("Value"), selectors.metric_display(metric, figure.value)),
        (_("Numerator"), str(figure.numerator)),
    ]
    if figure.denominator is not None:
        lines.append((_("Denominator"), str(figure.denominator)))
    for label, value in lines:
        command.stdout.write(f"{label}: {value}")


# name -> (help, add the arguments, run)
SUBCOMMANDS = {
    "list": ("every registered metric with its title and formula", add_list, do_list),
    "show": ("one metric's value, numerator and denominator for an org subtree and a period", add_show, do_show),
}


class Command(BaseCommand):
    help = "Metrics computed from the ledgers: list them (list); one for an org subtree and a period (show)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{" + ",".join(SUBCOMMANDS) + "}")
        for name, (help_text, add, _run) in SUBCOMMANDS.items():
            add(actions.add_parser(name, help=help_text))

    def handle(self, *, action: str, **options):
        SUBCOMMANDS[action][2](self, **options)
