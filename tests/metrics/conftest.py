import datetime as dt

import pytest
from django.utils import timezone

from tests.metrics.fakes import fake_metrics_register, fake_metrics_unregister


@pytest.fixture
def fake_metrics():
    fake_metrics_register()
    yield
    fake_metrics_unregister()


@pytest.fixture
def this_year():
    today = timezone.localdate()
    return dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
