"""Reads for the orgs app: each function returns what a page shows, scoped to the acting user.

Views call these (or an access helper) and never query models themselves. Every function keeps a
fixed number of queries whatever the number of rows it returns.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from fazhi.core.audit import audit_changes
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


# ---------------------------------------------------------------------------------------------
# The audit log: events in the reader's AUDIT_VIEW scope, filtered, newest first
# ---------------------------------------------------------------------------------------------

AUDIT_PER_PAGE = 50


def _day_start(day: dt.date) -> dt.datetime:
    """Midnight at the start of ``day`` in the site's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone())


def audit_events_for_user(
    user,
    *,
    org: Org | None = None,
    actor: str = "",
    object_type: str = "",
    object_id: str = "",
    action: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    """Audit events the user may read, newest first: those whose organisation lies in the user's
    AUDIT_VIEW scope (events with no organisation: superusers only), narrowed by the filters.

    ``org`` (already checked to be in scope) narrows to its subtree, ``actor`` is a username,
    ``action`` a prefix (``orgs.org`` matches ``orgs.org.moved``), and the dates are days in the
    site's time zone, both included.
    """
    qs = AuditEvent.objects.filter(scope_q(user, roles.AUDIT_VIEW, field="org__path"))
    if org is not None:
        qs = qs.filter(subtree_q(org.path, "org__path"))
    if actor:
        qs = qs.filter(actor__username=actor)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if action:
        qs = qs.filter(action__startswith=action)
    if date_from:
        qs = qs.filter(time__gte=_day_start(date_from))
    if date_to:
        qs = qs.filter(time__lt=_day_start(date_to + dt.timedelta(days=1)))
    return qs.order_by("-seq")


def audit_scope_roots(*, user) -> list[Org]:
    """The tops of the subtrees whose log the user may read (for a superuser, the provinces)."""
    paths = scope_paths(user, roles.AUDIT_VIEW)
    qs = Org.objects.filter(parent__isnull=True) if paths is None else Org.objects.filter(path__in=paths)
    return list(qs.order_by("path"))


@dataclass(frozen=True)
class ChangeLine:
    """One changed key of an event, its values as text for the page."""

    key: str
    kind: str
    old: str
    new: str


def _value_text(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _change_lines(event: AuditEvent) -> list[ChangeLine]:
    return [
        ChangeLine(change.key, change.kind, _value_text(change.old), _value_text(change.new))
        for change in audit_changes(event.old, event.new)
    ]


@dataclass
class AuditPage:
    """One page of events, newest first. Pages are keyed by seq (``before``/``after`` cursors)
    rather than numbered, so a page costs one indexed query however long the log, and no count."""

    events: list[AuditEvent]
    has_older: bool
    has_newer: bool

    @property
    def older_cursor(self) -> int | None:
        return self.events[-1].seq if self.events and self.has_older else None

    @property
    def newer_cursor(self) -> int | None:
        return self.events[0].seq if self.events and self.has_newer else None


def audit_event_page(
    *, user, before: int | None = None, after: int | None = None, per_page: int = AUDIT_PER_PAGE, **filters
) -> AuditPage:
    """The events older than seq ``before``, or newer than seq ``after``, or the newest ones.

    One query whatever ``per_page``: the events with their organisation, one row more than the page
    to know whether another follows. Each event gets ``changes`` (:class:`ChangeLine` list).
    """
    qs = audit_events_for_user(user, **filters).select_related("org")
    if after is not None:
        rows = list(qs.filter(seq__gt=after).order_by("seq")[: per_page + 1])
        events = rows[:per_page][::-1]
        page = AuditPage(events, has_older=True, has_newer=len(rows) > per_page)
    else:
        if before is not None:
            qs = qs.filter(seq__lt=before)
        rows = list(qs[: per_page + 1])
        events = rows[:per_page]
        page = AuditPage(events, has_older=len(rows) > per_page, has_newer=before is not None)
    for event in page.events:
        event.changes = _change_lines(event)
    return page
