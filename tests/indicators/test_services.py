import dataclasses
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import translation

from fazhi.core.audit import action_label
from fazhi.core.errors import DomainError
from fazhi.core.models import AuditEvent
from fazhi.indicators import services, spec
from fazhi.indicators.formats import load_yaml
from fazhi.indicators.models import BonusItem, Indicator, Standard, VetoItem
from fazhi.indicators.selectors import standard_get_for_user, standards_for_user
from fazhi.indicators.services import (
    StandardProblems,
    bonus_item_add,
    bonus_item_remove,
    bonus_item_update,
    indicator_add,
    indicator_move,
    indicator_remove,
    indicator_update,
    load_shipped_standards,
    standard_delete,
    standard_import,
    standard_new_version,
    standard_problems,
    standard_publish,
    standard_retire,
    standard_to_spec,
    standard_update,
    veto_item_add,
    veto_item_remove,
)
from fazhi.indicators.shipped import shipped_standards
from tests.factories import make_user
from tests.indicators.examples import example_standard


@pytest.fixture
def admin(personas):
    return personas["county_admin"]


@pytest.fixture
def draft(tree, admin):
    return standard_import(actor=admin, owner_org=tree.county, spec=example_standard())


def node(standard, code):
    return Indicator.objects.get(standard=standard, code=code)


def problem_rules(standard):
    return {(problem.where, problem.rule) for problem in standard_problems(standard)}


# --- import and export ------------------------------------------------------------------------


def test_an_imported_standard_comes_back_unchanged(draft):
    assert standard_to_spec(draft) == example_standard()
    assert draft.status == Standard.Status.DRAFT


def test_import_keeps_sibling_order_and_levels(draft):
    rows = Indicator.objects.filter(standard=draft).order_by("depth", "position")
    assert [(row.code, row.depth, row.position) for row in rows] == [
        ("1", 1, 0),
        ("1.1", 2, 0),
        ("1.2", 2, 1),
        ("1.3", 2, 2),
        ("1.4", 2, 3),
        ("1.5", 2, 4),
    ]
    assert node(draft, "1").points == 2600


def test_import_is_audited(draft, admin):
    event = AuditEvent.objects.get(action="indicators.standard.imported")
    assert event.actor == admin
    assert event.org_id == draft.owner_org_id
    assert event.new["indicators"] == 6


def test_an_invalid_standard_is_refused_with_every_problem_and_nothing_saved(tree, admin):
    broken = example_standard(total=10000, bonus_cap=None)
    with pytest.raises(StandardProblems) as refused:
        standard_import(actor=admin, owner_org=tree.county, spec=broken)
    assert [(problem.where, problem.rule) for problem in refused.value.problems] == [
        ("bonus_cap", "bonus_cap"),
        ("total", "total"),
    ]
    assert not Standard.objects.exists()
    assert not AuditEvent.objects.filter(action="indicators.standard.imported").exists()


def test_importing_an_existing_code_and_version_is_refused(draft, tree, admin):
    with pytest.raises(DomainError) as refused:
        standard_import(actor=admin, owner_org=tree.other_county, spec=example_standard())
    assert refused.value.rule == "standard.exists"
    assert Standard.objects.count() == 1


def test_a_dry_run_checks_but_saves_nothing(tree, admin):
    assert standard_import(actor=admin, owner_org=tree.county, spec=example_standard(), dry_run=True) is None
    assert not Standard.objects.exists()
    with pytest.raises(StandardProblems):
        standard_import(actor=admin, owner_org=tree.county, spec=example_standard(total=1), dry_run=True)


def test_rule_parameters_keep_their_exact_decimals(tree, admin):
    std = example_standard()
    leaf = std.indicators[0].children[3]
    precise = dataclasses.replace(leaf, rule=dataclasses.replace(leaf.rule, full_at=Decimal("0.955")))
    children = (*std.indicators[0].children[:3], precise, std.indicators[0].children[4])
    std = dataclasses.replace(std, indicators=(dataclasses.replace(std.indicators[0], children=children),))
    standard = standard_import(actor=admin, owner_org=tree.county, spec=std)
    assert node(standard, "1.4").params["full_at"] == "0.955"
    assert standard_to_spec(standard) == std


# --- publish, retire, immutability ------------------------------------------------------------


def test_publishing_a_valid_draft(draft, admin):
    published = standard_publish(actor=admin, standard=draft)
    assert published.status == Standard.Status.PUBLISHED
    assert published.published_at is not None
    assert AuditEvent.objects.filter(action="indicators.standard.published", object_id=str(draft.pk)).exists()


def test_a_draft_with_problems_cannot_be_published(draft, admin):
    indicator_update(actor=admin, indicator=node(draft, "1.1"), points=500)
    assert ("total", "total") in problem_rules(draft)
    with pytest.raises(StandardProblems) as refused:
        standard_publish(actor=admin, standard=draft)
    assert refused.value.rule == "standard.has_problems"
    draft.refresh_from_db()
    assert draft.status == Standard.Status.DRAFT


def _every_edit(standard, admin):
    leaf = node(standard, "1.1")
    bonus = BonusItem.objects.get(standard=standard)
    veto = VetoItem.objects.get(standard=standard)
    return {
        "update": lambda: standard_update(actor=admin, standard=standard, title="改"),
        "add": lambda: indicator_add(actor=admin, standard=standard, parent=None, code="2", title="新"),
        "change": lambda: indicator_update(actor=admin, indicator=leaf, title="改"),
        "move": lambda: indicator_move(actor=admin, indicator=leaf, new_parent=None, position=0),
        "remove": lambda: indicator_remove(actor=admin, indicator=leaf),
        "bonus add": lambda: bonus_item_add(actor=admin, standard=standard, code="B2", title="新", points=100),
        "bonus change": lambda: bonus_item_update(actor=admin, item=bonus, points=100),
        "bonus remove": lambda: bonus_item_remove(actor=admin, item=bonus),
        "veto add": lambda: veto_item_add(actor=admin, standard=standard, code="V2", title="新"),
        "veto remove": lambda: veto_item_remove(actor=admin, item=veto),
        "delete": lambda: standard_delete(actor=admin, standard=standard),
        "publish": lambda: standard_publish(actor=admin, standard=standard),
    }


@pytest.mark.parametrize("retire", [False, True], ids=["published", "retired"])
def test_a_published_or_retired_standard_refuses_every_edit(draft, admin, retire):
    standard_publish(actor=admin, standard=draft)
    if retire:
        standard_retire(actor=admin, standard=draft)
    before = standard_to_spec(draft)
    for name, edit in _every_edit(draft, admin).items():
        with pytest.raises(DomainError) as refused, translation.override("en"):
            edit()
        assert refused.value.rule == "standard.not_draft", name
        assert "new version" in refused.value.message
    assert standard_to_spec(draft) == before


def test_only_a_published_standard_can_be_retired(draft, admin):
    with pytest.raises(DomainError) as refused:
        standard_retire(actor=admin, standard=draft)
    assert refused.value.rule == "standard.not_published"
    standard_publish(actor=admin, standard=draft)
    assert standard_retire(actor=admin, standard=draft).status == Standard.Status.RETIRED


def test_a_draft_can_be_deleted(draft, admin):
    standard_delete(actor=admin, standard=draft)
    assert not Standard.objects.exists()
    assert not Indicator.objects.exists()


# --- new versions -----------------------------------------------------------------------------


def test_a_new_version_is_a_draft_copy_of_everything(draft, admin, tree):
    standard_publish(actor=admin, standard=draft)
    copy = standard_new_version(actor=admin, standard=draft, version="2026")
    assert copy.status == Standard.Status.DRAFT and copy.pk != draft.pk
    assert copy.owner_org == tree.county
    assert standard_to_spec(copy) == dataclasses.replace(example_standard(), version="2026")
    # editing the copy leaves the original alone
    indicator_update(actor=admin, indicator=node(copy, "1.1"), title="健全学法制度（修订）")
    assert node(draft, "1.1").title == "健全学法制度"


def test_a_new_version_may_belong_to_another_organisation(draft, admin, tree):
    copy = standard_new_version(actor=admin, standard=draft, version="2026-白水", owner_org=tree.other_county)
    assert copy.owner_org == tree.other_county


def test_a_new_version_needs_an_unused_version(draft, admin):
    with pytest.raises(DomainError) as refused:
        standard_new_version(actor=admin, standard=draft, version="2025")
    assert refused.value.rule == "standard.exists"
    with pytest.raises(DomainError) as refused:
        standard_new_version(actor=admin, standard=draft, version="  ")
    assert refused.value.rule == "standard.version"


# --- editing a draft --------------------------------------------------------------------------


def test_adding_a_leaf_makes_the_total_wrong_until_the_declared_total_follows(draft, admin):
    indicator_add(
        actor=admin,
        standard=draft,
        parent=node(draft, "1"),
        code="1.6",
        title="旁听庭审",
        points=200,
        rule=spec.Rule(spec.MANUAL),
        position=0,
    )
    assert node(draft, "1").points == 2800
    assert [row.code for row in Indicator.objects.filter(parent=node(draft, "1")).order_by("position")] == [
        "1.6",
        "1.1",
        "1.2",
        "1.3",
        "1.4",
        "1.5",
    ]
    assert ("total", "total") in problem_rules(draft)
    draft = standard_update(actor=admin, standard=draft, total=2800)
    assert standard_problems(draft) == []


def test_a_node_added_without_a_rule_is_a_problem_until_it_has_children_or_a_rule(draft, admin):
    area = indicator_add(actor=admin, standard=draft, parent=None, code="2", title="依法决策")
    assert ("2", "required") in problem_rules(draft)
    indicator_add(
        actor=admin,
        standard=draft,
        parent=area,
        code="2.1",
        title="重大决策程序",
        points=0,
        rule=spec.Rule(spec.MANUAL),
    )
    assert ("2", "required") not in problem_rules(draft)
    assert node(draft, "2.1").depth == 2


def test_nothing_goes_under_a_scored_leaf(draft, admin):
    with pytest.raises(DomainError) as refused:
        indicator_add(actor=admin, standard=draft, parent=node(draft, "1.1"), code="1.1.1", title="子项")
    assert refused.value.rule == "indicator.parent_is_leaf"


def test_codes_stay_unique_within_the_standard(draft, admin):
    with pytest.raises(DomainError) as refused:
        indicator_add(actor=admin, standard=draft, parent=None, code="1.3", title="重复")
    assert refused.value.field == "code"
    with pytest.raises(DomainError):
        indicator_update(actor=admin, indicator=node(draft, "1.1"), code="1.2")


def test_changing_a_rule_is_stored_and_audited(draft, admin):
    rule = spec.Rule(spec.TIERS, tiers=(spec.Tier(Decimal("3"), 400), spec.Tier(Decimal("0"), 0)), metric="study.x")
    indicator_update(actor=admin, indicator=node(draft, "1.1"), rule=rule, evidence=["记录", " "])
    leaf = standard_to_spec(draft).indicators[0].children[0]
    assert leaf.rule == rule
    assert leaf.evidence == ("记录",)
    event = AuditEvent.objects.get(action="indicators.indicator.updated")
    assert event.old["rule"] == "manual" and event.new["rule"] == "tiers"


def test_a_branch_has_no_points_or_rule_of_its_own(draft, admin):
    with pytest.raises(DomainError) as refused:
        indicator_update(actor=admin, indicator=node(draft, "1"), points=100)
    assert refused.value.rule == "indicator.branch_points"
    with pytest.raises(DomainError) as refused:
        indicator_update(actor=admin, indicator=node(draft, "1"), rule=spec.Rule(spec.MANUAL))
    assert refused.value.rule == "indicator.branch_rule"


def test_moving_a_subtree_updates_levels_positions_and_points(draft, admin):
    area = indicator_add(actor=admin, standard=draft, parent=None, code="2", title="依法决策")
    group = indicator_add(actor=admin, standard=draft, parent=area, code="2.1", title="分组")
    indicator_move(actor=admin, indicator=node(draft, "1.3"), new_parent=group, position=5)
    indicator_move(actor=admin, indicator=node(draft, "1.2"), new_parent=group, position=0)
    assert node(draft, "1.3").depth == 3
    assert [row.code for row in Indicator.objects.filter(parent=group).order_by("position")] == ["1.2", "1.3"]
    assert [row.position for row in Indicator.objects.filter(parent=node(draft, "1")).order_by("position")] == [
        0,
        1,
        2,
    ]
    assert node(draft, "1").points == 1100 and node(draft, "2").points == 1500
    assert standard_problems(draft) == []
    # and a whole subtree moves with its top
    indicator_move(actor=admin, indicator=group, new_parent=None, position=0)
    assert node(draft, "2.1").depth == 1 and node(draft, "1.2").depth == 2
    assert standard_to_spec(draft).indicators[0].code == "2.1"


def test_a_node_cannot_move_inside_itself(draft, admin):
    area = indicator_add(actor=admin, standard=draft, parent=None, code="2", title="依法决策")
    group = indicator_add(actor=admin, standard=draft, parent=area, code="2.1", title="分组")
    with pytest.raises(DomainError) as refused:
        indicator_move(actor=admin, indicator=area, new_parent=group, position=0)
    assert refused.value.rule == "indicator.move_cycle"


def test_removing_a_node_removes_its_subtree_and_closes_the_gap(draft, admin):
    indicator_remove(actor=admin, indicator=node(draft, "1.2"))
    siblings = Indicator.objects.filter(parent=node(draft, "1")).order_by("position")
    assert [(row.code, row.position) for row in siblings] == [("1.1", 0), ("1.3", 1), ("1.4", 2), ("1.5", 3)]
    assert node(draft, "1").points == 1600
    indicator_remove(actor=admin, indicator=node(draft, "1"))
    assert not Indicator.objects.filter(standard=draft).exists()
    assert ("indicators", "empty") in problem_rules(draft)


def test_bonus_and_veto_items_are_edited_in_order(draft, admin):
    bonus_item_add(actor=admin, standard=draft, code="B2", title="创新案例", points=100)
    veto_item_add(actor=admin, standard=draft, code="V2", title="发生群体性事件")
    bonus_item_remove(actor=admin, item=BonusItem.objects.get(standard=draft, code="B1"))
    std = standard_to_spec(draft)
    assert std.bonus == (spec.BonusItem("B2", "创新案例", 100),)
    assert [item.code for item in std.veto] == ["V1", "V2"]
    assert BonusItem.objects.get(standard=draft, code="B2").position == 0


# --- who sees what ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "read", "write"),
    [
        ("county_admin", "ok", "ok"),
        ("reviewer", "ok", 403),
        ("leader", "ok", 403),
        ("township_clerk", 404, 404),
        ("village_clerk_elsewhere", 404, 404),
        ("anonymous", 404, 404),
    ],
)
def test_a_draft_is_seen_within_its_owner_and_changed_by_its_administrators(draft, personas, persona, read, write):
    user = personas[persona] or _anonymous()
    assert _outcome(lambda: standard_get_for_user(user, draft.pk)) == read
    assert _outcome(lambda: standard_get_for_user(user, draft.pk, write=True)) == write


@pytest.mark.parametrize(
    ("persona", "write"),
    [("county_admin", "ok"), ("township_clerk", 403), ("village_clerk_elsewhere", 403), ("anonymous", 404)],
)
def test_a_published_standard_is_seen_by_every_signed_in_user(draft, admin, personas, persona, write):
    standard_publish(actor=admin, standard=draft)
    user = personas[persona] or _anonymous()
    assert _outcome(lambda: standard_get_for_user(user, draft.pk)) == ("ok" if persona != "anonymous" else 404)
    assert _outcome(lambda: standard_get_for_user(user, draft.pk, write=True)) == write


def test_the_list_shows_what_the_user_may_see_in_a_constant_number_of_queries(
    draft, admin, tree, personas, django_assert_num_queries
):
    published = standard_new_version(actor=admin, standard=draft, version="2024")
    indicator_update(actor=admin, indicator=node(published, "1.1"), title="改")
    standard_publish(actor=admin, standard=published)
    elsewhere = standard_import(
        actor=None, owner_org=tree.other_county, spec=example_standard(code="baishui", title="白水标准")
    )
    clerk_there = make_user("baishui_clerk", org=tree.other_county, role="clerk")
    assert {s.pk for s in standards_for_user(clerk_there)} == {published.pk, elsewhere.pk}
    assert [s.pk for s in standards_for_user(clerk_there, query="白水")] == [elsewhere.pk]
    # a draft is seen from its owner down, not from below it
    assert {s.pk for s in standards_for_user(personas["village_clerk_elsewhere"])} == {published.pk}
    assert {s.pk for s in standards_for_user(personas["township_clerk"])} == {published.pk}
    assert {s.pk for s in standards_for_user(admin, status="draft")} == {draft.pk}
    assert not standards_for_user(_anonymous()).exists()
    with django_assert_num_queries(2):  # the user's memberships, then the list
        listed = list(standards_for_user(personas["reviewer"]))
        assert [s.owner_org.name for s in listed] and listed[0].indicator_count == 6


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def _outcome(call):
    try:
        call()
    except Http404:
        return 404
    except PermissionDenied:
        return 403
    return "ok"


# --- the shipped standards --------------------------------------------------------------------


def test_the_shipped_standards_load_published_and_come_back_as_shipped(tree):
    loaded = load_shipped_standards(actor=None, owner_org=tree.city)
    assert len(loaded) == len(shipped_standards()) == 3
    for standard, path in zip(loaded, shipped_standards(), strict=True):
        assert standard.status == Standard.Status.PUBLISHED
        assert standard_to_spec(standard) == load_yaml(path.read_bytes())
    with pytest.raises(DomainError):
        load_shipped_standards(actor=None, owner_org=tree.county)
    assert Standard.objects.count() == 3


def test_every_audit_action_the_services_write_has_a_label():
    source = "".join(path.read_text(encoding="utf-8") for path in Path(services.__file__).parent.glob("*.py"))
    written = set(re.findall(r'"(indicators\.[a-z_]+\.[a-z_]+)"', source))
    assert len(written) == 16
    assert sorted(action for action in written if not action_label(action)) == []


def test_codes_are_unique_across_indicators_bonus_and_veto_items_and_follow_the_pattern(draft, admin):
    for add in (
        lambda code: indicator_add(actor=admin, standard=draft, parent=None, code=code, title="新"),
        lambda code: bonus_item_add(actor=admin, standard=draft, code=code, title="新", points=100),
        lambda code: veto_item_add(actor=admin, standard=draft, code=code, title="新"),
    ):
        for taken in ("1.2", "B1", "V1"):
            with pytest.raises(DomainError) as refused:
                add(taken)
            assert refused.value.rule == "item.code_unique"
        for bad in ("", "一", ".1", "a b", "x" * 41):
            with pytest.raises(DomainError) as refused:
                add(bad)
            assert refused.value.rule == "item.code"


def test_reordering_among_the_same_siblings(draft, admin):
    indicator_move(actor=admin, indicator=node(draft, "1.5"), new_parent=node(draft, "1"), position=1)
    siblings = Indicator.objects.filter(parent=node(draft, "1")).order_by("position")
    assert [row.code for row in siblings] == ["1.1", "1.5", "1.2", "1.3", "1.4"]
    assert [row.position for row in siblings] == [0, 1, 2, 3, 4]
    assert standard_problems(draft) == []


def test_an_indicator_of_another_standard_is_no_parent(draft, admin, tree):
    other = standard_import(actor=admin, owner_org=tree.county, spec=example_standard(code="other"))
    with pytest.raises(DomainError) as refused:
        indicator_move(actor=admin, indicator=node(draft, "1.1"), new_parent=node(other, "1"), position=0)
    assert refused.value.rule == "indicator.parent"


def test_the_header_refuses_a_pass_score_above_the_total(draft, admin):
    before = standard_to_spec(draft)
    with pytest.raises(DomainError) as refused:
        standard_update(actor=admin, standard=draft, pass_score=draft.total + 1)
    assert (refused.value.rule, refused.value.field) == ("standard.pass_score", "pass_score")
    assert standard_to_spec(draft) == before
