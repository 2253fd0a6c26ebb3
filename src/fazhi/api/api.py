"""The JSON API, mounted at ``/api/v1/`` (OpenAPI at ``/api/v1/openapi.json``).

Wiring only: each endpoint parses its input, calls one selector or service, and returns what comes
back. Errors are JSON: 401 without valid credentials, 404 for what the caller may not see (its
existence is not revealed), 403 for what they may see but not do, 400 for a broken business rule
(``{rule, field, message}``), 422 for malformed input. The interactive docs page is off: ninja's
loads Swagger UI from a CDN, and Fazhi runs on air-gapped networks.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import NinjaAPI

from fazhi.api import (
    campaigns_applications,
    campaigns_campaigns,
    campaigns_metrics_scoring,
    campaigns_notice,
    campaigns_results,
    campaigns_review,
    ledgers_decisions,
    ledgers_disputes,
    ledgers_documents,
    ledgers_enforcement,
    ledgers_study,
    metrics,
    orgs,
    standards,
)
from fazhi.api.auth import AUTH
from fazhi.core.errors import DomainError
from fazhi.core.i18n import translate
from fazhi.core.problems import Problem
from fazhi.indicators.formats import StandardInvalid
from fazhi.indicators.services import StandardProblems

api = NinjaAPI(
    title="Fazhi API",
    version="1",
    description="Organisations, scoring standards and creation campaigns of Fazhi (法治): a program can drive a "
    "campaign from creation to naming (see docs/campaigns.md). Send `Authorization: Bearer <key>`; a key is made "
    "with `fazhi api_token create USERNAME NAME`. The public endpoints (notices, objections, named lists) need no key.",
    urls_namespace="api-1",
    auth=AUTH,
    docs_url=None,
)
api.add_router("/orgs", orgs.router, tags=["organisations"])
api.add_router("/standards", standards.router, tags=["scoring standards"])
# Creation campaigns, one router per area; all paths start with /campaigns or /applications.
api.add_router("", campaigns_campaigns.router, tags=["campaigns"])
api.add_router("", campaigns_applications.router, tags=["applications"])
api.add_router("", campaigns_review.router, tags=["review"])
api.add_router("", campaigns_metrics_scoring.router, tags=["scores from records"])
api.add_router("", campaigns_results.router, tags=["results"])
api.add_router("", campaigns_notice.router, tags=["notice and naming"])
# The ledgers, one router each; paths start with /ledgers/<ledger>.
api.add_router("", ledgers_documents.router, tags=["normative documents"])
api.add_router("", ledgers_decisions.router, tags=["major decisions"])
api.add_router("", ledgers_enforcement.router, tags=["enforcement"])
api.add_router("", ledgers_disputes.router, tags=["disputes"])
api.add_router("", ledgers_study.router, tags=["study and publicity"])
api.add_router("", metrics.router, tags=["metrics"])  # paths start with /metrics


def problem_rows(problems) -> list[dict]:
    return [
        {
            "where": p.where,
            "rule": p.rule,
            "message": translate(p.message) if isinstance(p.message, Problem) else str(p.message),
        }
        for p in problems
    ]


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"detail": _("You may not do this.")}, status=403)


@api.exception_handler(DomainError)
def domain_error(request, exc: DomainError):
    body = {"rule": exc.rule, "field": exc.field, "message": exc.message}
    if isinstance(exc, StandardProblems):
        body["errors"] = problem_rows(exc.problems)
    return api.create_response(request, body, status=400)


@api.exception_handler(StandardInvalid)
def standard_invalid(request, exc: StandardInvalid):
    body = {
        "rule": "standard.invalid",
        "field": "file",
        "message": ngettext("The file has %(count)d problem.", "The file has %(count)d problems.", len(exc.errors))
        % {"count": len(exc.errors)},
        "errors": problem_rows(exc.errors),
    }
    return api.create_response(request, body, status=400)
