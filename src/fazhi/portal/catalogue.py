"""The public catalogue of normative documents in force (no sign-in): search by title or document number, and a
document's public page. Only published documents in force today are shown, and only what was published with them
(title, numbers, issuing organisation, dates, channel): nothing personal, nothing about drafts or reviews."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from fazhi.ledgers.documents import selectors


@require_GET
def document_catalogue(request):
    query = request.GET.get("q", "").strip()[:100]
    page = selectors.catalogue_page(query=query, page=request.GET.get("page") or 1)
    template = "portal/catalogue.html#results" if request.htmx else "portal/catalogue.html"
    return render(request, template, {"query": query, "page": page})


@require_GET
def document_catalogue_detail(request, document_pk: int):
    return render(request, "portal/catalogue_detail.html", {"document": selectors.catalogue_document(document_pk)})


urlpatterns = [
    path("documents/", document_catalogue, name="public_document_catalogue"),
    path("documents/<int:document_pk>/", document_catalogue_detail, name="public_document_detail"),
]
