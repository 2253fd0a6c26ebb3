"""The pure working-day calendar (fazhi.core.calendar): the official 2026 swaps, entered years, refusals."""

import datetime as dt

import pytest

from fazhi.core import calendar

D = dt.date


def test_official_data_covers_2026_not_2027():
    assert calendar.official_covers(2026)
    assert not calendar.official_covers(2027)
    assert calendar.official_years()[1] == 2026


def test_spring_festival_2026_swapped_saturdays_count_and_the_holiday_does_not():
    # Holiday 15–23 February; Saturdays 14 and 28 February are working days.
    assert calendar.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert calendar.add_working_days(D(2026, 2, 13), 2) == D(2026, 2, 24)
    assert calendar.add_working_days(D(2026, 2, 13), 6) == D(2026, 2, 28)


def test_national_day_2026_swaps():
    # Mid-autumn 25–27 September, National Day 1–7 October; Sunday 20 September and Saturday 10 October work.
    assert calendar.add_working_days(D(2026, 9, 19), 1) == D(2026, 9, 20)
    assert calendar.add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)
    # A 20-working-day clock (a disclosure request) received on Thursday 24 September.
    assert calendar.add_working_days(D(2026, 9, 24), 20) == D(2026, 10, 29)


def test_the_start_day_is_not_counted_and_zero_days_is_the_start():
    assert calendar.add_working_days(D(2026, 3, 2), 0) == D(2026, 3, 2)
    assert calendar.add_working_days(D(2026, 3, 6), 1) == D(2026, 3, 9)  # Friday → Monday
    with pytest.raises(ValueError):
        calendar.add_working_days(D(2026, 3, 2), -1)


def test_a_clock_into_an_uncovered_year_names_the_year():
    with pytest.raises(calendar.YearNotCovered) as caught:
        calendar.add_working_days(D(2026, 12, 10), 20)
    assert caught.value.year == 2027


def test_an_entered_year_uses_its_days_and_weekdays_otherwise():
    new_year = {D(2027, 1, 1): False, D(2027, 1, 2): False, D(2027, 1, 3): False}
    assert calendar.add_working_days(D(2026, 12, 10), 20, extra=new_year, entered_years={2027}) == D(2027, 1, 8)
    # Without the holiday, Friday 1 January would count: a day earlier.
    assert calendar.add_working_days(D(2026, 12, 10), 20, extra={}, entered_years={2027}) == D(2027, 1, 7)
    # A swapped Saturday counts.
    swapped = {D(2027, 1, 9): True}
    assert calendar.add_working_days(D(2027, 1, 7), 2, extra=swapped, entered_years={2027}) == D(2027, 1, 9)


def test_the_official_data_wins_over_entered_days():
    assert calendar.is_working_day(D(2026, 10, 1), extra={D(2026, 10, 1): True}, entered_years={2026}) is False


def test_entered_day_problems():
    rule, problem = calendar.entered_day_problem(D(2026, 12, 31), False)
    assert rule == "calendar.year_official" and "2026" in str(problem)
    rule, problem = calendar.entered_day_problem(D(2027, 1, 4), True)  # a Monday
    assert rule == "calendar.weekday_working" and "2027-01-04" in str(problem)
    assert calendar.entered_day_problem(D(2027, 2, 6), True) is None  # a Saturday made a workday
    assert calendar.entered_day_problem(D(2027, 1, 2), False) is None  # a Saturday within a holiday
