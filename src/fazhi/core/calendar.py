"""Working days on the official calendar: holidays and swapped workdays (调休). Pure, no Django.

The official data comes from the ``chinesecalendar`` package, which covers the years the State Council has
announced (today up to 2026). For a year it does not cover, the caller may supply the days an administrator
entered (``extra``: date → is a working day, for each holiday and each swapped workday, and ``entered_years``: the
years with at least one entered day); any other day of an entered year is a working day from Monday to Friday.
A year neither covers raises ``YearNotCovered``. Where the official data exists it wins: entered days are only
for the years it does not cover.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping

import chinese_calendar

from fazhi.core.problems import Problem, gettext_noop


class YearNotCovered(Exception):
    def __init__(self, year: int):
        super().__init__(year)
        self.year = year


def official_covers(year: int) -> bool:
    """Whether the official data (the ``chinesecalendar`` package) has this year's holidays."""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def official_years() -> tuple[int, int]:
    """The first and last year the official data covers."""
    years = sorted({day.year for day in chinese_calendar.constants.holidays})
    return years[0], years[-1]


def is_working_day(
    day: dt.date, *, extra: Mapping[dt.date, bool] | None = None, entered_years: Collection[int] = ()
) -> bool:
    """Whether ``day`` is a working day: the official calendar first, then the entered days."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        pass
    if extra and day in extra:
        return extra[day]
    if day.year in entered_years:
        return day.weekday() < 5
    raise YearNotCovered(day.year)


def add_working_days(
    start: dt.date,
    days: int,
    *,
    extra: Mapping[dt.date, bool] | None = None,
    entered_years: Collection[int] = (),
) -> dt.date:
    """The day on which a clock of ``days`` working days that starts on ``start`` runs out.

    ``start`` itself is not counted (a request received on Friday 1st has its first working day on Monday).
    """
    if days < 0:
        raise ValueError("days must not be negative")
    day, left = start, days
    while left:
        day += dt.timedelta(days=1)
        if is_working_day(day, extra=extra, entered_years=entered_years):
            left -= 1
    return day


def entered_day_problem(day: dt.date, is_working_day: bool) -> tuple[str, Problem] | None:
    """Why an administrator may not enter this day, as (rule, problem), or None.

    Days of a year the official data covers are refused (the official data wins there), and so is a working day
    from Monday to Friday (it is one already: a swapped workday is a Saturday or Sunday).
    """
    if official_covers(day.year):
        return "calendar.year_official", Problem(
            gettext_noop("The official calendar already has the holidays of %(year)s; it cannot be changed here."),
            {"year": day.year},
        )
    if is_working_day and day.weekday() < 5:
        return "calendar.weekday_working", Problem(
            gettext_noop(
                "%(date)s is a Monday-to-Friday day, a working day already: enter only holidays and the "
                "Saturdays or Sundays that are swapped workdays."
            ),
            {"date": day.isoformat()},
        )
    return None
