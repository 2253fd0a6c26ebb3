"""spec → database → spec loses nothing, for any valid standard (hypothesis, with the formats
helper's generator of standards), and the new-version copy is exact too."""

from __future__ import annotations

import dataclasses

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings

from fazhi.indicators.services import standard_import, standard_new_version, standard_to_spec
from tests.indicators.test_formats_roundtrip import standards

DATABASE_ROUND_TRIP = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)


@pytest.mark.django_db
@DATABASE_ROUND_TRIP
@given(std=standards())
def test_database_round_trip_is_lossless(tree, std):
    with transaction.atomic():
        standard = standard_import(actor=None, owner_org=tree.county, spec=std)
        assert standard_to_spec(standard) == std
        copy = standard_new_version(actor=None, standard=standard, version=std.version + "-2")
        assert standard_to_spec(copy) == dataclasses.replace(std, version=std.version + "-2")
        transaction.set_rollback(True)
