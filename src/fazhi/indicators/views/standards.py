"""The scoring-standard pages: the list, a standard's tree with live totals, publish, retire, new
version, diff of two versions, import and export. Editing a draft is in :mod:`.editing`.

Standards are fetched through :mod:`fazhi.indicators.selectors` (404 outside the user's scope, 403
for a write without ``standard.change``); every change goes through :mod:`fazhi.indicators.services`.
Import reads the uploaded file synchronously: standards are small (the reader refuses files over
``FAZHI_STANDARD_MAX_KB``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from fazhi.core.errors import DomainError
from fazhi.core.i18n import translate
from fazhi.core.problems import Problem
from fazhi.indicators import formats, selectors, services
from fazhi.indicators.diff import diff_standards
from fazhi.indicators.forms import (
    ImportForm,
    NewVersionForm,
)
from fazhi.indicators.models import Standard
from fazhi.orgs import roles
from fazhi.orgs.access import has_any_capability, orgs_for_user, scope_paths


def _ctx(**context) -> dict:
    return {"section": "standards", **context}


def _problem_rows(problems) -> list[dict]:
    return [
        {
            "where": p.where,
            "rule": p.rule,
            "message": translate(p.message) if isinstance(p.message, Problem) else p.message,
        }
        for p in problems
    ]


def _tree(standard: Standard) -> dict:
    """The rows in display order with their rules, Σ of leaves, and the problems."""
    rows = selectors.standard_indicators(standard)
    parents = {row.parent_id for row in rows}
    nodes = []
    leaf_sum = 0
    for row in rows:
        is_leaf = row.pk not in parents
        if is_leaf:
            leaf_sum += row.points
        nodes.append({"row": row, "is_leaf": is_leaf, "rule": services.rule_of(row) if is_leaf else None})
    problems = _problem_rows(services.standard_problems(standard)) if standard.is_draft else []
    return {
        "nodes": nodes,
        "leaf_sum": leaf_sum,
        "sum_ok": leaf_sum == standard.total,
        "problems": problems,
        "problem_codes": {p["where"] for p in problems},
    }


@login_required
@require_GET
def standard_list(request):
    status = request.GET.get("status", "")
    if status not in Standard.Status.values:
        status = ""
    query = request.GET.get("q", "").strip()
    standards = selectors.standards_for_user(request.user, status=status or None, query=query)
    return render(
        request,
        "indicators/standard_list.html",
        _ctx(
            standards=standards,
            status=status,
            query=query,
            statuses=Standard.Status.choices,
            can_import=has_any_capability(request.user, roles.STANDARD_CHANGE),
        ),
    )


@login_required
@require_GET
def standard_detail(request, pk: int):
    standard = selectors.standard_get_for_user(request.user, pk)
    may_change = selectors.standard_may_change(request.user, standard)
    context = _ctx(
        standard=standard,
        may_change=may_change,
        editable=may_change and standard.is_draft,
        bonus=list(standard.bonus.all()),
        veto=list(standard.veto.all()),
        **_tree(standard),
    )
    template = "indicators/standard_detail.html#tree" if request.htmx else "indicators/standard_detail.html"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def standard_publish(request, pk: int):
    standard = selectors.standard_get_for_user(request.user, pk, write=True)
    problems = []
    if request.method == "POST":
        try:
            services.standard_publish(actor=request.user, standard=standard)
        except services.StandardProblems as error:
            problems = _problem_rows(error.problems)
            messages.error(request, error.message)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("standard_detail", standard.pk)
        else:
            messages.success(request, _("%(standard)s is published.") % {"standard": standard})
            return redirect("standard_detail", standard.pk)
    elif standard.is_draft:
        problems = _problem_rows(services.standard_problems(standard))
    return render(
        request,
        "indicators/confirm.html",
        _ctx(
            standard=standard,
            heading=_("Publish %(standard)s?") % {"standard": standard},
            explanation=_("A published standard never changes again; campaigns may then use it."),
            button=_("Publish"),
            problems=problems,
            refused=bool(problems) or not standard.is_draft,
        ),
        status=400 if request.method == "POST" and problems else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def standard_retire(request, pk: int):
    standard = selectors.standard_get_for_user(request.user, pk, write=True)
    if request.method == "POST":
        try:
            services.standard_retire(actor=request.user, standard=standard)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(standard)s is retired.") % {"standard": standard})
        return redirect("standard_detail", standard.pk)
    return render(
        request,
        "indicators/confirm.html",
        _ctx(
            standard=standard,
            heading=_("Retire %(standard)s?") % {"standard": standard},
            explanation=_("No new campaign may use it; campaigns that already use it keep it."),
            button=_("Retire"),
            danger=True,
            refused=standard.status != Standard.Status.PUBLISHED,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def standard_new_version(request, pk: int):
    standard = selectors.standard_get_for_user(request.user, pk, write=True)
    form = NewVersionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.standard_new_version(
                actor=request.user, standard=standard, version=form.cleaned_data["version"]
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Version %(version)s created as a draft.") % {"version": copy.version})
            return redirect("standard_detail", copy.pk)
    return render(request, "indicators/standard_new_version.html", _ctx(standard=standard, form=form))


@login_required
@require_GET
def standard_diff(request, pk: int):
    """What this version changes relative to ``?against=`` (another version the user may see)."""
    standard = selectors.standard_get_for_user(request.user, pk)
    versions = [v for v in selectors.standard_versions_for_user(request.user, standard) if v.pk != standard.pk]
    against, diff = None, None
    if request.GET.get("against"):
        against = selectors.standard_get_for_user(request.user, request.GET["against"])
        diff = diff_standards(services.standard_to_spec(against), services.standard_to_spec(standard))
    return render(
        request,
        "indicators/standard_diff.html",
        _ctx(standard=standard, versions=versions, against=against, diff=diff),
    )


def _import_owners(user):
    orgs = orgs_for_user(user, roles.STANDARD_CHANGE)
    paths = scope_paths(user, roles.STANDARD_CHANGE)
    orgs = orgs.filter(path__in=paths) if paths is not None else orgs.filter(parent__isnull=True)
    return list(orgs.order_by("path")[:50])


@login_required
@require_http_methods(["GET", "POST"])
def standard_import(request):
    if not has_any_capability(request.user, roles.STANDARD_CHANGE):
        raise PermissionDenied
    owners = _import_owners(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, owners=owners)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        owner = next(org for org in owners if str(org.pk) == form.cleaned_data["owner"])
        data = upload.read(formats.DEFAULT_MAX_BYTES + 1)
        try:
            std = formats.load_xlsx(data) if upload.name.lower().endswith(".xlsx") else formats.load_yaml(data)
            standard = services.standard_import(actor=request.user, owner_org=owner, spec=std)
        except formats.StandardInvalid as error:
            errors = _problem_rows(error.errors)
        except services.StandardProblems as error:
            errors = _problem_rows(error.problems)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("%(standard)s imported as a draft.") % {"standard": standard})
            return redirect("standard_detail", standard.pk)
    return render(request, "indicators/standard_import.html", _ctx(form=form, errors=errors))


@login_required
@require_GET
def standard_export(request, pk: int):
    standard = selectors.standard_get_for_user(request.user, pk)
    std = services.standard_to_spec(standard)
    if request.GET.get("format") == "xlsx":
        content = formats.dump_xlsx(std)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        extension = "xlsx"
    else:
        content = formats.dump_yaml(std)
        content_type = "application/yaml; charset=utf-8"
        extension = "yaml"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{standard.code}-{standard.version}.{extension}"'
    return response
