"""Working-day clocks for services: the official calendar plus the years administrators entered.

``add_working_days(start, days)`` is what every ledger calls; a clock that runs into a year neither the official
data nor an administrator covers is refused with a ``DomainError`` naming the year. The entered days are read at
most once per call, and only when the clock leaves the official data; code that runs many clocks (an import)
makes one :class:`WorkingDays` and calls its ``add`` for each row, so the entered days are read once in all.

The entered days are written by ``calendar_day_add`` / ``calendar_day_delete`` / ``calendar_days_add_many``
(audited); who may call them is the pages' business (``fazhi.ledgers.common.calendar``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fazhi.core import calendar
from fazhi.core.audit import audit_record, audit_record_many
from fazhi.core.errors import DomainError
from fazhi.core.i18n import translate
from fazhi.core.models import CalendarDay

# ---------------------------------------------------------------------------------------------
# Clocks


def year_not_covered_error(year: int, *, field: str | None = None) -> DomainError:
    return DomainError(
        _(
            "The working-day calendar has no data for %(year)s: the State Council has not announced its holidays "
            "yet. An administrator can enter that year's holidays and swapped workdays on the calendar page."
        )
        % {"year": year},
        rule="calendar.year_not_covered",
        field=field,
    )


@dataclass(frozen=True)
class EnteredDays:
    """What administrators entered: date → is a working day, and the years with at least one entered day."""

    days: dict[dt.date, bool]
    years: frozenset[int]


def entered_days() -> EnteredDays:
    """Every entered day, in one query (a few dozen rows a year)."""
    days = dict(CalendarDay.objects.values_list("date", "is_working_day"))
    return EnteredDays(days=days, years=frozenset(day.year for day in days))


class WorkingDays:
    """Working-day clocks on the official calendar and the entered days, which are read once, when first needed."""

    def __init__(self, entered: EnteredDays | None = None):
        self._entered = entered

    @property
    def entered(self) -> EnteredDays:
        if self._entered is None:
            self._entered = entered_days()
        return self._entered

    def add(self, start: dt.date, days: int, *, field: str | None = None) -> dt.date:
        """The day a clock of ``days`` working days started on ``start`` runs out (``start`` not counted)."""
        try:
            return calendar.add_working_days(start, days)  # the official data alone: no query
        except calendar.YearNotCovered:
            pass
        entered = self.entered
        try:
            return calendar.add_working_days(start, days, extra=entered.days, entered_years=entered.years)
        except calendar.YearNotCovered as exc:
            raise year_not_covered_error(exc.year, field=field) from None

    def is_working_day(self, day: dt.date, *, field: str | None = None) -> bool:
        try:
            return calendar.is_working_day(day)
        except calendar.YearNotCovered:
            pass
        entered = self.entered
        try:
            return calendar.is_working_day(day, extra=entered.days, entered_years=entered.years)
        except calendar.YearNotCovered as exc:
            raise year_not_covered_error(exc.year, field=field) from None


def add_working_days(start: dt.date, days: int, *, field: str | None = None) -> dt.date:
    """The day a clock of ``days`` working days started on ``start`` runs out; at most one query."""
    return WorkingDays().add(start, days, field=field)


# ---------------------------------------------------------------------------------------------
# Entered days: reading


@dataclass(frozen=True)
class EnteredYear:
    year: int
    days: list[CalendarDay]

    @property
    def holidays(self) -> int:
        return sum(1 for day in self.days if not day.is_working_day)

    @property
    def workdays(self) -> int:
        return sum(1 for day in self.days if day.is_working_day)


def calendar_years() -> list[EnteredYear]:
    """The entered years, newest first, each with its days in date order (one query)."""
    by_year: dict[int, list[CalendarDay]] = {}
    for day in CalendarDay.objects.order_by("date"):
        by_year.setdefault(day.year, []).append(day)
    return [EnteredYear(year, days) for year, days in sorted(by_year.items(), reverse=True)]


def calendar_day_get(pk) -> CalendarDay | None:
    try:
        return CalendarDay.objects.get(pk=pk)
    except (CalendarDay.DoesNotExist, ValueError, TypeError):
        return None


# ---------------------------------------------------------------------------------------------
# Entered days: writing (audited)


def calendar_day_check(day: dt.date, is_working_day: bool, *, taken: bool = False) -> None:
    """Raise DomainError (field ``date``) if the day may not be entered."""
    found = calendar.entered_day_problem(day, is_working_day)
    if found is not None:
        rule, problem = found
        raise DomainError(translate(problem), rule=rule, field="date")
    if taken:
        raise DomainError(
            _("%(date)s has been entered already; delete it first to change it.") % {"date": day.isoformat()},
            rule="calendar.day_exists",
            field="date",
        )


def _audit_values(day: CalendarDay) -> dict:
    return {"date": day.date, "is_working_day": day.is_working_day, "name": day.name}


def calendar_day_add(*, actor, date: dt.date, is_working_day: bool, name: str = "", org=None) -> CalendarDay:
    """Enter one holiday or swapped workday of a year the official data does not cover.

    ``org`` is the organisation the audit event is filed under (the administrator's top-level organisation, so
    its administrators see it in the audit log); without one, only superusers see the event."""
    name = (name or "").strip()
    with transaction.atomic():
        calendar_day_check(date, is_working_day, taken=CalendarDay.objects.filter(date=date).exists())
        day = CalendarDay.objects.create(year=date.year, date=date, is_working_day=is_working_day, name=name)
        audit_record(actor=actor, action="core.calendar_day.added", obj=day, org=org, new=_audit_values(day))
    return day


def calendar_days_add_many(*, actor, days: Iterable[tuple[dt.date, bool, str]], org=None) -> list[CalendarDay]:
    """Enter many days at once (the import): every day checked, all written or none, one audit event each
    (filed under ``org``, as in :func:`calendar_day_add`)."""
    days = list(days)
    with transaction.atomic():
        taken = set(CalendarDay.objects.filter(date__in=[d for d, _w, _n in days]).values_list("date", flat=True))
        seen: set[dt.date] = set()
        for date, is_working_day, _name in days:
            calendar_day_check(date, is_working_day, taken=date in taken or date in seen)
            seen.add(date)
        created = CalendarDay.objects.bulk_create(
            [
                CalendarDay(year=date.year, date=date, is_working_day=is_working_day, name=(name or "").strip())
                for date, is_working_day, name in days
            ]
        )
        if any(day.pk is None for day in created):  # backends that do not return ids from bulk_create
            created = list(CalendarDay.objects.filter(date__in=[day.date for day in created]))
        for day in created:
            day.org = org  # audit_record_many files each event under ``obj.org``
        audit_record_many(
            actor=actor, action="core.calendar_day.added", entries=[(day, None, _audit_values(day)) for day in created]
        )
    return created


def calendar_day_delete(*, actor, day: CalendarDay, org=None) -> None:
    with transaction.atomic():
        audit_record(actor=actor, action="core.calendar_day.deleted", obj=day, org=org, old=_audit_values(day))
        day.delete()


ACTION_LABELS = {
    "core.calendar_day.added": gettext_lazy("Calendar day entered"),
    "core.calendar_day.deleted": gettext_lazy("Calendar day deleted"),
}
