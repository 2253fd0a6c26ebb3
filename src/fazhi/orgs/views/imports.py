"""Spreadsheets in and out: import organisations and users (in the background), templates, the org export.

An upload starts a background job (:func:`fazhi.core.imports.import_start`) and the page
redirects to the job's page, which shows the progress and then the outcome or every error.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from fazhi.core.imports import Importer, import_start
from fazhi.core.middleware import client_ip
from fazhi.core.uploads import SpreadsheetUploadForm
from fazhi.core.xlsx import export_rows, import_template, xlsx_response
from fazhi.orgs import roles
from fazhi.orgs.access import org_get_for_user, require_capability
from fazhi.orgs.importers import OrgImporter, UserImporter, org_export_rows


def _import_page(request, *, importer: type[Importer], template_url: str, section: str):
    form = SpreadsheetUploadForm()
    if request.method == "POST":
        form = SpreadsheetUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            job = import_start(
                owner=request.user,
                importer=importer,
                data=upload.read(),
                filename=upload.name,
                dry_run=form.cleaned_data["dry_run"],
                ip=client_ip(request),
                return_url=request.path,
            )
            return redirect("job_detail", job.pk)
    return render(
        request,
        "orgs/import.html",
        {
            "section": section,
            "form": form,
            "importer": importer,
            "columns": importer.columns,
            "template_url": template_url,
            "upload_max_mb": settings.FAZHI_UPLOAD_MAX_MB,
            "import_max_rows": settings.FAZHI_IMPORT_MAX_ROWS,
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def org_import(request):
    require_capability(request.user, roles.ORG_CHANGE)
    return _import_page(request, importer=OrgImporter, template_url=reverse("org_import_template"), section="orgs")


@login_required
@require_GET
def org_import_template(request):
    require_capability(request.user, roles.ORG_CHANGE)
    return xlsx_response(import_template(OrgImporter), "org-import-template.xlsx")


@login_required
@require_GET
def org_export(request, pk: int):
    """The organisation and everything under it, in the columns the org import reads."""
    org = org_get_for_user(request.user, pk)
    return xlsx_response(export_rows(OrgImporter, org_export_rows(root=org)), f"orgs-{org.code}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def user_import(request):
    require_capability(request.user, roles.MEMBERSHIP_MANAGE)
    return _import_page(
        request, importer=UserImporter, template_url=reverse("user_import_template"), section="memberships"
    )


@login_required
@require_GET
def user_import_template(request):
    require_capability(request.user, roles.MEMBERSHIP_MANAGE)
    return xlsx_response(import_template(UserImporter), "user-import-template.xlsx")
