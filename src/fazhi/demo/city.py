"""The demo city: 岚州市 of the fictional 西岭省, three counties, one account per persona, and the
shipped scoring standards, published under the city.

Everything is created through the services (:func:`fazhi.orgs.services.org_create`,
:func:`fazhi.orgs.accounts.user_create`, :func:`fazhi.orgs.accounts.membership_add`), so every
organisation and account is checked by the same rules as one made on a page, and audited; the
whole load is one transaction. The names are invented; every code is valid (division codes of
the right length that begin with their parent's digits; unified social credit codes with their
GB 32100-2015 and GB 11714 check characters). ``docs/demo.md`` describes the data and the accounts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from fazhi.core.audit import audit_record
from fazhi.demo.campaigns import CAMPAIGN_ACCOUNTS, EXPERT_ORG, demo_campaigns_load
from fazhi.demo.ledgers import demo_ledgers_load
from fazhi.demo.names import COUNTY_DEPARTMENTS, ENTERPRISE_TRADES, short_area_name
from fazhi.indicators.services import load_shipped_standards
from fazhi.orgs.accounts import membership_add, user_create
from fazhi.orgs.codes import make_uscc
from fazhi.orgs.models import Org, User
from fazhi.orgs.services import org_create

# The province 99 is the tests' (tests/factories.py), 97 the province-scale generator's.
PROVINCE = ("西岭省", "980000")
CITY = ("岚州市", "980100")

DEMO_PASSWORD = "fazhi-demo-2026"
ADMIN_PASSWORD = "fazhi-admin-2026"


@dataclass(frozen=True)
class Township:
    name: str
    code: str  # the township's 3 digits; 001-099 subdistricts, 101-199 towns, 201-399 townships
    communities: tuple[str, ...] = ()  # codes 001, 002, ...
    villages: tuple[str, ...] = ()  # codes 201, 202, ...


@dataclass(frozen=True)
class County:
    name: str
    code: str  # 6 digits
    townships: tuple[Township, ...]
    departments: int = 13
    schools: tuple[str, ...] = ("第一中学", "实验小学", "职业技术学校")
    enterprises: tuple[str, ...] = ()


COUNTIES = (
    County(
        "青岚区",
        "980102",
        (
            Township("城东街道", "001", communities=("朝阳社区", "东风社区", "锦绣社区", "桂园社区")),
            Township("城西街道", "002", communities=("西门社区", "文昌社区", "玉泉社区", "新华社区")),
            Township("滨江街道", "003", communities=("江滨社区", "望江社区", "码头社区")),
            Township("岚山镇", "101", communities=("岚山社区",), villages=("石桥村", "梅岭村", "上坪村", "杨家湾村")),
        ),
        enterprises=(ENTERPRISE_TRADES[0], ENTERPRISE_TRADES[4]),
    ),
    County(
        "柳溪县",
        "980121",
        (
            Township("柳城镇", "101", communities=("城关社区",), villages=("柳林村", "河西村", "青石村", "王家庄村")),
            Township("溪口镇", "102", communities=("溪口社区",), villages=("双河村", "竹园村", "鹿鸣村")),
            Township("白鹭乡", "201", villages=("白鹭村", "黄泥塘村", "高峰村")),
            Township("高坪乡", "202", villages=("高坪村", "松林村", "龙潭村")),
        ),
        enterprises=(ENTERPRISE_TRADES[1], ENTERPRISE_TRADES[2]),
    ),
    County(
        "桐川县",
        "980122",
        (
            Township("桐城镇", "101", communities=("桐城社区", "南关社区"), villages=("桐林村", "金沙村", "马家岗村")),
            Township("川北镇", "102", communities=("川北社区",), villages=("清水村", "桃源村", "老鸦冲村")),
            Township("石门乡", "201", villages=("石门村", "云台村", "大坪村")),
        ),
        enterprises=(ENTERPRISE_TRADES[3], ENTERPRISE_TRADES[5]),
    ),
)
CITY_DEPARTMENTS = COUNTY_DEPARTMENTS[:8]
TOWNSHIP_UNITS = ("司法所", "综合行政执法队")


@dataclass(frozen=True)
class Account:
    """A demo account: ``org_name`` and ``role`` are None for the superuser."""

    username: str
    full_name: str
    password: str
    org_name: str | None
    role: str | None


ACCOUNTS = (
    Account("admin", "系统管理员", ADMIN_PASSWORD, None, None),
    Account("city_admin", "周明远", DEMO_PASSWORD, "岚州市", "administrator"),
    Account("county_admin", "王建国", DEMO_PASSWORD, "柳溪县", "administrator"),
    Account("department_clerk", "孙丽华", DEMO_PASSWORD, "柳溪县司法局", "clerk"),
    Account("township_clerk", "李晓梅", DEMO_PASSWORD, "柳城镇", "clerk"),
    Account("village_clerk", "赵志强", DEMO_PASSWORD, "柳林村", "clerk"),
    Account("recommender", "陈文博", DEMO_PASSWORD, "柳溪县", "recommender"),
    Account("reviewer", "吴海燕", DEMO_PASSWORD, "岚州市", "reviewer"),
    Account("leader", "刘国平", DEMO_PASSWORD, "岚州市", "leader"),
    # The demo campaigns' reviewers and a township's recommender (fazhi.demo.campaigns).
    *(Account(name, full_name, DEMO_PASSWORD, org, role) for name, full_name, org, role in CAMPAIGN_ACCOUNTS),
)


@dataclass
class CitySummary:
    kinds: Counter = field(default_factory=Counter)
    accounts: int = 0
    standards: int = 0

    @property
    def orgs(self) -> int:
        return sum(self.kinds.values())


class _Builder:
    """Creates organisations through the service, numbering the units' credit codes."""

    def __init__(self, summary: CitySummary):
        self.summary = summary
        self.serial = 0
        self.by_name: dict[str, Org] = {}

    def area(self, kind: str, name: str, code: str, parent: Org | None) -> Org:
        return self._create(kind, name, code, parent)

    def unit(self, kind: str, name: str, parent: Org) -> Org:
        self.serial += 1
        return self._create(kind, name, make_uscc(kind, parent.code[:6], 10_000 + self.serial), parent)

    def _create(self, kind: str, name: str, code: str, parent: Org | None) -> Org:
        org = org_create(actor=None, name=name, kind=kind, code=code, parent=parent)
        self.summary.kinds[kind] += 1
        self.by_name.setdefault(name, org)
        return org


def _build_county(build: _Builder, spec: County, city: Org) -> None:
    county = build.area("county", spec.name, spec.code, city)
    for department in COUNTY_DEPARTMENTS[: spec.departments]:
        build.unit("department", spec.name + department, county)
    for school in spec.schools:
        build.unit("school", spec.name + school, county)
    for trade in spec.enterprises:
        build.unit("enterprise", short_area_name(spec.name) + trade, county)
    for township_spec in spec.townships:
        township = build.area("township", township_spec.name, spec.code + township_spec.code, county)
        for unit in TOWNSHIP_UNITS:
            build.unit("department", township_spec.name + unit, township)
        if not township_spec.name.endswith("街道"):
            build.unit("school", township_spec.name + "中心小学", township)
        for number, name in enumerate(township_spec.communities, start=1):
            build.area("community", name, f"{township.code}{number:03d}", township)
        for number, name in enumerate(township_spec.villages, start=201):
            build.area("village", name, f"{township.code}{number:03d}", township)


def _create_accounts(build: _Builder) -> int:
    for account in ACCOUNTS:
        user = user_create(
            actor=None, username=account.username, full_name=account.full_name, password=account.password
        )
        if account.role is None:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
            audit_record(action="orgs.user.superuser_granted", obj=user, new={"is_superuser": True, "is_staff": True})
        else:
            membership_add(actor=None, user=user, org=build.by_name[account.org_name], role=account.role)
    return len(ACCOUNTS)


@transaction.atomic
def demo_city_load(*, progress: Callable[[str], None] | None = None) -> CitySummary:
    """Create the demo province, city, counties and accounts; all or nothing.

    Refused (by the code-uniqueness rule, nothing written) if the demo province is already there.
    """
    report = progress or (lambda message: None)
    summary = CitySummary()
    build = _Builder(summary)
    province = build.area("province", *PROVINCE, None)
    city = build.area("city", *CITY, province)
    for department in CITY_DEPARTMENTS:
        build.unit("department", CITY[0] + department, city)
    build.unit("school", CITY[0] + "第一中学", city)
    report(_("%(name)s: %(count)d organisations") % {"name": CITY[0], "count": summary.orgs})
    for spec in COUNTIES:
        before = summary.orgs
        _build_county(build, spec, city)
        report(_("%(name)s: %(count)d organisations") % {"name": spec.name, "count": summary.orgs - before})
    build.unit("other", EXPERT_ORG, city)
    summary.accounts = _create_accounts(build)
    report(_("%(count)d demo accounts") % {"count": summary.accounts})
    standards = load_shipped_standards(actor=None, owner_org=city)
    summary.standards = len(standards)
    report(_("%(count)d scoring standards, published") % {"count": summary.standards})
    demo_campaigns_load(standards=standards, progress=report)
    demo_ledgers_load(progress=report)
    return summary


def demo_accounts() -> list[tuple[Account, User | None]]:
    """The demo accounts with their users (None where an account no longer exists)."""
    users = {user.username: user for user in User.objects.filter(username__in=[a.username for a in ACCOUNTS])}
    return [(account, users.get(account.username)) for account in ACCOUNTS]
