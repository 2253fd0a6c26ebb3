"""The province-scale generator: rows the same shape as the services write, at any size."""

from __future__ import annotations

from collections import Counter

import pytest

from fazhi.core.audit import audit_verify
from fazhi.core.errors import DomainError
from fazhi.core.models import AuditEvent
from fazhi.demo.province import (
    PROVINCE_CODE,
    PROVINCE_SIZE,
    ProvinceSize,
    plan_problems,
    province_generate,
    province_plan,
)
from fazhi.orgs import rules
from fazhi.orgs.codes import make_uscc
from fazhi.orgs.models import Org, path_segment, subtree_q
from fazhi.orgs.services import org_create, org_move

SMALL = ProvinceSize(
    cities=1,
    counties_per_city=2,
    townships_per_county=3,
    villages_per_township=5,
    departments_per_city=2,
    departments_per_county=2,
    schools_per_county=1,
    enterprises_per_county=1,
    units_per_township=1,
)


@pytest.fixture
def province(db):
    province_generate(size=SMALL)
    return Org.objects.get(code=PROVINCE_CODE)


def test_the_default_size_is_a_province_of_100_counties_2000_townships_and_50000_villages():
    assert (PROVINCE_SIZE.counties, PROVINCE_SIZE.townships, PROVINCE_SIZE.villages) == (100, 2000, 50_000)
    assert PROVINCE_SIZE.total == 57_931


def test_the_full_size_plan_passes_every_placement_and_code_rule():
    plan = province_plan(PROVINCE_SIZE, pks=list(range(1, PROVINCE_SIZE.total + 1)))
    assert sum(len(rows) for rows in plan.values()) == PROVINCE_SIZE.total
    assert plan_problems(plan) == []


def test_the_small_province_has_the_requested_counts(province):
    kinds = Counter(Org.objects.filter(subtree_q(province.path)).values_list("kind", flat=True))
    assert kinds["city"] == 1
    assert kinds["county"] == 2
    assert kinds["township"] == 6
    assert kinds["village"] + kinds["community"] == 30
    assert kinds["department"] == 2 + 2 * 2 + 6 * 1
    assert (kinds["school"], kinds["enterprise"]) == (2, 2)
    assert sum(kinds.values()) == SMALL.total


def test_generated_rows_keep_the_tree_invariants(province):
    for org in Org.objects.filter(subtree_q(province.path)).select_related("parent"):
        parent = org.parent
        assert org.path == (parent.path if parent else "") + path_segment(org.pk), org
        assert org.depth == (parent.depth + 1 if parent else 1), org
        assert org.level == rules.level_of(org.kind, parent.level if parent else None), org
        parent_kind, parent_code = (parent.kind, parent.code) if parent else (None, None)
        assert rules.placement_problem(org.kind, parent_kind) is None, org
        assert rules.code_problem(org.kind, org.code, parent_kind=parent_kind, parent_code=parent_code) is None, org


def test_generated_rows_work_with_the_services_like_any_other(province):
    """A village added by org_create and a school moved by org_move fit the generated tree."""
    township = Org.objects.filter(subtree_q(province.path), kind="township").order_by("path").first()
    village = org_create(actor=None, name="新建村", kind="village", code=township.code + "399", parent=township)
    assert (village.path[: len(township.path)], village.depth, village.level) == (township.path, 5, rules.VILLAGE)
    unit = org_create(
        actor=None, name="新建企业", kind="enterprise", code=make_uscc("enterprise", township.code, 99), parent=village
    )
    assert unit.level == rules.VILLAGE

    other_county = Org.objects.filter(subtree_q(province.path), kind="county").exclude(pk=township.parent_id).get()
    other_township = Org.objects.filter(parent=other_county, kind="township").first()
    school = Org.objects.get(parent=township.parent, kind="school")
    org_move(actor=None, org=school, new_parent=other_township)
    school.refresh_from_db()
    assert school.path == other_township.path + path_segment(school.pk)
    assert (school.depth, school.level) == (other_township.depth + 1, rules.TOWNSHIP)


def test_one_audit_event_records_the_generation_and_the_chain_holds(province):
    event = AuditEvent.objects.get(action="demo.province.generated")
    assert event.org_id == province.pk
    assert event.new["orgs"]["village"] + event.new["orgs"]["community"] == 30
    assert AuditEvent.objects.count() == 1
    assert audit_verify().ok


def test_generating_the_same_province_twice_is_refused(province):
    count = Org.objects.count()
    with pytest.raises(DomainError) as refused:
        province_generate(size=SMALL)
    assert refused.value.rule == "demo.province_exists"
    assert Org.objects.count() == count


def test_the_province_lands_beside_existing_organisations(tree):
    before = Org.objects.count()
    province_generate(size=SMALL)
    assert Org.objects.count() == before + SMALL.total
    new_province = Org.objects.get(code=PROVINCE_CODE)
    assert new_province.pk > tree.other_village.pk


@pytest.mark.parametrize(
    "fields",
    [{"cities": 0}, {"counties_per_city": 81}, {"villages_per_township": 200}, {"departments_per_county": 99}],
)
def test_sizes_whose_codes_would_not_fit_are_refused(fields):
    with pytest.raises(ValueError):
        ProvinceSize(**fields)


def test_names_are_unique_among_siblings():
    plan = province_plan(SMALL, pks=list(range(1, SMALL.total + 1)))
    siblings = Counter((row.parent.pk if row.parent else None, row.name) for rows in plan.values() for row in rows)
    assert max(siblings.values()) == 1
