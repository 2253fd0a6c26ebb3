"""Org and user imports: every rule of the tree and of scope applies per row, and a refused file writes nothing."""

from __future__ import annotations

import pytest
from django.utils import translation

from fazhi.core.audit import audit_verify
from fazhi.core.errors import DomainError
from fazhi.core.imports import import_run
from fazhi.core.models import AuditEvent
from fazhi.core.xlsx import export_rows
from fazhi.orgs.codes import make_uscc
from fazhi.orgs.importers import OrgImporter, UserImporter, org_export_rows
from fazhi.orgs.models import Membership, Org, User
from fazhi.orgs.services import OrgDraft, org_bulk_create, org_create, org_set_active
from tests.factories import make_user
from tests.spreadsheets import make_xlsx, read_xlsx


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the msgids), whatever catalogue the site has."""
    with translation.override("en"):
        yield


ORG_HEADER = ["名称", "类型", "代码", "上级代码"]
USER_HEADER = ["用户名", "姓名", "组织代码", "角色", "初始密码"]


@pytest.fixture
def counts(db):
    """How many organisations, users, memberships and audit events were added since the fixture ran."""
    before = (Org.objects.count(), User.objects.count(), Membership.objects.count(), AuditEvent.objects.count())

    def added():
        now = (Org.objects.count(), User.objects.count(), Membership.objects.count(), AuditEvent.objects.count())
        return tuple(b - a for a, b in zip(before, now, strict=True))

    return added


def import_orgs(user, rows, *, dry_run=False, header=ORG_HEADER):
    return import_run(OrgImporter(actor=user), make_xlsx([header, *rows]), dry_run=dry_run)


def errors_of(result):
    return [(e.row, e.column, e.value, e.message) for e in result.errors]


# --- Organisations -----------------------------------------------------------------------------


def test_a_county_admin_imports_a_township_with_its_villages_and_units(tree, personas, counts):
    admin = personas["county_admin"]
    result = import_orgs(
        admin,
        [
            ["新华镇", "乡镇", "990101003", "990101"],
            ["新华村", "村", 990101003001.0, "990101003"],
            ["新华社区", "community", "990101003002", "990101003"],
            ["新华镇司法所", "部门", make_uscc("department", "990101", 5001), "990101003"],
            ["前进村", "行政村", "990101001003", "990101001"],
            ["青山县实验小学", "学校", make_uscc("school", "990101", 5002), "990101"],
        ],
    )
    assert result.ok, errors_of(result)
    assert result.lines == ["Created 6 organisations."]
    town = Org.objects.get(code="990101003")
    assert town.parent_id == tree.county.pk and town.level == 4 and town.path.startswith(tree.county.path)
    village = Org.objects.get(code="990101003001")
    assert village.parent_id == town.pk and village.depth == town.depth + 1 and village.level == 5
    assert village.path == town.path + str(village.pk).zfill(9)
    office = Org.objects.get(name="新华镇司法所")
    assert office.kind == "department" and office.level == 4
    assert Org.objects.get(code="990101001003").parent_id == tree.township.pk
    assert set(Org.objects.filter(tree.county.subtree()).values_list("name", flat=True)) >= {"新华村", "前进村"}
    assert counts() == (6, 0, 0, 6)
    event = AuditEvent.objects.get(action="orgs.org.created", object_id=str(village.pk))
    assert event.actor == admin and event.new["code"] == "990101003001" and event.org_id == village.pk
    assert event.new["parent_id"] == town.pk and event.object_repr == "新华村"
    org_create(actor=admin, name="新华二村", kind="village", code="990101003003", parent=town)
    assert audit_verify().ok, "the events appended in bulk continue the hash chain, and later ones follow"


def test_english_headers_and_kind_values_work_too(tree, personas, counts):
    result = import_orgs(
        personas["county_admin"],
        [["新华镇", "township", "990101003", "990101"]],
        header=["name", "kind", "code", "parent_code"],
    )
    assert result.ok, errors_of(result)
    assert counts()[0] == 1


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        (["前进村", "村", "990101001003", "990101"], "上级代码", "a village must hang under a township"),
        (["前进村", "村", "990101002003", "990101001"], "代码", "does not begin with its parent's digits 990101001"),
        (["前进村", "村", "9901010010", "990101001"], "代码", "this level's division code has 12 digits"),
        (["青山县法院", "部门", make_uscc("department", "990101", 7)[:-1] + "0", "990101"], "代码", "check character"),
        (["重复村", "村", "990101001001", "990101001"], "代码", "already used by 东门村"),
        (["前进村", "村", "990101001003", "990101009"], "上级代码", "no organisation with code 990101009"),
        (["白水二村", "村", "990102001002", "990102001"], "上级代码", "no organisation with code 990102001"),
        (["前进村", "村", "990101001003", None], "上级代码", "required"),
        (["前进村", "村", "990101001003", "990101001003"], "上级代码", "cannot belong under itself"),
        (["前进村", "镇子", "990101001003", "990101001"], "类型", "not one of the allowed values"),
        ([None, "村", "990101001003", "990101001"], "名称", "required"),
    ],
    ids=[
        "wrong-level",
        "wrong-prefix",
        "wrong-length",
        "bad-check-digit",
        "code-in-db",
        "unknown-parent",
        "parent-outside-scope",
        "no-parent",
        "own-parent",
        "unknown-kind",
        "no-name",
    ],
)
def test_a_row_breaking_a_rule_is_refused_naming_row_and_column(tree, personas, counts, row, column, reason):
    result = import_orgs(personas["county_admin"], [["新华镇", "乡镇", "990101003", "990101"], row])
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [(3, column)], errors_of(result)
    assert reason in result.errors[0].message
    assert counts() == (0, 0, 0, 0)


def test_duplicates_and_order_within_the_file_are_checked(tree, personas, counts):
    result = import_orgs(
        personas["county_admin"],
        [
            ["前进村", "村", "990101004001", "990101004"],
            ["新华镇", "乡镇", "990101003", "990101"],
            ["又一个新华镇", "乡镇", "990101003", "990101"],
            ["后进镇", "乡镇", "990101004", "990101"],
        ],
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, "上级代码"), (4, "代码")]
    assert "defined in a later row (5)" in result.errors[0].message
    assert "already in row 3" in result.errors[1].message
    assert counts() == (0, 0, 0, 0)


def test_a_parent_the_importer_sees_but_may_not_change_is_refused(tree, counts):
    user = make_user("town_admin", org=tree.township, role="administrator")
    Membership.objects.create(user=user, org=tree.county, role="reviewer")
    result = import_orgs(user, [["河口二村", "村", "990101002002", "990101002"]])
    assert errors_of(result)[0][1:] == ("上级代码", "990101002", "you may not add organisations under 河口镇")
    assert import_orgs(user, [["东门二村", "村", "990101001009", "990101001"]]).ok


def test_nothing_can_be_added_under_a_deactivated_parent(tree, personas, counts):
    org_set_active(actor=None, org=tree.village2, active=False)
    org_set_active(actor=None, org=tree.township2, active=False)
    before = counts()
    result = import_orgs(personas["county_admin"], [["河口二村", "村", "990101002002", "990101002"]])
    assert "河口镇 is deactivated" in result.errors[0].message
    assert counts() == before


def test_children_of_a_broken_row_are_not_blamed_for_it(tree, personas):
    result = import_orgs(
        personas["county_admin"],
        [
            ["新华镇", "乡镇", "990101003", "990102"],
            ["新华村", "村", "990101003001", "990101003"],
            ["新新镇", "乡镇", "bad", "990101"],
            ["新新村", "村", "990101004001", "bad"],
        ],
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, "上级代码"), (4, "代码")]


def test_every_error_of_every_row_is_reported_at_once(tree, personas, counts):
    result = import_orgs(
        personas["county_admin"],
        [["甲村", "村", "990101001001", "990101001"], ["乙村", "村", "bad", "990101001"], ["丙", "火星", 1.5, None]],
    )
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "代码"),
        (3, "代码"),
        (4, "类型"),
        (4, "代码"),
        (4, "上级代码"),
    ]
    assert counts() == (0, 0, 0, 0)


def test_a_dry_run_reports_a_valid_file_and_writes_nothing(tree, personas, counts):
    result = import_orgs(personas["county_admin"], [["新华镇", "乡镇", "990101003", "990101"]], dry_run=True)
    assert result.ok and not result.written
    assert counts() == (0, 0, 0, 0)


def test_a_superuser_may_import_a_province_at_the_top(db, counts):
    root = User.objects.create_superuser("root", password="x" * 12)
    result = import_orgs(root, [["西岭省", "省", "980000", None], ["西岭市", "市", "980100", "980000"]])
    assert result.ok, errors_of(result)
    assert Org.objects.get(code="980100").parent.code == "980000"


def test_an_export_imports_back_to_the_same_tree(tree, personas):
    admin = personas["county_admin"]
    assert import_orgs(
        admin,
        [
            ["新华镇", "乡镇", "990101003", "990101"],
            ["新华村", "村", "990101003001", "990101003"],
            ["新华镇司法所", "部门", make_uscc("department", "990101", 5001), "990101003"],
        ],
    ).ok
    town = Org.objects.get(code="990101003")
    data = export_rows(OrgImporter, org_export_rows(root=town))
    assert read_xlsx(data)[0] == ORG_HEADER
    assert read_xlsx(data)[1] == ["新华镇", "乡镇", "990101003", "990101"]
    exported = {(o.name, o.kind, o.code, o.parent.code) for o in Org.objects.filter(town.subtree())}
    # Remove the imported subtree (and its audit events) behind the services' back, then import the export.
    AuditEvent.objects.filter(org__in=Org.objects.filter(town.subtree())).delete()
    for org in Org.objects.filter(town.subtree()).order_by("-depth"):
        org.delete()
    result = import_run(OrgImporter(actor=admin), data)
    assert result.ok, errors_of(result)
    town = Org.objects.get(code="990101003")
    assert {(o.name, o.kind, o.code, o.parent.code) for o in Org.objects.filter(town.subtree())} == exported


def test_the_export_leaves_out_deactivated_organisations(tree):
    org_set_active(actor=None, org=tree.community, active=False)
    codes = [row["code"] for row in org_export_rows(root=tree.township)]
    assert codes[0] == "990101001" and "990101001001" in codes and "990101001002" not in codes


def test_bulk_create_applies_the_rules_itself_and_writes_nothing_when_one_fails(tree, counts):
    with pytest.raises(DomainError) as caught:
        org_bulk_create(
            actor=None,
            drafts=[
                OrgDraft(name="新华镇", kind="township", code="990101003", parent=tree.county),
                OrgDraft(name="新华村", kind="village", code="990101003001", parent_index=0),
                OrgDraft(name="错村", kind="village", code="990101003002", parent=tree.county),
            ],
        )
    assert caught.value.rule == "org.placement" and "错村" in caught.value.message
    assert counts() == (0, 0, 0, 0)


def test_a_code_taken_between_check_and_write_refuses_the_whole_import(tree, personas, counts):
    importer = OrgImporter(actor=personas["county_admin"])
    original_write = importer.write

    def write_after_someone_else(rows):
        org_bulk_create(
            actor=None, drafts=[OrgDraft(name="抢先村", kind="village", code="990101001003", parent=tree.township)]
        )
        return original_write(rows)

    importer.write = write_after_someone_else
    result = import_run(importer, make_xlsx([ORG_HEADER, ["前进村", "村", "990101001003", "990101001"]]))
    assert not result.ok and "already used by 抢先村" in result.errors[0].message
    assert "Nothing was written" in result.errors[0].message
    assert counts() == (0, 0, 0, 0)


# --- Users -------------------------------------------------------------------------------------


def import_users(user, rows, *, dry_run=False):
    return import_run(UserImporter(actor=user), make_xlsx([USER_HEADER, *rows]), dry_run=dry_run)


def test_a_county_admin_imports_accounts_with_their_roles(tree, personas, counts):
    admin = personas["county_admin"]
    result = import_users(
        admin,
        [
            ["dongmen", "张三", "990101001001", "填报员", "Qingshan-2025-spring"],
            ["dongmen", "张三", "990101001002", "clerk", None],
            ["hekou_lead", "李四", 990101002.0, "领导", None],
        ],
    )
    assert result.ok, errors_of(result)
    assert result.lines == ["Created 2 accounts.", "Gave 3 roles."]
    dongmen = User.objects.get(username="dongmen")
    assert dongmen.full_name == "张三" and dongmen.check_password("Qingshan-2025-spring")
    assert set(dongmen.memberships.values_list("org__code", "role")) == {
        ("990101001001", "clerk"),
        ("990101001002", "clerk"),
    }
    assert not User.objects.get(username="hekou_lead").has_usable_password()
    assert counts() == (0, 2, 3, 5)
    assert AuditEvent.objects.filter(action="orgs.membership.added", actor=admin).count() == 3


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        (["County_Admin", "王", "990101001001", "clerk", None], "用户名", "already taken"),
        (["bad name!", "王", "990101001001", "clerk", None], "用户名", "Enter a valid username"),
        (["newbie", "王", "990102001001", "clerk", None], "组织代码", "no organisation with code 990102001001"),
        (["newbie", "王", "990199", "clerk", None], "组织代码", "no organisation with code 990199"),
        (["newbie", "王", "990101001001", "boss", None], "角色", "not one of the allowed values"),
        (["newbie", "王", "990101001001", "clerk", "12345678"], "初始密码", "too short"),
        (["newbie", None, "990101001001", "clerk", None], "姓名", "required"),
    ],
    ids=["taken", "bad-username", "outside-scope", "unknown-org", "unknown-role", "weak-password", "no-name"],
)
def test_a_bad_user_row_is_refused_naming_row_and_column(tree, personas, counts, row, column, reason):
    result = import_users(personas["county_admin"], [["okuser", "赵", "990101", "leader", None], row])
    assert [(e.row, e.column) for e in result.errors][:1] == [(3, column)], errors_of(result)
    assert reason in result.errors[0].message
    if column == "初始密码":
        assert result.errors[0].value == "******"
    assert counts() == (0, 0, 0, 0)


def test_repeated_user_rows_must_agree(tree, personas, counts):
    result = import_users(
        personas["county_admin"],
        [
            ["dongmen", "张三", "990101001001", "clerk", "Qingshan-2025-spring"],
            ["dongmen", "张叁", "990101001002", "clerk", "Another-password-9"],
            ["dongmen", "张三", "990101001001", "填报员", None],
        ],
    )
    assert [(e.row, e.column) for e in result.errors] == [(3, "姓名"), (3, "初始密码"), (4, "角色")]
    assert counts() == (0, 0, 0, 0)


def test_user_import_needs_membership_rights_over_each_org(tree, counts):
    clerk_admin = make_user("town_admin", org=tree.township, role="administrator")
    Membership.objects.create(user=clerk_admin, org=tree.county, role="leader")
    result = import_users(clerk_admin, [["newbie", "王", "990101002001", "clerk", None]])
    assert errors_of(result)[0][1:] == ("组织代码", "990101002001", "you may not manage the users of 河口村")
    assert import_users(clerk_admin, [["newbie", "王", "990101001001", "clerk", None]]).ok


def test_a_mobile_number_typed_as_a_number_is_a_user_name(tree, personas):
    result = import_users(personas["county_admin"], [[13800138000.0, "王五", "990101001001", "clerk", None]])
    assert result.ok, errors_of(result)
    assert User.objects.filter(username="13800138000").exists()
