"""The shared ledger pages' additions to the page tables' world (see tests/campaigns/world.py): an entered day of
2027 on the working-day calendar, and the key of an importer that is always registered (the calendar's)."""

from __future__ import annotations

import datetime as dt

from fazhi.core.models import CalendarDay

# URL parameter kinds (tests/test_air_gapped.kinds_of): ``calendar_day_pk`` → calendar_day, ``importer_key``.
SAMPLES = {"calendar_day": "calendar_day", "importer_key": "calendar_importer_key"}


def build(tree, personas, world) -> dict:
    day = CalendarDay.objects.create(year=2027, date=dt.date(2027, 1, 1), is_working_day=False, name="元旦")
    return {"calendar_day": day.pk, "calendar_importer_key": "calendar", "unknown_importer_key": "no-such-ledger"}
