"""Spreadsheets of organisations and users: what the import framework reads, and the org export.

Both importers are declarations for :mod:`fazhi.core.imports`: their columns, the checks each
row gets (every rule of :mod:`fazhi.orgs.rules`, the unique code, the parent, and the acting
person's scope), and the writer, which goes through the services
(:func:`fazhi.orgs.services.org_bulk_create`, :func:`fazhi.orgs.accounts.user_create` and
:func:`~fazhi.orgs.accounts.membership_add`) inside the import's one transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from fazhi.core.errors import DomainError
from fazhi.core.i18n import translate
from fazhi.core.imports import Choice, Column, Importer, Row, RowRefused, code, text
from fazhi.orgs import roles, rules
from fazhi.orgs.access import scope_paths
from fazhi.orgs.accounts import membership_add, user_create
from fazhi.orgs.codes import make_uscc
from fazhi.orgs.models import Org, OrgKind, Role, User, subtree_q
from fazhi.orgs.services import OrgDraft, OrgParentInfo, org_bulk_create, org_rule_problems

# Chinese spellings accepted for each kind; the first is what templates and exports write.
KIND_ALIASES = {
    "province": ("省", "省级", "自治区", "直辖市"),
    "city": ("市", "地级市", "州", "盟", "地区"),
    "county": ("县区", "县", "区", "县级市", "旗", "县(区)", "县/区"),
    "township": ("乡镇", "乡", "镇", "街道", "乡镇街道", "乡镇/街道", "乡镇(街道)"),
    "village": ("村", "行政村", "村委会"),
    "community": ("社区", "居委会", "社区居委会"),
    "department": ("部门", "机关", "单位"),
    "school": ("学校",),
    "enterprise": ("企业", "公司"),
    "other": ("其他单位", "其他"),
}

ROLE_ALIASES = {
    "administrator": ("管理员",),
    "clerk": ("填报员", "单位填报员"),
    "recommender": ("推荐人", "推荐单位"),
    "reviewer": ("评审专家", "评审员", "专家"),
    "leader": ("领导",),
}

CHUNK = 500
# The column that holds what a service's DomainError.field names.
_SERVICE_FIELDS = {"username": "username", "password": "password", "role": "role", "org": "org_code"}


def _orgs_by_code(codes: set[str]) -> dict[str, Org]:
    ordered = sorted(codes)
    found: dict[str, Org] = {}
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        found.update(
            (org.code, org)
            for org in Org.objects.filter(code__in=chunk).only(
                "pk", "name", "kind", "code", "level", "depth", "path", "is_active"
            )
        )
    return found


class _Scope:
    """Whether the acting person holds a capability over an organisation, from their grants read once."""

    def __init__(self, user, capability: str):
        self.paths = scope_paths(user, capability)

    @property
    def everywhere(self) -> bool:
        return self.paths is None

    def covers(self, org: Org) -> bool:
        return self.paths is None or any(org.path.startswith(p) for p in self.paths)


# --- Organisations -----------------------------------------------------------------------------


class OrgImporter(Importer):
    """Organisations under parents that exist (in the importer's scope) or come earlier in the file."""

    kind = "orgs.org_import"
    title = gettext_lazy("Import organisations")
    sheet_name = "组织"
    columns = (
        Column(
            "name",
            "名称",
            gettext_lazy("Name"),
            required=True,
            parse=text(max_length=200),
            help=gettext_lazy("The organisation's full name."),
            example="东门村",
            width=30,
        ),
        Column(
            "kind",
            "类型",
            gettext_lazy("Kind"),
            required=True,
            parse=Choice(OrgKind.choices, KIND_ALIASES),
            example="village",
            width=12,
        ),
        Column(
            "code",
            "代码",
            gettext_lazy("Code"),
            required=True,
            parse=code(max_length=18),
            help=gettext_lazy(
                "Areas: the administrative division code (6 digits for a county, 9 for a township, 12 for a "
                "village or community), beginning with the parent's digits. Departments, schools, enterprises and "
                "other units: the 18-character unified social credit code."
            ),
            example="990101001001",
            text_format=True,
            width=22,
        ),
        Column(
            "parent_code",
            "上级代码",
            gettext_lazy("Parent code"),
            parse=code(max_length=18),
            help=gettext_lazy(
                "The code of the organisation it belongs under: one that exists and that you may change, "
                "or one in an earlier row of this file. Empty only for a province."
            ),
            example="990101001",
            aliases=("上级组织代码", "上级单位代码"),
            text_format=True,
            width=22,
        ),
    )
    notes = (
        gettext_lazy(
            "An organisation may belong under one defined in an earlier row of the same file, so a township and "
            "its villages can be imported together: put the township first."
        ),
    )
    example_rows = (
        {"name": "城关镇", "kind": "township", "code": "990101001", "parent_code": "990101"},
        {"name": "东门村", "kind": "village", "code": "990101001001", "parent_code": "990101001"},
        {
            "name": "城关镇人民政府办公室",
            "kind": "department",
            "code": make_uscc("department", "990101", 1),
            "parent_code": "990101001",
        },
    )

    def prepare(self, rows: list[Row]) -> None:
        codes = {row["code"] for row in rows if row["code"]} | {
            row["parent_code"] for row in rows if row["parent_code"]
        }
        self.existing = _orgs_by_code(codes)
        self.change = _Scope(self.actor, roles.ORG_CHANGE)
        self.view = _Scope(self.actor, roles.ORG_VIEW)
        self.first_row_of: dict[str, int] = {}
        for row in rows:
            if row["code"]:
                self.first_row_of.setdefault(row["code"], row.number)
        self.defined: dict[str, Row] = {}  # code → the row that defined it, among rows checked so far
        self.draft_of: dict[str, int] = {}  # code → index in self.drafts
        self.drafts: list[OrgDraft] = []

    def _parent(self, row: Row) -> tuple[bool, Org | None, OrgParentInfo | None]:
        """(whether the placement can be checked, the existing parent, what the rules need of the parent)."""
        if "parent_code" in row.failed:
            return False, None, None
        parent_code = row["parent_code"]
        if not parent_code:
            if not self.change.everywhere:
                row.error("parent_code", _("required: the code of the organisation this one belongs under"))
                return False, None, None
            return True, None, None
        if parent_code == row["code"]:
            row.error("parent_code", _("an organisation cannot belong under itself"))
            return False, None, None
        above = self.defined.get(parent_code)
        if above is not None:
            if above["kind"] is None or any(key in ("kind", "code") for key, _message in above.problems):
                return False, None, None  # that row's own error is reported; this one cannot be judged yet
            return True, None, OrgParentInfo(kind=above["kind"], code=parent_code, name=above["name"] or "")
        if parent_code in self.first_row_of:
            row.error(
                "parent_code",
                _("%(code)s is defined in a later row (%(row)d); put an organisation above those under it.")
                % {"code": parent_code, "row": self.first_row_of[parent_code]},
            )
            return False, None, None
        parent = self.existing.get(parent_code)
        if parent is None or not (self.view.covers(parent) or self.change.covers(parent)):
            row.error(
                "parent_code",
                _("no organisation with code %(code)s exists in your scope or in an earlier row")
                % {"code": parent_code},
            )
            return False, None, None
        if not self.change.covers(parent):
            row.error(
                "parent_code",
                _("you may not add organisations under %(name)s") % {"name": parent.name},
            )
            return False, None, None
        return (
            True,
            parent,
            OrgParentInfo(kind=parent.kind, code=parent.code, name=parent.name, is_active=parent.is_active),
        )

    def check_row(self, row: Row) -> None:
        code_value = row["code"]
        if code_value:
            if code_value in self.defined:
                row.error(
                    "code",
                    _("code %(code)s is already in row %(row)d of this file")
                    % {"code": code_value, "row": self.defined[code_value].number},
                )
            else:
                self.defined[code_value] = row
                clash = self.existing.get(code_value)
                if clash is not None:
                    row.error(
                        "code",
                        _("Code %(code)s is already used by %(name)s.") % {"code": code_value, "name": clash.name},
                    )
        checkable, parent, info = self._parent(row)
        if checkable and row["kind"] and code_value:
            for problem in org_rule_problems(name=row["name"] or "", kind=row["kind"], code=code_value, parent=info):
                if problem.field == "name" and "name" in row.failed:
                    continue  # already reported as required
                row.error({"parent": "parent_code"}.get(problem.field, problem.field), problem.message)
        elif row["kind"] and code_value:
            # Without a usable parent the placement cannot be judged, but the code's own form can.
            problem = rules.code_problem(row["kind"], code_value, parent_kind=None, parent_code=None)
            if problem:
                row.error("code", translate(problem))
        parent_index = self.draft_of.get(row["parent_code"]) if row["parent_code"] else None
        if row.ok and (parent is not None or parent_index is not None or not row["parent_code"]):
            self.draft_of[code_value] = len(self.drafts)
            self.drafts.append(
                OrgDraft(
                    name=row["name"],
                    kind=row["kind"],
                    code=code_value,
                    parent=parent,
                    parent_index=parent_index if parent is None else None,
                )
            )

    def write(self, rows: list[Row]) -> list[str]:
        created = org_bulk_create(actor=self.actor, drafts=self.drafts)
        return [
            ngettext("Created %(count)s organisation.", "Created %(count)s organisations.", len(created))
            % {"count": number_format(len(created), force_grouping=True)}
        ]


def org_export_rows(*, root: Org) -> Iterator[dict[str, Any]]:
    """The active organisations of ``root``'s subtree, parents before children, as OrgImporter rows."""
    rows = (
        Org.objects.filter(subtree_q(root.path), is_active=True)
        .order_by("path")
        .values_list("name", "kind", "code", "parent__code")
    )
    for name, kind, code_value, parent_code in rows.iterator(chunk_size=2000):
        yield {"name": name, "kind": kind, "code": code_value, "parent_code": parent_code}


# --- Users and their roles ---------------------------------------------------------------------


class UserImporter(Importer):
    """New accounts with their roles: one row per (user, organisation, role)."""

    kind = "orgs.user_import"
    title = gettext_lazy("Import users")
    sheet_name = "用户"
    columns = (
        Column(
            "username",
            "用户名",
            gettext_lazy("User name"),
            required=True,
            # Read like a code, so that a mobile number typed as a number stays its digits.
            parse=code(max_length=150, upper=False),
            help=gettext_lazy("What the person types to sign in: letters, digits and @ . + - _ only."),
            example="dongmen_clerk",
            width=20,
        ),
        Column(
            "full_name",
            "姓名",
            gettext_lazy("Full name"),
            required=True,
            parse=text(max_length=100),
            example="张三",
            width=14,
        ),
        Column(
            "org_code",
            "组织代码",
            gettext_lazy("Organisation code"),
            required=True,
            parse=code(max_length=18),
            help=gettext_lazy("The code of the organisation where the role is held; you must manage its users."),
            example="990101001001",
            aliases=("代码",),
            text_format=True,
            width=22,
        ),
        Column(
            "role",
            "角色",
            gettext_lazy("Role"),
            required=True,
            parse=Choice(Role.choices, ROLE_ALIASES),
            example="clerk",
            width=12,
        ),
        Column(
            "password",
            "初始密码",
            gettext_lazy("Initial password"),
            parse=text(max_length=128),
            help=gettext_lazy(
                "Optional. Leave empty to create an account that cannot sign in until a password is set."
            ),
            sensitive=True,
            width=18,
        ),
    )
    notes = (
        gettext_lazy(
            "A person with several roles takes several rows with the same user name; the full name must be the same "
            "in each, and the initial password may be given once. User names must be new."
        ),
    )
    example_rows = (
        {"username": "dongmen_clerk", "full_name": "张三", "org_code": "990101001001", "role": "clerk"},
        {"username": "dongmen_clerk", "full_name": "张三", "org_code": "990101001002", "role": "clerk"},
    )

    def prepare(self, rows: list[Row]) -> None:
        self.orgs = _orgs_by_code({row["org_code"] for row in rows if row["org_code"]})
        names = sorted({row["username"].lower() for row in rows if row["username"]})
        self.password_hashes: dict[str, str] = {}
        self.taken: set[str] = set()  # user names are unique regardless of case, as in user_create
        for start in range(0, len(names), CHUNK):
            self.taken.update(
                User.objects.annotate(name_lower=Lower("username"))
                .filter(name_lower__in=names[start : start + CHUNK])
                .values_list("name_lower", flat=True)
            )
        self.manage = _Scope(self.actor, roles.MEMBERSHIP_MANAGE)
        self.view = _Scope(self.actor, roles.ORG_VIEW)
        self.users: dict[str, Row] = {}  # lower-cased user name → the row that defines the account
        self.grants: dict[tuple[str, str, str], int] = {}
        self.org_of_row: dict[int, Org] = {}

    def check_row(self, row: Row) -> None:
        username = row["username"]
        if username:
            self._check_username(row, username)
        org = None
        if row["org_code"]:
            org = self._check_org(row, row["org_code"])
        if username and org is not None and row["role"]:
            key = (username.lower(), org.code, row["role"])
            if key in self.grants:
                row.error(
                    "role", _("the same role at the same organisation is in row %(row)d") % {"row": self.grants[key]}
                )
            else:
                self.grants[key] = row.number
        if org is not None:
            self.org_of_row[row.number] = org

    def _check_username(self, row: Row, username: str) -> None:
        try:
            User.username_validator(username)
        except ValidationError as exc:
            row.error("username", " ".join(exc.messages))
            return
        if username.lower() in self.taken:
            row.error("username", _("The user name %(username)s is already taken.") % {"username": username})
            return
        first = self.users.get(username.lower())
        if first is None:
            self.users[username.lower()] = row
            if row["password"]:
                try:
                    validate_password(row["password"], User(username=username, full_name=row["full_name"] or ""))
                except ValidationError as exc:
                    row.error("password", " ".join(exc.messages))
                else:  # hash now, outside the write transaction: hashing is slow by design
                    self.password_hashes[username.lower()] = make_password(row["password"])
            return
        if row["full_name"] and first["full_name"] and row["full_name"] != first["full_name"]:
            row.error(
                "full_name",
                _("row %(row)d gives this user the full name %(name)s")
                % {"row": first.number, "name": first["full_name"]},
            )
        if row["password"] and row["password"] != first["password"]:
            row.error("password", _("row %(row)d already sets this user's password") % {"row": first.number})

    def _check_org(self, row: Row, org_code: str) -> Org | None:
        org = self.orgs.get(org_code)
        if org is None or not (self.view.covers(org) or self.manage.covers(org)):
            row.error("org_code", _("no organisation with code %(code)s exists in your scope") % {"code": org_code})
            return None
        if not self.manage.covers(org):
            row.error("org_code", _("you may not manage the users of %(name)s") % {"name": org.name})
            return None
        if not org.is_active:
            row.error(
                "org_code",
                _("%(org)s is deactivated; no one can be given a role there.") % {"org": org.name},
            )
            return None
        return org

    def write(self, rows: list[Row]) -> list[str]:
        accounts: dict[str, User] = {}
        memberships = 0
        for row in rows:
            name = row["username"].lower()
            try:
                if name not in accounts:
                    accounts[name] = user_create(
                        actor=self.actor,
                        username=row["username"],
                        full_name=row["full_name"],
                        password=None,
                        password_hash=self.password_hashes.get(name),
                    )
                membership_add(actor=self.actor, user=accounts[name], org=self.org_of_row[row.number], role=row["role"])
            except DomainError as exc:
                raise RowRefused(row, _SERVICE_FIELDS.get(exc.field), exc.message) from None
            memberships += 1
        return [
            ngettext("Created %(count)s account.", "Created %(count)s accounts.", len(accounts))
            % {"count": number_format(len(accounts), force_grouping=True)},
            ngettext("Gave %(count)s role.", "Gave %(count)s roles.", memberships)
            % {"count": number_format(memberships, force_grouping=True)},
        ]
