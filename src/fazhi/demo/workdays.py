"""An illustrative working-day calendar for a year the official data does not cover yet, so the demo's ledgers
(whose dates are relative to today) keep their working-day clocks when the demo is loaded in December or in such a
year.

These days are NOT the State Council's notice: they are a plausible arrangement, entered through the calendar
service (audited, named "示意" — illustrative) only when the official data lacks the year and nobody has entered any
day of it. An administrator who enters the real notice deletes them first (docs/demo.md, docs/calendar.md).
"""

from __future__ import annotations

import datetime as dt

from fazhi.core import calendar
from fazhi.core.models import CalendarDay
from fazhi.core.workdays import calendar_days_add_many
from fazhi.orgs.models import Org

D = dt.date
H, W = False, True  # holiday, swapped workday

# 2027 (illustrative): 元旦 Fri 1 – Sun 3 Jan; 春节 (除夕 Fri 5 Feb) 5–13 Feb with Sun 31 Jan and Sun 14 Feb worked;
# 清明 Sat 3 – Mon 5 Apr; 劳动节 Sat 1 – Wed 5 May with Sat 8 May worked; 端午 Wed 9 Jun; 中秋 Wed 15 Sep;
# 国庆 Fri 1 – Thu 7 Oct with Sun 26 Sep and Sat 9 Oct worked.
ILLUSTRATIVE: dict[int, list[tuple[dt.date, bool, str]]] = {
    2027: [
        *[(D(2027, 1, day), H, "元旦（示意）") for day in (1, 2, 3)],
        (D(2027, 1, 31), W, "春节调休（示意）"),
        *[(D(2027, 2, day), H, "春节（示意）") for day in range(5, 14)],
        (D(2027, 2, 14), W, "春节调休（示意）"),
        *[(D(2027, 4, day), H, "清明节（示意）") for day in (3, 4, 5)],
        *[(D(2027, 5, day), H, "劳动节（示意）") for day in range(1, 6)],
        (D(2027, 5, 8), W, "劳动节调休（示意）"),
        (D(2027, 6, 9), H, "端午节（示意）"),
        (D(2027, 9, 15), H, "中秋节（示意）"),
        (D(2027, 9, 26), W, "国庆节调休（示意）"),
        *[(D(2027, 10, day), H, "国庆节（示意）") for day in range(1, 8)],
        (D(2027, 10, 9), W, "国庆节调休（示意）"),
    ],
    # 2028 (illustrative, its first weeks only, for a demo loaded in December 2027): 元旦 Sat 1 – Mon 3 Jan; 春节
    # (除夕 Tue 25 Jan) 25–31 Jan with Sun 23 Jan worked. The rest of the year: Monday to Friday.
    2028: [
        *[(D(2028, 1, day), H, "元旦（示意）") for day in (1, 2, 3)],
        (D(2028, 1, 23), W, "春节调休（示意）"),
        *[(D(2028, 1, day), H, "春节（示意）") for day in range(25, 32)],
    ],
}


def demo_calendar_load(*, today: dt.date, org: Org | None = None) -> list[int]:
    """Enter the illustrative days of this year and the next where the official data and the entered days both lack
    the year and an illustrative calendar exists; the years entered."""
    entered = []
    for year in (today.year, today.year + 1):
        if year not in ILLUSTRATIVE or calendar.official_covers(year) or CalendarDay.objects.filter(year=year).exists():
            continue
        calendar_days_add_many(actor=None, days=ILLUSTRATIVE[year], org=org)
        entered.append(year)
    return entered
