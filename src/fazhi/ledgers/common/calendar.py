"""The working-day calendar's administration: who may enter days, the form, and the XLSX import.

The calendar serves the whole installation, so only an administrator of a top-level organisation (one with no
parent: ``orgs.roles.ORG_CHANGE`` over it) or a superuser may enter or delete days; everyone with
``LEDGER_VIEW`` may read the page. The import is registered with the ledgers' importers under the key
``calendar``, so it runs on the one import page (``/ledgers/import/calendar/``) and from
``fazhi ledgers import calendar FILE --as USER``.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from fazhi.core.cells import Choice, date, text
from fazhi.core.errors import DomainError
from fazhi.core.forms import BootstrapForm
from fazhi.core.import_spec import Column, Importer, Row, RowRefused
from fazhi.core.models import CalendarDay
from fazhi.core.workdays import calendar_day_check, calendar_days_add_many
from fazhi.orgs import roles
from fazhi.orgs.access import scope_paths
from fazhi.orgs.models import PATH_STEP, Org

IMPORT_KEY = "calendar"

HOLIDAY, WORKDAY = "holiday", "workday"
KIND_CHOICES = ((HOLIDAY, gettext_lazy("Holiday")), (WORKDAY, gettext_lazy("Swapped workday")))
KIND_ALIASES = {HOLIDAY: ("放假", "休息", "假日", "节假日"), WORKDAY: ("调休上班", "上班", "补班", "工作日")}


def calendar_may_change(user) -> bool:
    """An administrator of a top-level organisation, or a superuser (no query: the grants are cached)."""
    if not getattr(user, "is_authenticated", False):
        return False
    paths = scope_paths(user, roles.ORG_CHANGE)
    return paths is None or any(len(path) == PATH_STEP for path in paths)


def calendar_audit_org(user) -> Org | None:
    """The top-level organisation whose administrators see the user's calendar changes in the audit log (the
    first one the user administers); None for a superuser without such a role (superusers see every event)."""
    paths = [path for path in scope_paths(user, roles.ORG_CHANGE) or () if len(path) == PATH_STEP]
    return Org.objects.filter(path__in=paths).order_by("path").first() if paths else None


class CalendarDayForm(BootstrapForm):
    date = forms.DateField(label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=KIND_CHOICES)
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("The holiday, e.g. 元旦, 春节; for a swapped workday, e.g. 春节调休."),
    )


class CalendarDayImporter(Importer):
    """One row per holiday or swapped workday of a year the official calendar data does not cover."""

    kind = "core.calendar"
    title = gettext_lazy("Import holidays and swapped workdays")
    sheet_name = "节假日"
    columns = (
        Column("date", "日期", gettext_lazy("Date"), required=True, parse=date(), example="2027-01-01"),
        Column(
            "kind",
            "类型",
            gettext_lazy("Kind"),
            required=True,
            parse=Choice(KIND_CHOICES, KIND_ALIASES),
            help=gettext_lazy("a holiday (放假), or a Saturday or Sunday that is a working day (调休上班)"),
        ),
        Column("name", "名称", gettext_lazy("Name"), parse=text(max_length=100), example="元旦"),
    )
    notes = (
        gettext_lazy(
            "Enter every holiday and every swapped workday of the year from the State Council's notice at once: "
            "as soon as one day of a year is entered, the year counts as entered, and its other days are "
            "working days from Monday to Friday."
        ),
    )
    example_rows = (
        {"date": dt.date(2027, 1, 1), "kind": HOLIDAY, "name": "元旦"},
        {"date": dt.date(2027, 2, 6), "kind": WORKDAY, "name": "春节调休"},
    )

    @classmethod
    def allowed(cls, user) -> bool:
        return calendar_may_change(user)

    @classmethod
    def export_rows(cls, scope):
        """Every entered day (the calendar is the installation's, so ``scope`` does not narrow it)."""
        for day in CalendarDay.objects.order_by("date"):
            yield {"date": day.date, "kind": WORKDAY if day.is_working_day else HOLIDAY, "name": day.name}

    capability: ClassVar[str] = roles.ORG_CHANGE

    def prepare(self, rows: list[Row]) -> None:
        dates = [row["date"] for row in rows if row["date"] is not None]
        self.taken = set(CalendarDay.objects.filter(date__in=dates).values_list("date", flat=True))
        self.seen: dict = {}

    def check_row(self, row: Row) -> None:
        day = row["date"]
        if day is None or row["kind"] is None:
            return
        if day in self.seen:
            row.error("date", _("the same date as row %(row)d") % {"row": self.seen[day]})
            return
        self.seen[day] = row.number
        try:
            calendar_day_check(day, row["kind"] == WORKDAY, taken=day in self.taken)
        except DomainError as exc:
            row.error("date", f"{exc.message} ({exc.rule})")

    def write(self, rows: list[Row]) -> list[str]:
        try:
            created = calendar_days_add_many(
                actor=self.actor,
                org=calendar_audit_org(self.actor),
                days=[(row["date"], row["kind"] == WORKDAY, row.get("name", "")) for row in rows],
            )
        except DomainError as exc:
            raise RowRefused(rows[0], exc.field, exc.message) from None
        years = sorted({day.year for day in created})
        return [
            ngettext("Entered %(count)d day of %(years)s.", "Entered %(count)d days of %(years)s.", len(created))
            % {"count": len(created), "years": "、".join(str(year) for year in years)}
        ]
