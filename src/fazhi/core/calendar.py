"""Working days on the official calendar: holidays and swapped workdays (调休). Pure, no Django.

The official data comes from the ``chinesecalendar`` package, which covers the years the State Council has
announced (today up to 2026). A year it does not cover raises ``YearNotCovered`` unless the caller supplies that
year's days (``extra``: date → is a working day, for every day an administrator entered as a holiday or a
swapped workday; any other day of such a year is a working day from Monday to Friday).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import chinese_calendar


class YearNotCovered(Exception):
    def __init__(self, year: int):
        super().__init__(year)
        self.year = year


def is_working_day(day: dt.date, *, extra: Mapping[dt.date, bool] | None = None, entered_years=()) -> bool:
    """Whether ``day`` is a working day: the entered days first, then the official calendar."""
    if extra and day in extra:
        return extra[day]
    if day.year in entered_years:
        return day.weekday() < 5
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        raise YearNotCovered(day.year) from None


def add_working_days(
    start: dt.date, days: int, *, extra: Mapping[dt.date, bool] | None = None, entered_years=()
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
