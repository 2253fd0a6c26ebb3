"""Working-day clocks with administrator-entered years (fazhi.core.workdays): refusal naming the year, the
right date once the year is entered, one query per clock at most, and the audited writes."""

import datetime as dt

import pytest

from fazhi.core.errors import DomainError
from fazhi.core.models import AuditEvent, CalendarDay
from fazhi.core.workdays import (
    WorkingDays,
    add_working_days,
    calendar_day_add,
    calendar_day_delete,
    calendar_days_add_many,
    calendar_years,
)

D = dt.date
pytestmark = pytest.mark.django_db

# The 2027 New Year holiday: Friday 1 to Sunday 3 January (no swapped workday), as when 1 January fell on a
# Friday in 2021.
NEW_YEAR_2027 = [(D(2027, 1, 1), False, "元旦"), (D(2027, 1, 2), False, "元旦"), (D(2027, 1, 3), False, "元旦")]


def test_a_20_working_day_clock_into_2027_is_refused_then_runs_once_2027_is_entered():
    with pytest.raises(DomainError) as caught:
        add_working_days(D(2026, 12, 10), 20, field="due")
    assert caught.value.rule == "calendar.year_not_covered"
    assert caught.value.field == "due"
    assert "2027" in caught.value.message

    calendar_days_add_many(actor=None, days=NEW_YEAR_2027)
    # 11 December … 31 December: 15 working days; 1–3 January off; 4–8 January: 5 more.
    assert add_working_days(D(2026, 12, 10), 20) == D(2027, 1, 8)


def test_clocks_within_the_official_data_read_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert add_working_days(D(2026, 2, 13), 6) == D(2026, 2, 28)
        assert add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)


def test_a_clock_reads_the_entered_days_once_and_many_clocks_share_them(django_assert_num_queries):
    calendar_days_add_many(actor=None, days=NEW_YEAR_2027)
    with django_assert_num_queries(1):
        assert add_working_days(D(2026, 12, 10), 40) == D(2027, 2, 5)
    clock = WorkingDays()
    with django_assert_num_queries(1):
        for start in (D(2026, 12, 1), D(2026, 12, 10), D(2026, 12, 20), D(2026, 12, 31)):
            clock.add(start, 20)
        assert clock.is_working_day(D(2027, 1, 1)) is False


def test_refusals_name_the_rule_and_write_nothing():
    calendar_day_add(actor=None, date=D(2027, 1, 1), is_working_day=False, name="元旦")
    cases = [
        (D(2026, 10, 9), False, "calendar.year_official"),
        (D(2027, 1, 4), True, "calendar.weekday_working"),
        (D(2027, 1, 1), False, "calendar.day_exists"),
    ]
    for date, working, rule in cases:
        with pytest.raises(DomainError) as caught:
            calendar_day_add(actor=None, date=date, is_working_day=working)
        assert (caught.value.rule, caught.value.field) == (rule, "date")
    assert CalendarDay.objects.count() == 1
    with pytest.raises(DomainError):
        calendar_days_add_many(actor=None, days=[(D(2027, 2, 6), True, "春节调休"), (D(2027, 2, 6), True, "")])
    assert CalendarDay.objects.count() == 1


def test_entering_and_deleting_are_audited(personas):
    admin = personas["county_admin"]
    day = calendar_day_add(actor=admin, date=D(2027, 2, 6), is_working_day=True, name=" 春节调休 ")
    assert (day.year, day.name) == (2027, "春节调休")
    event = AuditEvent.objects.get(action="core.calendar_day.added")
    assert event.actor == admin and event.new == {"date": "2027-02-06", "is_working_day": True, "name": "春节调休"}
    calendar_day_delete(actor=admin, day=day)
    event = AuditEvent.objects.get(action="core.calendar_day.deleted")
    assert event.old["date"] == "2027-02-06"
    assert not CalendarDay.objects.exists()


def test_calendar_years_lists_years_newest_first_with_counts():
    calendar_days_add_many(actor=None, days=[*NEW_YEAR_2027, (D(2027, 2, 6), True, "春节调休")])
    calendar_day_add(actor=None, date=D(2028, 1, 1), is_working_day=False, name="元旦")
    years = calendar_years()
    assert [y.year for y in years] == [2028, 2027]
    assert (years[1].holidays, years[1].workdays) == (3, 1)
