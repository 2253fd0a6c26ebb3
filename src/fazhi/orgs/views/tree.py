"""The organisation pages: browse the tree, search, detail, create, edit, move, deactivate.

Each view fetches organisations through :func:`~fazhi.orgs.access.org_get_for_user` (404 outside
the user's scope, 403 for a write without ORG_CHANGE) or a selector, and writes through a service.
htmx requests get a named partial of the page's own template.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from fazhi.core.errors import DomainError
from fazhi.orgs import roles, selectors, services
from fazhi.orgs.access import has_capability, org_get_for_user
from fazhi.orgs.forms import OrgCreateForm, OrgEditForm, OrgMoveForm
from fazhi.orgs.models import Org


def _hide_inactive(request) -> bool:
    return request.GET.get("inactive") == "hide"


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


def _page_context(**context) -> dict:
    return {"section": "orgs", **context}


@login_required
@require_GET
def org_tree(request):
    """The roots of the user's scope; the first level below a single root is shown open."""
    hide_inactive = _hide_inactive(request)
    roots = selectors.org_roots_for_user(user=request.user, include_inactive=not hide_inactive)
    expanded = None
    if len(roots) == 1 and roots[0].child_count:
        expanded = selectors.org_children_page(parent=roots[0], include_inactive=not hide_inactive)
    return render(
        request,
        "orgs/org_tree.html",
        _page_context(
            roots=roots,
            expanded=expanded,
            hide_inactive=hide_inactive,
            can_create_root=request.user.is_superuser,
        ),
    )


@login_required
@require_GET
def org_children(request, pk: int):
    """One page of an organisation's direct children, as list items (htmx appends them)."""
    parent = org_get_for_user(request.user, pk)
    hide_inactive = _hide_inactive(request)
    page = selectors.org_children_page(parent=parent, page=_page_number(request), include_inactive=not hide_inactive)
    return render(request, "orgs/org_tree.html#children", {"page": page, "hide_inactive": hide_inactive})


@login_required
@require_GET
def org_search(request):
    """Find organisations in scope by name (contains) or code (prefix)."""
    query = request.GET.get("q", "").strip()
    results = selectors.org_search(user=request.user, query=query, page=_page_number(request))
    template = "orgs/org_search.html#results" if request.htmx else "orgs/org_search.html"
    return render(request, template, _page_context(query=query, results=results))


@login_required
@require_GET
def org_detail(request, pk: int):
    org = org_get_for_user(request.user, pk)
    overview = selectors.org_overview(user=request.user, org=org)
    children = selectors.org_children_page(parent=org) if overview.counts.children else None
    return render(
        request,
        "orgs/org_detail.html",
        _page_context(
            org=org,
            overview=overview,
            page=children,
            can_change=has_capability(request.user, roles.ORG_CHANGE, org),
            can_manage_memberships=has_capability(request.user, roles.MEMBERSHIP_MANAGE, org),
        ),
    )


def _parent_for_create(request) -> Org | None:
    """The parent named by ``?parent=``, which the user must be allowed to change; only a
    superuser may create a root (a province)."""
    pk = request.GET.get("parent")
    if pk:
        return org_get_for_user(request.user, pk, write=True)
    if not request.user.is_superuser:
        raise PermissionDenied
    return None


@login_required
@require_http_methods(["GET", "POST"])
def org_create(request):
    parent = _parent_for_create(request)
    form = OrgCreateForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.org_create(actor=request.user, parent=parent, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("%(name)s was created.") % {"name": org.name})
            return redirect("org_detail", pk=org.pk)
    if parent is not None:
        selectors.org_attach_ancestors(user=request.user, orgs=[parent])
    return render(request, "orgs/org_form.html", _page_context(form=form, parent=parent, org=None))


@login_required
@require_http_methods(["GET", "POST"])
def org_edit(request, pk: int):
    org = org_get_for_user(request.user, pk, write=True)
    form = OrgEditForm(request.POST or None, org=org)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.org_update(actor=request.user, org=org, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": org.name})
            return redirect("org_detail", pk=org.pk)
    selectors.org_attach_ancestors(user=request.user, orgs=[org])
    return render(request, "orgs/org_form.html", _page_context(form=form, parent=org.parent, org=org))


@login_required
@require_http_methods(["GET", "POST"])
def org_move(request, pk: int):
    """Move an organisation (and its subtree) under a new parent the user may also change."""
    org = org_get_for_user(request.user, pk, write=True)
    if request.method == "GET" and request.htmx and "q" in request.GET:
        candidates = selectors.org_parent_candidates(user=request.user, org=org, query=request.GET["q"])
        return render(request, "orgs/org_move.html#candidates", {"org": org, "candidates": candidates})
    form = OrgMoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["parent_code"]
        new_parent = selectors.org_find_by_code(user=request.user, code=code, capability=roles.ORG_CHANGE)
        if new_parent is None:
            form.add_error(
                "parent_code", _("No organisation with code %(code)s that you may change.") % {"code": code.upper()}
            )
        else:
            try:
                org = services.org_move(actor=request.user, org=org, new_parent=new_parent)
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(
                    request, _("%(org)s now stands under %(parent)s.") % {"org": org.name, "parent": new_parent.name}
                )
                return redirect("org_detail", pk=org.pk)
    selectors.org_attach_ancestors(user=request.user, orgs=[org])
    return render(request, "orgs/org_move.html", _page_context(form=form, org=org))


@login_required
@require_http_methods(["GET", "POST"])
def org_set_active(request, pk: int):
    """GET asks for confirmation; POST deactivates (``active=0``) or reactivates (``active=1``)."""
    org = org_get_for_user(request.user, pk, write=True)
    error = None
    if request.method == "POST":
        active = request.POST.get("active") == "1"
        try:
            org = services.org_set_active(actor=request.user, org=org, active=active)
        except DomainError as exc:
            error = exc.message
        else:
            if active:
                messages.success(request, _("%(name)s was reactivated.") % {"name": org.name})
            else:
                messages.success(request, _("%(name)s was deactivated.") % {"name": org.name})
            return redirect("org_detail", pk=org.pk)
    counts = selectors.org_counts(org=org)
    return render(request, "orgs/org_set_active.html", _page_context(org=org, counts=counts, error=error))
