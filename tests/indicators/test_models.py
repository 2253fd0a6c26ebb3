import pytest
from django.db import IntegrityError

from fazhi.indicators.models import Indicator, Standard


def make_standard(org, **fields):
    values = {"code": "yfxz-county", "version": "2025", "title": "依法行政示范单位考评标准", "total": 10000}
    values.update(fields)
    return Standard.objects.create(owner_org=org, **values)


def test_code_and_version_are_unique_together(tree):
    make_standard(tree.county)
    make_standard(tree.county, version="2026")
    with pytest.raises(IntegrityError):
        make_standard(tree.other_county)


def test_indicator_codes_are_unique_within_a_standard_only(tree):
    first, second = make_standard(tree.county), make_standard(tree.county, version="2026")
    Indicator.objects.create(standard=first, code="1", title="领导干部学法用法")
    Indicator.objects.create(standard=second, code="1", title="领导干部学法用法")
    with pytest.raises(IntegrityError):
        Indicator.objects.create(standard=first, code="1", title="重复")


def test_a_new_standard_is_a_draft(tree):
    assert make_standard(tree.county).status == Standard.Status.DRAFT
