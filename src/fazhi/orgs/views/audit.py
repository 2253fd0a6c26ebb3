"""The audit log page: administrators (AUDIT_VIEW) read the events of their subtree, filtered.

Reading the log is not itself audited: it shows who changed what, not personal data.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from fazhi.orgs import roles, selectors
from fazhi.orgs.access import require_capability
from fazhi.orgs.audit_forms import AuditFilterForm


def _cursor(request, name: str) -> int | None:
    try:
        return int(request.GET[name])
    except (KeyError, ValueError):
        return None


@login_required
@require_GET
def audit_log(request):
    """The events in the reader's scope, newest first, 50 a page; htmx gets the results only."""
    require_capability(request.user, roles.AUDIT_VIEW)
    form = AuditFilterForm(request.GET, user=request.user)
    page = None
    if form.is_valid():
        page = selectors.audit_event_page(
            user=request.user, before=_cursor(request, "before"), after=_cursor(request, "after"), **form.filters()
        )
    template = "orgs/audit_log.html#results" if request.htmx else "orgs/audit_log.html"
    context = {"section": "audit", "form": form, "page": page}
    if not request.htmx:
        context["scope_roots"] = selectors.audit_scope_roots(user=request.user)
    return render(request, template, context)
