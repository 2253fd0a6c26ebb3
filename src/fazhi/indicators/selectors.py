"""Reading scoring standards, scoped to what the user may see.

A user sees a standard when they hold ``standard.view`` over its owner organisation (its subtree
included), or when it is published or retired: published standards are shared by every campaign,
across counties, so every signed-in user may read them. Changing one (a draft) needs
``standard.change`` over its owner organisation.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from fazhi.indicators.models import BonusItem, Indicator, Standard, VetoItem
from fazhi.orgs import roles
from fazhi.orgs.access import has_capability, scope_q

SHARED_STATUSES = (Standard.Status.PUBLISHED, Standard.Status.RETIRED)


def _visible_q(user) -> Q:
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    return Q(status__in=SHARED_STATUSES) | scope_q(user, roles.STANDARD_VIEW, "owner_org__path")


def standards_for_user(user, *, status: str | None = None, query: str = "") -> QuerySet[Standard]:
    """The standards ``user`` may see, newest version first within a code, with their owner and
    ``indicator_count`` (one query however many)."""
    standards = Standard.objects.filter(_visible_q(user))
    if status:
        standards = standards.filter(status=status)
    query = query.strip()
    if query:
        standards = standards.filter(Q(code__icontains=query) | Q(title__icontains=query) | Q(version__icontains=query))
    return (
        standards.select_related("owner_org")
        .annotate(indicator_count=Count("indicators"))
        .order_by("code", "-created_at", "-pk")
    )


def standard_get_for_user(user, pk, *, write: bool = False) -> Standard:
    """The standard, if ``user`` may see it (404 otherwise) and, for a write, change it (403)."""
    try:
        standard = Standard.objects.select_related("owner_org", "created_by").get(pk=pk)
    except (Standard.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not getattr(user, "is_authenticated", False):
        raise Http404
    may_change = has_capability(user, roles.STANDARD_CHANGE, standard.owner_org)
    if (
        standard.status not in SHARED_STATUSES
        and not may_change
        and not has_capability(user, roles.STANDARD_VIEW, standard.owner_org)
    ):
        raise Http404
    if write and not may_change:
        raise PermissionDenied
    return standard


def standard_may_change(user, standard: Standard) -> bool:
    """Whether ``user`` may edit ``standard``'s contents or change its status (for showing buttons)."""
    return has_capability(user, roles.STANDARD_CHANGE, standard.owner_org)


def standard_versions_for_user(user, standard: Standard) -> QuerySet[Standard]:
    """Every version of ``standard``'s code that ``user`` may see, newest first."""
    return standards_for_user(user).filter(code=standard.code)


def standard_latest(code: str, *, version: str | None = None) -> Standard | None:
    """For operators (the CLI): the given version of ``code``, or else its latest published version,
    or else its latest version of any status."""
    standards = Standard.objects.filter(code=code).select_related("owner_org")
    if version is not None:
        return standards.filter(version=version).first()
    published = standards.filter(status=Standard.Status.PUBLISHED).order_by("-published_at", "-pk")
    return published.first() or standards.order_by("-created_at", "-pk").first()


def indicator_get_for_user(user, pk, *, write: bool = False) -> Indicator:
    """An indicator of a standard the user may see (404) and, for a write, change (403)."""
    try:
        indicator = Indicator.objects.select_related("standard").get(pk=pk)
    except (Indicator.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    indicator.standard = standard_get_for_user(user, indicator.standard_id, write=write)
    return indicator


def _item_get_for_user(model, user, pk, *, write: bool):
    try:
        item = model.objects.select_related("standard").get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    item.standard = standard_get_for_user(user, item.standard_id, write=write)
    return item


def bonus_item_get_for_user(user, pk, *, write: bool = False) -> BonusItem:
    """A bonus item of a standard the user may see (404) and, for a write, change (403)."""
    return _item_get_for_user(BonusItem, user, pk, write=write)


def veto_item_get_for_user(user, pk, *, write: bool = False) -> VetoItem:
    """A veto item of a standard the user may see (404) and, for a write, change (403)."""
    return _item_get_for_user(VetoItem, user, pk, write=write)


def standard_indicators(standard: Standard) -> list[Indicator]:
    """The tree in display order (depth first, siblings by position), each row with its ``depth``;
    one query. Branch points are kept as the sum of their children by the services."""
    rows = list(Indicator.objects.filter(standard=standard).order_by("position", "pk"))
    children: dict[int | None, list[Indicator]] = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    ordered: list[Indicator] = []

    def visit(parent_id):
        for row in children.get(parent_id, ()):
            ordered.append(row)
            visit(row.pk)

    visit(None)
    return ordered


def standards_all() -> QuerySet[Standard]:
    """For operators (the CLI): every standard with its owner, by code, newest first."""
    return Standard.objects.select_related("owner_org").order_by("code", "-created_at", "-pk")
