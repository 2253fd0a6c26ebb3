import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from fazhi.indicators import spec
from fazhi.indicators.models import Indicator
from fazhi.indicators.selectors import (
    indicator_get_for_user,
    standard_indicators,
    standard_latest,
    standard_may_change,
    standard_versions_for_user,
)
from fazhi.indicators.services import indicator_add, standard_import, standard_new_version, standard_publish
from tests.indicators.examples import example_standard


@pytest.fixture
def draft(tree, personas):
    return standard_import(actor=personas["county_admin"], owner_org=tree.county, spec=example_standard())


def test_the_tree_reads_depth_first_in_sibling_order(draft, personas, django_assert_num_queries):
    area = indicator_add(actor=personas["county_admin"], standard=draft, parent=None, code="2", title="依法决策")
    indicator_add(
        actor=personas["county_admin"],
        standard=draft,
        parent=area,
        code="2.1",
        title="程序",
        points=100,
        rule=spec.Rule(spec.MANUAL),
    )
    indicator_add(actor=personas["county_admin"], standard=draft, parent=None, code="0", title="前言", position=0)
    with django_assert_num_queries(1):
        rows = standard_indicators(draft)
    assert [(row.code, row.depth) for row in rows] == [
        ("0", 1),
        ("1", 1),
        ("1.1", 2),
        ("1.2", 2),
        ("1.3", 2),
        ("1.4", 2),
        ("1.5", 2),
        ("2", 1),
        ("2.1", 2),
    ]
    assert rows[-2].points == 100


def test_an_indicator_is_reached_through_its_standard(draft, personas):
    leaf = Indicator.objects.get(standard=draft, code="1.1")
    assert indicator_get_for_user(personas["county_admin"], leaf.pk, write=True) == leaf
    with pytest.raises(PermissionDenied):
        indicator_get_for_user(personas["reviewer"], leaf.pk, write=True)
    with pytest.raises(Http404):
        indicator_get_for_user(personas["village_clerk_elsewhere"], leaf.pk)
    with pytest.raises(Http404):
        indicator_get_for_user(personas["county_admin"], "nope")


def test_versions_and_the_latest(draft, personas):
    admin = personas["county_admin"]
    assert standard_latest("yfxz-county") == draft  # no published version: the latest of any status
    standard_publish(actor=admin, standard=draft)
    newer = standard_new_version(actor=admin, standard=draft, version="2026")
    assert standard_latest("yfxz-county") == draft  # the latest published
    assert standard_latest("yfxz-county", version="2026") == newer
    assert standard_latest("missing") is None
    assert list(standard_versions_for_user(admin, draft)) == [newer, draft]
    assert list(standard_versions_for_user(personas["village_clerk_elsewhere"], draft)) == [draft]
    assert standard_may_change(admin, newer) and not standard_may_change(personas["leader"], newer)
