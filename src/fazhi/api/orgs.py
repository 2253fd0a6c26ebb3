"""Organisations, read only: one by its code, and its children (scoped by ``fazhi.orgs.access``)."""

from __future__ import annotations

from django.http import Http404
from ninja import Router, Schema

from fazhi.orgs import roles
from fazhi.orgs.selectors import org_children_page, org_find_by_code

router = Router()


class ChildOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    level: int
    is_active: bool


class OrgOut(ChildOut):
    parent: str | None

    @staticmethod
    def resolve_parent(org) -> str | None:
        return org.parent.code if org.parent_id else None


class ChildrenOut(Schema):
    org: str
    page: int
    has_more: bool
    children: list[ChildOut]


def _org(user, code: str):
    org = org_find_by_code(user=user, code=code, capability=roles.ORG_VIEW)
    if org is None:
        raise Http404
    return org


@router.get("/{org_code}", response=OrgOut, url_name="org")
def org_get(request, org_code: str):
    """The organisation with this code (404 when it does not exist or lies outside your scope)."""
    return _org(request.auth, org_code)


@router.get("/{org_code}/children", response=ChildrenOut, url_name="org_children")
def org_children(request, org_code: str, page: int = 1):
    """The organisation's direct children, a page of them at a time."""
    org = _org(request.auth, org_code)
    children = org_children_page(parent=org, page=page)
    return {"org": org.code, "page": children.number, "has_more": children.has_more, "children": children.orgs}
