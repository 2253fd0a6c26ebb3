"""The demo's illustrative calendar: entered (audited, labelled 示意) only for a year the official data lacks and
nobody has entered, so the demo's working-day clocks run when it is loaded in December 2026 or in 2027."""

import datetime as dt

import pytest

from fazhi.core.models import AuditEvent, CalendarDay
from fazhi.core.workdays import add_working_days, calendar_day_add
from fazhi.demo.workdays import demo_calendar_load

pytestmark = pytest.mark.django_db
D = dt.date


def test_loaded_in_december_2026_the_demo_enters_2027_and_its_clocks_run(tree):
    assert demo_calendar_load(today=D(2026, 12, 20), org=tree.province) == [2027]
    days = CalendarDay.objects.filter(year=2027)
    assert days.count() == AuditEvent.objects.filter(action="core.calendar_day.added", org=tree.province).count() > 0
    assert all("示意" in day.name for day in days)
    # 11–31 December: 15 working days; 1–3 January off; 4–8 January: 5 more.
    assert add_working_days(D(2026, 12, 10), 20) == D(2027, 1, 8)
    # Loading again enters nothing more; loaded in 2027, the demo enters the first weeks of 2028 too.
    assert demo_calendar_load(today=D(2026, 12, 21), org=tree.province) == []
    assert demo_calendar_load(today=D(2027, 12, 20), org=tree.province) == [2028]
    assert add_working_days(D(2027, 12, 20), 15) == D(2028, 1, 11)  # 3 January off


def test_a_year_someone_entered_or_without_an_illustrative_calendar_is_left_alone(tree):
    calendar_day_add(actor=None, date=D(2027, 1, 1), is_working_day=False, name="元旦")
    assert demo_calendar_load(today=D(2026, 12, 20)) == []  # 2026: the official data; 2027: entered
    assert CalendarDay.objects.count() == 1
    assert demo_calendar_load(today=D(2029, 6, 1)) == []  # no illustrative 2029 or 2030
