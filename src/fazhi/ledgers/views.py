"""The pages every ledger shares, under /ledgers/: the ledgers' index, the deadline board, the working-day
calendar, and the one import page of every registered importer (template, upload, dry run → the job page).

Each ledger's own pages are in its sub-package's ``views.py``; these pages read the registry
(:mod:`fazhi.ledgers.common.registry`), so no common page imports a ledger.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from fazhi.core.calendar import official_years
from fazhi.core.errors import DomainError
from fazhi.core.imports import import_start
from fazhi.core.middleware import client_ip
from fazhi.core.uploads import SpreadsheetUploadForm
from fazhi.core.workdays import calendar_day_add, calendar_day_delete, calendar_day_get, calendar_years
from fazhi.core.xlsx import export_rows, import_template, xlsx_response
from fazhi.ledgers.common import registry
from fazhi.ledgers.common.board import board_orgs, board_scope, board_xlsx, deadline_board
from fazhi.ledgers.common.calendar import (
    IMPORT_KEY,
    WORKDAY,
    CalendarDayForm,
    calendar_audit_org,
    calendar_may_change,
)
from fazhi.ledgers.common.forms import OrgCodeInput
from fazhi.ledgers.common.importing import (
    export_dicts,
    export_scope,
    importer_allowed,
    importer_exports,
    importer_for,
)
from fazhi.orgs import roles
from fazhi.orgs.access import require_capability
from fazhi.orgs.selectors import org_find_by_code


def _page(**context) -> dict:
    return {"section": "ledgers", **context}


def _url_or_blank(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


# ---------------------------------------------------------------------------------------------
# The one import page of every registered importer


def _importer_or_404(key: str):
    importer = importer_for(key)
    if importer is None:
        raise Http404
    return importer


def _local_url(url: str) -> str:
    return url if url.startswith("/") and not url.startswith("//") else ""


def _file_stem(key: str) -> str:
    return key.replace(".", "-")


@login_required
@require_http_methods(["GET", "POST"])
def ledger_import(request, importer_key: str):
    """Template download, upload (optionally a dry run) → the job page with every error by row and column."""
    key = importer_key
    importer = _importer_or_404(key)
    if not importer_allowed(importer, request.user):
        raise PermissionDenied
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
        "ledgers/import.html",
        _page(
            key=key,
            form=form,
            importer=importer,
            columns=importer.columns,
            template_url=reverse("ledger_import_template", kwargs={"importer_key": key}),
            export_url=reverse("ledger_export", kwargs={"importer_key": key}) if importer_exports(importer) else "",
            back_url=_local_url(request.GET.get("back", "")),
            upload_max_mb=settings.FAZHI_UPLOAD_MAX_MB,
            import_max_rows=settings.FAZHI_IMPORT_MAX_ROWS,
        ),
        status=400 if form.is_bound else 200,
    )


@login_required
@require_GET
def ledger_import_template(request, importer_key: str):
    key = importer_key
    importer = _importer_or_404(key)
    if not importer_allowed(importer, request.user):
        raise PermissionDenied
    return xlsx_response(import_template(importer), f"{_file_stem(key)}-template.xlsx")


@login_required
@require_GET
def ledger_export(request, importer_key: str):
    """The records of the user's LEDGER_VIEW scope (``?org=CODE``: that org's subtree) in the import's columns."""
    key = importer_key
    importer = _importer_or_404(key)
    require_capability(request.user, roles.LEDGER_VIEW)
    if not importer_exports(importer):
        raise Http404
    org = None
    code = request.GET.get("org", "").strip()
    if code:
        org = org_find_by_code(user=request.user, code=code, capability=roles.LEDGER_VIEW)
        if org is None:
            raise Http404
    rows = export_dicts(importer, export_scope(request.user, org), actor=request.user, key=key, org=org)
    suffix = f"-{org.code}" if org else ""
    return xlsx_response(export_rows(importer, rows), f"{_file_stem(key)}{suffix}.xlsx")


# ---------------------------------------------------------------------------------------------
# The ledgers' index


@login_required
@require_GET
def ledger_index(request):
    """A card for each registered ledger, the deadline board and the working-day calendar."""
    require_capability(request.user, roles.LEDGER_VIEW)
    board = deadline_board(scope=board_scope(request.user, None), today=timezone.localdate())
    overdue, due_soon = (
        Counter(r.deadline.ledger for r in board.overdue),
        Counter(r.deadline.ledger for r in board.due_soon),
    )
    cards = [
        {
            "info": info,
            "url": _url_or_blank(info.index_url_name),
            "has_deadlines": info.deadlines is not None,
            "overdue": overdue[info.name],
            "due_soon": due_soon[info.name],
        }
        for info in registry.ledgers()
    ]
    return render(
        request,
        "ledgers/index.html",
        _page(cards=cards, imports=_import_links(request.user), can_change_calendar=calendar_may_change(request.user)),
    )


def _import_links(user) -> list[dict]:
    return [
        {"key": key, "title": importer.title, "url": reverse("ledger_import", kwargs={"importer_key": key})}
        for key, importer in registry.importers().items()
        if importer_allowed(importer, user)
    ]


# ---------------------------------------------------------------------------------------------
# The deadline board


# The board page shows at most this many items per section; the XLSX download has them all.
BOARD_PAGE_ROWS = 500


def _board_org(request):
    """The org of ``?org=CODE`` (404 if the user may not see its ledgers), or None for the whole scope."""
    code = request.GET.get("org", "").strip()
    if not code:
        return None
    org = org_find_by_code(user=request.user, code=code, capability=roles.LEDGER_VIEW)
    if org is None:
        raise Http404
    return org


def _board_org_input(user, org) -> str:
    """The org box: a code, with the user's scope above the villages as suggestions."""
    widget = OrgCodeInput(attrs={"class": "form-control", "placeholder": _("Everything I can see")})
    widget.queryset = board_orgs(user)
    return widget.render("org", org.code if org else "", attrs={"id": "board-org"})


@login_required
@require_GET
def ledger_deadlines(request):
    """Overdue and due-soon items of every ledger for an org subtree; ``?format=xlsx`` downloads them."""
    require_capability(request.user, roles.LEDGER_VIEW)
    org = _board_org(request)
    today = timezone.localdate()
    board = deadline_board(scope=board_scope(request.user, org), today=today)
    if request.GET.get("format") == "xlsx":
        suffix = f"-{org.code}" if org else ""
        return xlsx_response(board_xlsx(board), f"deadlines{suffix}-{today.isoformat()}.xlsx")
    return render(
        request,
        "ledgers/deadlines.html",
        _page(
            board=board,
            overdue=board.overdue[:BOARD_PAGE_ROWS],
            due_soon=board.due_soon[:BOARD_PAGE_ROWS],
            page_rows=BOARD_PAGE_ROWS,
            org=org,
            org_input=_board_org_input(request.user, org),
            soon_days=settings.FAZHI_DEADLINE_SOON_DAYS,
            export_query=urlencode({"org": org.code, "format": "xlsx"} if org else {"format": "xlsx"}),
        ),
    )


# ---------------------------------------------------------------------------------------------
# The working-day calendar


@login_required
@require_http_methods(["GET", "POST"])
def ledger_calendar(request):
    """The entered years and their days; a top-level administrator adds a day here (POST) or imports a year."""
    require_capability(request.user, roles.LEDGER_VIEW)
    may_change = calendar_may_change(request.user)
    form = CalendarDayForm()
    status = 200
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        form = CalendarDayForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                day = calendar_day_add(
                    actor=request.user,
                    date=data["date"],
                    is_working_day=data["kind"] == WORKDAY,
                    name=data["name"],
                    org=calendar_audit_org(request.user),
                )
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("%(day)s entered.") % {"day": day})
                return redirect("ledger_calendar")
        status = 400
    first, last = official_years()
    return render(
        request,
        "ledgers/calendar.html",
        _page(
            years=calendar_years(),
            form=form,
            may_change=may_change,
            official_first=first,
            official_last=last,
            import_key=IMPORT_KEY,
        ),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def ledger_calendar_day_delete(request, calendar_day_pk: int):
    """Confirm (GET), then delete (POST) one entered day."""
    require_capability(request.user, roles.LEDGER_VIEW)
    day = calendar_day_get(calendar_day_pk)
    if day is None:
        raise Http404
    if not calendar_may_change(request.user):
        raise PermissionDenied
    if request.method == "POST":
        calendar_day_delete(actor=request.user, day=day, org=calendar_audit_org(request.user))
        messages.success(request, _("%(day)s deleted.") % {"day": day})
        return redirect("ledger_calendar")
    return render(request, "ledgers/calendar_day_delete.html", _page(day=day))


urlpatterns = [
    path("", ledger_index, name="ledger_index"),
    path("deadlines/", ledger_deadlines, name="ledger_deadlines"),
    path("calendar/", ledger_calendar, name="ledger_calendar"),
    path("calendar/<int:calendar_day_pk>/delete/", ledger_calendar_day_delete, name="ledger_calendar_day_delete"),
    path("import/<str:importer_key>/", ledger_import, name="ledger_import"),
    path("import/<str:importer_key>/template.xlsx", ledger_import_template, name="ledger_import_template"),
    path("export/<str:importer_key>/", ledger_export, name="ledger_export"),
]
