"""The calendar import under random rows: it enters exactly the rows it was given, or nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi.core.imports import import_run
from fazhi.core.models import AuditEvent, CalendarDay
from fazhi.ledgers.common.calendar import CalendarDayImporter
from tests.spreadsheets import make_xlsx

pytestmark = pytest.mark.django_db

HEADER = ["日期", "类型", "名称"]
dates = st.dates(min_value=dt.date(2026, 12, 31), max_value=dt.date(2027, 3, 31))  # 2026 is refused
kinds = st.sampled_from(["放假", "放假", "holiday", "调休上班", "workday", "请假", ""])
names = st.sampled_from(["", "元旦", "春节", "春节调休", "x" * 101])
cells = st.one_of(dates, dates, dates, st.sampled_from(["2027-01-09", "明天", "", 3.5]))


class _Undo(Exception):
    pass


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(cells, kinds, names), min_size=1, max_size=5))
def test_random_rows_enter_exactly_what_was_given_or_nothing(db, rows):
    try:
        with transaction.atomic():
            before = (CalendarDay.objects.count(), AuditEvent.objects.count())
            result = import_run(CalendarDayImporter(actor=None), make_xlsx([HEADER, *[list(r) for r in rows]]))
            entered = set(CalendarDay.objects.values_list("date", "is_working_day", "name"))
            if result.ok:
                expected = {
                    (
                        dt.date.fromisoformat(d) if isinstance(d, str) else d,
                        kind in ("调休上班", "workday"),
                        name,
                    )
                    for d, kind, name in rows
                    if d != "" or kind != "" or name != ""
                }
                assert entered == expected
                assert AuditEvent.objects.count() == before[1] + len(expected)
            else:
                assert result.errors
                assert (CalendarDay.objects.count(), AuditEvent.objects.count()) == before
            raise _Undo
    except _Undo:
        pass
