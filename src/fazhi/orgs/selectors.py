"""Reads for the orgs app: each function returns what a page shows, scoped to the acting user.

Views call these (or an access helper) and never query models themselves. Every function keeps a
fixed number of queries whatever the number of rows it returns.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from fazhi.core.models import AuditEvent
from fazhi.orgs import roles, rules
from fazhi.orgs.access import has_capability, scope_paths, scope_q
from fazhi.orgs.models import Membership, Org, subtree_q

# ---------------------------------------------------------------------------------------------
# The organisation tree: roots, children, search, detail
# ---------------------------------------------------------------------------------------------

CHILDREN_PER_PAGE = 100
SEARCH_PER_PAGE = 50
CANDIDATES_LIMIT = 20
RECENT_EVENTS = 5


def _with_child_count(qs: QuerySet, *, include_inactive: bool) -> QuerySet:
    """Annotate ``child_count`` (direct children) in the same query, with one correlated subquery."""
    children = Org.objects.filter(parent=OuterRef("pk"))
    if not include_inactive:
        children = children.filter(is_active=True)
    count = children.order_by().values("parent").annotate(n=Count("pk")).values("n")
    return qs.annotate(child_count=Coalesce(Subquery(count, output_field=IntegerField()), Value(0)))


def _tree_order(qs: QuerySet) -> QuerySet:
    """Areas first, in the order of their division codes, then units by name."""
    area = Q(kind__in=list(rules.AREA_LEVEL))
    return qs.order_by(
        Case(When(area, then=Value(0)), default=Value(1), output_field=IntegerField()),
        Case(When(area, then="code"), default="name"),
        "pk",
    )


def org_roots_for_user(*, user, include_inactive: bool = True) -> list[Org]:
    """The tops of the user's tree: their scope roots (for a superuser, the provinces)."""
    paths = scope_paths(user, roles.ORG_VIEW)
    qs = Org.objects.filter(parent__isnull=True) if paths is None else Org.objects.filter(path__in=paths)
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return list(_tree_order(_with_child_count(qs, include_inactive=include_inactive)))


@dataclass
class ChildrenPage:
    """One page of an organisation's direct children, each annotated with ``child_count``."""

    parent: Org
    orgs: list[Org]
    number: int
    has_more: bool

    @property
    def next_number(self) -> int:
        return self.number + 1


def org_children_page(
    *, parent: Org, page: int = 1, include_inactive: bool = True, per_page: int = CHILDREN_PER_PAGE
) -> ChildrenPage:
    """Direct children of ``parent`` (the caller has checked that the user may see it).

    One query: fetches one row more than the page to know whether another page follows.
    """
    page = max(1, page)
    qs = Org.objects.filter(parent=parent)
    if not include_inactive:
        qs = qs.filter(is_active=True)
    qs = _tree_order(_with_child_count(qs, include_inactive=include_inactive))
    start = (page - 1) * per_page
    rows = list(qs[start : start + per_page + 1])
    return ChildrenPage(parent=parent, orgs=rows[:per_page], number=page, has_more=len(rows) > per_page)


@dataclass(frozen=True)
class Crumb:
    """An ancestor shown in a breadcrumb; ``viewable`` when the user may open its page."""

    pk: int
    name: str
    is_active: bool
    viewable: bool


def org_attach_ancestors(*, user, orgs: Iterable[Org]) -> None:
    """Set ``org.ancestors`` (a list of :class:`Crumb`, root first) on each org, in ONE query."""
    orgs = list(orgs)
    wanted = {p for org in orgs for p in org.ancestor_paths()[:-1]}
    found = {}
    if wanted:
        found = {a.path: a for a in Org.objects.filter(path__in=wanted).only("pk", "name", "path", "is_active")}
    for org in orgs:
        org.ancestors = [
            Crumb(a.pk, a.name, a.is_active, has_capability(user, roles.ORG_VIEW, a))
            for p in org.ancestor_paths()[:-1]
            if (a := found.get(p)) is not None
        ]


def _match_q(query: str) -> Q:
    """Name contains the text, or code begins with it."""
    return Q(name__icontains=query) | Q(code__startswith=query.upper())


def org_search(*, user, query: str, page: int = 1, per_page: int = SEARCH_PER_PAGE) -> Page | None:
    """Organisations in the user's scope whose name contains ``query`` or whose code begins with it.

    Three queries: the count, the page, and the ancestors of everything on the page. None for an
    empty query.
    """
    query = query.strip()
    if not query:
        return None
    qs = Org.objects.filter(scope_q(user, roles.ORG_VIEW)).filter(_match_q(query)).order_by("path")
    result = Paginator(qs, per_page).get_page(page)
    org_attach_ancestors(user=user, orgs=result.object_list)
    return result


def org_parent_candidates(*, user, org: Org, query: str, limit: int = CANDIDATES_LIMIT) -> list[Org]:
    """Where ``org`` could move: orgs the user may change, matching ``query``, of a kind ``org``
    may hang under, outside ``org``'s own subtree and other than its current parent. Two queries.
    """
    query = query.strip()
    if not query:
        return []
    qs = (
        Org.objects.filter(scope_q(user, roles.ORG_CHANGE), _match_q(query), is_active=True)
        .exclude(subtree_q(org.path))
        .exclude(pk=org.parent_id)
    )
    if org.is_area:
        qs = qs.filter(kind=rules.AREA_PARENT[org.kind] or "")
    candidates = list(qs.order_by("path")[:limit])
    org_attach_ancestors(user=user, orgs=candidates)
    return candidates


def org_find_by_code(*, user, code: str, capability: str = roles.ORG_CHANGE) -> Org | None:
    """The organisation with ``code``, if the user has ``capability`` over it (None otherwise,
    so that an organisation outside the user's scope looks the same as one that does not exist).
    """
    code = code.strip().upper()
    if not code:
        return None
    org = Org.objects.filter(code=code).first()
    if org is None or not has_capability(user, capability, org):
        return None
    return org


@dataclass
class OrgCounts:
    children: int
    active_children: int
    descendants: int
    active_descendants: int

    @property
    def inactive_children(self) -> int:
        return self.children - self.active_children


def org_counts(*, org: Org) -> OrgCounts:
    """How many organisations stand below ``org``: one aggregate over its subtree (path range)."""
    below = Org.objects.filter(subtree_q(org.path)).exclude(pk=org.pk)
    totals = below.aggregate(
        children=Count("pk", filter=Q(parent_id=org.pk)),
        active_children=Count("pk", filter=Q(parent_id=org.pk, is_active=True)),
        descendants=Count("pk"),
        active_descendants=Count("pk", filter=Q(is_active=True)),
    )
    return OrgCounts(**totals)


def org_memberships(*, org: Org) -> list[Membership]:
    """Who holds which role at exactly this organisation."""
    return list(
        Membership.objects.filter(org=org).select_related("user").order_by("role", "user__full_name", "user__username")
    )


def org_recent_events(*, org: Org, limit: int = RECENT_EVENTS) -> list[AuditEvent]:
    """The latest audit events recorded against this organisation (itself and roles held there)."""
    return list(AuditEvent.objects.filter(org=org).order_by("-seq")[:limit])


@dataclass
class OrgOverview:
    """Everything the detail page shows about one organisation."""

    org: Org
    counts: OrgCounts
    memberships: list[Membership]
    recent_events: list[AuditEvent] = field(default_factory=list)
    show_events: bool = False


def org_overview(*, user, org: Org) -> OrgOverview:
    """The detail page's data: four or five queries whatever the size of the subtree."""
    org_attach_ancestors(user=user, orgs=[org])
    show_events = has_capability(user, roles.AUDIT_VIEW, org)
    return OrgOverview(
        org=org,
        counts=org_counts(org=org),
        memberships=org_memberships(org=org),
        recent_events=org_recent_events(org=org) if show_events else [],
        show_events=show_events,
    )
