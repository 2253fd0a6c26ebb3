"""Working-day clocks for services: the official calendar plus the years administrators entered.

``add_working_days(start, days)`` is what every ledger calls; a clock that runs into a year neither the official
data nor an administrator covers is refused with a ``DomainError`` naming the year.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from fazhi.core import calendar
from fazhi.core.errors import DomainError


def add_working_days(start: dt.date, days: int, *, field: str | None = None) -> dt.date:
    try:
        return calendar.add_working_days(start, days)
    except calendar.YearNotCovered as exc:
        raise DomainError(
            _(
                "The working-day calendar has no data for %(year)s: the State Council has not announced its holidays "
                "yet. An administrator can enter that year's holidays and swapped workdays on the calendar page."
            )
            % {"year": exc.year},
            rule="calendar.year_not_covered",
            field=field,
        ) from None
