import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests.factories import PASSWORD, build_personas, build_tree


def pytest_collection_modifyitems(config, items):
    """Skip tests marked ``postgres_only`` when the suite runs on another database (SQLite by default)."""
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine == "django.db.backends.postgresql":
        return
    skip = pytest.mark.skip(
        reason=f"needs PostgreSQL (set FAZHI_DATABASE_URL); this run uses {engine.rsplit('.', 1)[-1]}"
    )
    for item in items:
        if item.get_closest_marker("postgres_only"):
            item.add_marker(skip)


@pytest.fixture
def tree(db):
    return build_tree()


@pytest.fixture
def personas(tree):
    return build_personas(tree)


@pytest.fixture
def client_for(personas):
    """A logged-in test client for a persona name (``anonymous`` gets a plain client)."""

    def make(name: str) -> Client:
        client = Client()
        user = personas[name]
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def calendar_entered(db):
    """Working days for the years around today that the official calendar data does not cover yet, entered as an
    administrator would (``calendar_days_add_many``), so tests whose records are dated relative to today keep
    their working-day clocks in December and in those years. 2027 and 2028 get the demo's illustrative days
    (``fazhi.demo.workdays``: New Year, Spring Festival …); a later year only a New Year holiday, 1–3 January. Not the
    State Council's notice: tests about the refusal itself must not use this fixture."""
    from fazhi.core import calendar
    from fazhi.core.models import CalendarDay
    from fazhi.core.workdays import calendar_days_add_many
    from fazhi.demo.workdays import ILLUSTRATIVE

    today = timezone.localdate()
    for year in range(today.year - 1, today.year + 2):
        if calendar.official_covers(year) or CalendarDay.objects.filter(year=year).exists():
            continue
        new_year = [(dt.date(year, 1, day), False, "元旦") for day in (1, 2, 3)]
        calendar_days_add_many(actor=None, days=ILLUSTRATIVE.get(year, new_year))
