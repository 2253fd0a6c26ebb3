"""Scoping: which organisations a user may see or change, and the access helpers views use.

A user's grants are their memberships as (org path, role) pairs, read once per request and
kept on the user object. A grant covers its organisation's subtree. Superusers are covered
everywhere. Every view fetches objects through an ``*_get_for_user`` helper: an object outside
the user's scope is a 404 (its existence is not revealed), a write the role does not allow a 403.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from fazhi.orgs import roles
from fazhi.orgs.models import Membership, Org, subtree_q


def grants(user) -> list[tuple[str, str]]:
    """(org path, role) for each of the user's memberships on an active organisation."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_fazhi_grants", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user, org__is_active=True).values_list("org__path", "role"))
        user._fazhi_grants = cached
    return cached


def forget_grants(user) -> None:
    """Drop the cached grants after the user's memberships changed."""
    user.__dict__.pop("_fazhi_grants", None)


def scope_paths(user, capability: str) -> list[str] | None:
    """Roots of the subtrees where ``user`` has ``capability``; None means everywhere."""
    if getattr(user, "is_superuser", False) and user.is_active:
        return None
    allowed = roles.roles_with(capability)
    paths = sorted({path for path, role in grants(user) if role in allowed})
    # Drop paths inside another listed path: their subtrees are already covered.
    return [p for i, p in enumerate(paths) if not any(p.startswith(q) for q in paths[:i])]


def scope_q(user, capability: str, field: str = "path") -> Q:
    """A filter for rows whose organisation path ``field`` is in the user's scope."""
    paths = scope_paths(user, capability)
    if paths is None:
        return Q()
    if not paths:
        return Q(pk__in=[])
    return reduce(or_, (subtree_q(p, field) for p in paths))


def has_capability(user, capability: str, org: Org) -> bool:
    paths = scope_paths(user, capability)
    return paths is None or any(org.path.startswith(p) for p in paths)


def has_any_capability(user, capability: str) -> bool:
    paths = scope_paths(user, capability)
    return paths is None or bool(paths)


def orgs_for_user(user, capability: str = roles.ORG_VIEW):
    return Org.objects.filter(scope_q(user, capability))


def org_get_for_user(user, pk, *, write: bool = False) -> Org:
    """The organisation, if the user may see it (404 otherwise) and, for a write, change it (403)."""
    try:
        org = Org.objects.select_related("parent").get(pk=pk)
    except (Org.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not has_capability(user, roles.ORG_VIEW, org) and not has_capability(user, roles.ORG_CHANGE, org):
        raise Http404
    if write and not has_capability(user, roles.ORG_CHANGE, org):
        raise PermissionDenied
    return org


def require_capability(user, capability: str, org: Org | None = None) -> None:
    """403 unless the user has ``capability`` over ``org`` (or anywhere, when org is None)."""
    ok = has_capability(user, capability, org) if org is not None else has_any_capability(user, capability)
    if not ok:
        raise PermissionDenied
