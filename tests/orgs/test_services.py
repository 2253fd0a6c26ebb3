import pytest

from fazhi.core.errors import DomainError
from fazhi.core.models import AuditEvent
from fazhi.orgs.codes import make_uscc
from fazhi.orgs.models import Org
from fazhi.orgs.services import org_create, org_move, org_set_active, org_update


def subtree_names(org):
    return set(Org.objects.filter(org.subtree()).values_list("name", flat=True))


def test_subtree_holds_exactly_the_descendants(tree):
    assert subtree_names(tree.township) == {"城关镇", "城关镇人民政府办公室", "东门村", "西街社区"}
    assert "白水村" not in subtree_names(tree.county)
    assert len(subtree_names(tree.province)) == Org.objects.count()


def test_units_take_the_level_of_what_they_hang_under(tree):
    assert tree.justice_bureau.level == tree.county.level == 3
    assert tree.township_office.level == 4


def test_moving_reparents_the_whole_subtree(tree, personas):
    section = org_create(
        actor=None,
        name="法治科",
        kind="department",
        code=make_uscc("department", "990101", 778),
        parent=tree.justice_bureau,
    )
    org_move(actor=personas["county_admin"], org=tree.justice_bureau, new_parent=tree.other_county)
    assert subtree_names(tree.other_county) >= {"青山县司法局", "法治科"}
    assert "法治科" not in subtree_names(tree.county)
    moved = Org.objects.get(pk=section.pk)
    assert moved.path.startswith(Org.objects.get(pk=tree.other_county.pk).path)
    assert moved.depth == Org.objects.get(pk=tree.other_county.pk).depth + 2
    assert AuditEvent.objects.filter(action="orgs.org.moved", object_id=str(tree.justice_bureau.pk)).exists()


def test_an_area_cannot_move_under_an_area_whose_code_it_does_not_carry(tree):
    with pytest.raises(DomainError) as caught:
        org_move(actor=None, org=tree.township, new_parent=tree.other_county)
    assert caught.value.rule == "org.placement"
    assert "990102" in caught.value.message


def test_an_area_code_cannot_change_under_the_areas_below_it(tree):
    with pytest.raises(DomainError) as caught:
        org_update(actor=None, org=tree.township, name="城关镇", code="990101009")
    assert caught.value.rule == "org.code_has_areas_below"
    org_update(actor=None, org=tree.village, name="东门村", code="990101001009")
    assert Org.objects.get(pk=tree.village.pk).code == "990101001009"


def test_moving_under_own_descendant_is_refused(tree):
    before = Org.objects.get(pk=tree.township.pk).path
    with pytest.raises(DomainError) as caught:
        org_move(actor=None, org=tree.township, new_parent=tree.township_office)
    assert caught.value.rule == "org.move_cycle"
    assert Org.objects.get(pk=tree.township.pk).path == before


def test_moving_a_unit_to_another_level_relevels_its_subtree(tree):
    sub = org_create(
        actor=None,
        name="法治科",
        kind="department",
        code=make_uscc("department", "990101", 777),
        parent=tree.justice_bureau,
    )
    org_move(actor=None, org=tree.justice_bureau, new_parent=tree.township)
    assert Org.objects.get(pk=tree.justice_bureau.pk).level == 4
    assert Org.objects.get(pk=sub.pk).level == 4
    assert Org.objects.get(pk=sub.pk).depth == Org.objects.get(pk=tree.township.pk).depth + 2


@pytest.mark.parametrize(
    ("kind", "code", "parent_attr", "rule"),
    [
        ("village", "990101001009", "county", "org.placement"),
        ("township", "990102003", "county", "org.code"),
        ("department", "11990101000000151X", "county", "org.code"),
        ("county", "990101", "city", "org.code_unique"),
    ],
)
def test_bad_placement_or_code_is_refused_and_nothing_written(tree, kind, code, parent_attr, rule):
    count, events = Org.objects.count(), AuditEvent.objects.count()
    with pytest.raises(DomainError) as caught:
        org_create(actor=None, name="X", kind=kind, code=code, parent=getattr(tree, parent_attr))
    assert caught.value.rule == rule
    assert (Org.objects.count(), AuditEvent.objects.count()) == (count, events)


def test_deactivating_with_active_children_is_refused(tree):
    with pytest.raises(DomainError):
        org_set_active(actor=None, org=tree.township2, active=False)
    org_set_active(actor=None, org=tree.village2, active=False)
    org_set_active(actor=None, org=tree.township2, active=False)
    assert not Org.objects.get(pk=tree.township2.pk).is_active


def test_update_records_old_and_new_values(tree, personas):
    org_update(actor=personas["county_admin"], org=tree.village, name="东门新村", code=tree.village.code)
    event = AuditEvent.objects.filter(action="orgs.org.updated").get()
    assert (event.old["name"], event.new["name"]) == ("东门村", "东门新村")
    assert event.actor == personas["county_admin"]


def test_user_and_membership_are_created_and_audited(tree, personas):
    from fazhi.orgs.accounts import membership_add, user_create

    admin = personas["county_admin"]
    user = user_create(actor=admin, username="newclerk", full_name="新填报员", password="a-long-enough-pass-42")
    membership_add(actor=admin, user=user, org=tree.village, role="clerk")
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))[-2:]
    assert actions == ["orgs.user.created", "orgs.membership.added"]
    with pytest.raises(DomainError) as caught:
        user_create(actor=admin, username="NEWCLERK", full_name="", password=None)
    assert caught.value.rule == "user.username_unique"


def test_sign_in_events_are_filed_under_the_users_organisation(tree, personas, client_for):
    from fazhi.orgs.accounts import LoginRefused, login_attempt

    with pytest.raises(LoginRefused):
        login_attempt(username="township_clerk", password="wrong", ip="10.0.0.9")
    event = AuditEvent.objects.get(action="auth.login.failed")
    assert event.org_id == tree.township.pk
    page = client_for("county_admin").get("/audit/", headers={"Accept-Language": "en"})
    assert "auth.login.failed" in page.content.decode()


def test_every_audit_action_written_by_orgs_has_a_label(tree, personas, client_for):
    from fazhi.core.audit import action_label

    org_update(actor=personas["county_admin"], org=tree.village, name="东门新村", code=tree.village.code)
    written = set(AuditEvent.objects.values_list("action", flat=True))
    assert {action for action in written if not action_label(action)} == set()
    page = client_for("county_admin").get("/audit/", headers={"Accept-Language": "en"}).content.decode()
    assert "Organisation edited" in page
