"""Test data: a small fictional tree and the shared personas.

The tree (all codes valid)::

    东川省 990000
      云溪市 990100
        青山县 990101 ─ 司法局 (department), 青山县第一中学 (school)
          城关镇 990101001 ─ 城关镇人民政府办公室 (department)
            东门村 990101001001, 西街社区 990101001002
          河口镇 990101002
            河口村 990101002001
        白水县 990102 ─ 白水县司法局 (department)
          白水镇 990102001
            白水村 990102001001

Personas: ``county_admin`` (administrator of 青山县), ``township_clerk`` (clerk of 城关镇),
``village_clerk_elsewhere`` (clerk of 白水村, in the other county), ``reviewer`` and ``leader``
(of 青山县), and the anonymous public.
"""

from __future__ import annotations

from dataclasses import dataclass

import factory

from fazhi.orgs.codes import make_uscc
from fazhi.orgs.models import Membership, Org, User
from fazhi.orgs.services import org_create

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def make_user(username: str, *, org: Org | None = None, role: str | None = None, **fields) -> User:
    user = UserFactory(username=username, **fields)
    if org is not None and role is not None:
        Membership.objects.create(user=user, org=org, role=role)
    return user


@dataclass
class Tree:
    province: Org
    city: Org
    county: Org
    justice_bureau: Org
    school: Org
    township: Org
    township_office: Org
    village: Org
    community: Org
    township2: Org
    village2: Org
    other_county: Org
    other_bureau: Org
    other_township: Org
    other_village: Org


def build_tree() -> Tree:
    def area(kind, name, code, parent=None):
        return org_create(actor=None, name=name, kind=kind, code=code, parent=parent)

    def unit(kind, name, parent, serial):
        division = parent.code[:6]
        return org_create(actor=None, name=name, kind=kind, code=make_uscc(kind, division, serial), parent=parent)

    province = area("province", "东川省", "990000")
    city = area("city", "云溪市", "990100", province)
    county = area("county", "青山县", "990101", city)
    township = area("township", "城关镇", "990101001", county)
    township2 = area("township", "河口镇", "990101002", county)
    other_county = area("county", "白水县", "990102", city)
    other_township = area("township", "白水镇", "990102001", other_county)
    return Tree(
        province=province,
        city=city,
        county=county,
        justice_bureau=unit("department", "青山县司法局", county, 10001),
        school=unit("school", "青山县第一中学", county, 10002),
        township=township,
        township_office=unit("department", "城关镇人民政府办公室", township, 10003),
        village=area("village", "东门村", "990101001001", township),
        community=area("community", "西街社区", "990101001002", township),
        township2=township2,
        village2=area("village", "河口村", "990101002001", township2),
        other_county=other_county,
        other_bureau=unit("department", "白水县司法局", other_county, 10004),
        other_township=other_township,
        other_village=area("village", "白水村", "990102001001", other_township),
    )


PERSONAS = ("county_admin", "township_clerk", "village_clerk_elsewhere", "reviewer", "leader", "anonymous")


def build_personas(tree: Tree) -> dict[str, User | None]:
    return {
        "county_admin": make_user("county_admin", org=tree.county, role="administrator", full_name="王管理"),
        "township_clerk": make_user("township_clerk", org=tree.township, role="clerk", full_name="李填报"),
        "village_clerk_elsewhere": make_user(
            "village_clerk_elsewhere", org=tree.other_village, role="clerk", full_name="赵村干"
        ),
        "reviewer": make_user("reviewer", org=tree.county, role="reviewer", full_name="陈专家"),
        "leader": make_user("leader", org=tree.county, role="leader", full_name="刘领导"),
        "anonymous": None,
    }
