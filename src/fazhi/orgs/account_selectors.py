"""Reads for the account pages: memberships an administrator manages, recent users, and the
access helper for one membership. Each keeps a fixed number of queries whatever the row count.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.http import Http404

from fazhi.orgs import roles
from fazhi.orgs.access import has_any_capability, has_capability, scope_q
from fazhi.orgs.models import Membership, Org, User, subtree_q

MEMBERSHIPS_PER_PAGE = 50
RECENT_USERS = 10


def _managed_memberships(user):
    return Membership.objects.filter(scope_q(user, roles.MEMBERSHIP_MANAGE, "org__path"))


@dataclass
class MembershipListing:
    page: Page
    org: Org | None  # the organisation filtered on, when its code was found in scope
    org_not_found: bool  # a code was given but names nothing the user manages


def membership_list_for_user(
    *, user, org_code: str = "", role: str = "", query: str = "", page: int = 1, per_page: int = MEMBERSHIPS_PER_PAGE
) -> MembershipListing:
    """Memberships on organisations in the user's MEMBERSHIP_MANAGE scope, filtered by an
    organisation's subtree (by code), a role, and text in the user name or full name.

    Three queries at most: the filter organisation, the count and the page.
    """
    qs = _managed_memberships(user)
    org = None
    code = org_code.strip().upper()
    if code:
        org = Org.objects.filter(code=code).first()
        if org is None or not has_capability(user, roles.MEMBERSHIP_MANAGE, org):
            return MembershipListing(Paginator(Membership.objects.none(), per_page).get_page(1), None, True)
        qs = qs.filter(subtree_q(org.path, "org__path"))
    if role:
        qs = qs.filter(role=role)
    query = query.strip()
    if query:
        qs = qs.filter(Q(user__username__icontains=query) | Q(user__full_name__icontains=query))
    qs = qs.select_related("user", "org").order_by("org__path", "role", "user__username", "pk")
    return MembershipListing(Paginator(qs, per_page).get_page(page), org, False)


def membership_get_for_user(user, pk) -> Membership:
    """One membership the user may manage: 403 for someone who manages none, 404 outside their scope."""
    if not has_any_capability(user, roles.MEMBERSHIP_MANAGE):
        raise PermissionDenied
    membership = _managed_memberships(user).select_related("user", "org").filter(pk=pk).first()
    if membership is None:
        raise Http404
    return membership


def user_find_by_username(*, username: str) -> User | None:
    """An account by its exact user name (administrators add existing people by name)."""
    username = username.strip()
    return User.objects.filter(username=username).first() if username else None


def users_recent_for_user(*, user, limit: int = RECENT_USERS) -> list[User]:
    """The newest accounts holding a role somewhere in the user's MEMBERSHIP_MANAGE scope. One query."""
    holders = _managed_memberships(user).values("user_id")
    return list(User.objects.filter(pk__in=holders).order_by("-date_joined", "-pk")[:limit])


def user_get_for_user(user, pk) -> User:
    """An account holding a role the user manages: 403 for someone who manages none, 404 otherwise."""
    if not has_any_capability(user, roles.MEMBERSHIP_MANAGE):
        raise PermissionDenied
    target = User.objects.filter(pk__in=_managed_memberships(user).values("user_id"), pk=pk).first()
    if target is None:
        raise Http404
    return target


def memberships_of_user(user) -> list[Membership]:
    """The user's own roles, for their home page. One query."""
    if not user.is_authenticated:
        return []
    return list(user.memberships.select_related("org").order_by("org__path", "role"))
