"""Editing a draft standard: its indicators (add, edit with a form per rule kind, points in the tree,
move, remove), its header, and its bonus and veto items. Every change goes through
:mod:`fazhi.indicators.services`; objects are fetched through :mod:`fazhi.indicators.selectors`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from fazhi.core.errors import DomainError
from fazhi.indicators import selectors, services
from fazhi.indicators.forms import (
    BonusItemForm,
    IndicatorForm,
    MoveForm,
    PointsForm,
    StandardHeaderForm,
    VetoItemForm,
    hundredths,
)
from fazhi.indicators.validation import points_text
from fazhi.indicators.views.standards import _ctx, _problem_rows, _tree


@login_required
@require_POST
def indicator_points(request, pk: int):
    """Change a leaf's points from the tree; an htmx request gets the tree back with the new totals."""
    indicator = selectors.indicator_get_for_user(request.user, pk, write=True)
    standard = indicator.standard
    form = PointsForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.indicator_update(
                actor=request.user, indicator=indicator, points=hundredths(form.cleaned_data["points"])
            )
        except DomainError as domain_error:
            error = domain_error.message
    else:
        error = " ".join(form.errors.get("points", []))
    if not request.htmx:
        if error:
            messages.error(request, f"{indicator.code}: {error}")
        return _after_edit(request, standard)
    context = {
        "standard": standard,
        "editable": True,
        "points_error": error,
        "points_error_pk": indicator.pk,
        "points_typed": request.POST.get("points", ""),
        **_tree(standard),
    }
    return render(request, "indicators/standard_detail.html#tree", context)


def _indicator_parent(request, standard, pk):
    if not pk:
        return None
    parent = selectors.indicator_get_for_user(request.user, pk, write=True)
    if parent.standard_id != standard.pk:
        raise Http404
    return parent


def _after_edit(request, standard):
    url = reverse("standard_detail", args=[standard.pk])
    return redirect(url)


@login_required
@require_http_methods(["GET", "POST"])
def indicator_add(request, standard_pk: int):
    """Add a node under ``?parent=`` (none: level 1) at ``?position=`` (from 0; none: last)."""
    standard = selectors.standard_get_for_user(request.user, standard_pk, write=True)
    parent = _indicator_parent(request, standard, request.GET.get("parent"))
    try:
        position = int(request.GET["position"]) if request.GET.get("position") else None
    except ValueError:
        position = None
    if request.method == "POST":
        form = IndicatorForm(request.POST)
        if form.is_valid():
            try:
                services.indicator_add(
                    actor=request.user,
                    standard=standard,
                    parent=parent,
                    code=form.cleaned_data["code"],
                    title=form.cleaned_data["title"],
                    points=form.points_hundredths(),
                    rule=form.rule,
                    guidance=form.cleaned_data["guidance"],
                    evidence=form.evidence_list(),
                    position=position,
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, _("Indicator %(code)s added.") % {"code": form.cleaned_data["code"]})
                return _after_edit(request, standard)
    else:
        form = IndicatorForm(initial={"kind": request.GET.get("kind", "manual")})
        if request.htmx and "kind" in request.GET:
            form = IndicatorForm(initial={"kind": request.GET["kind"]})
            return render(request, "indicators/indicator_form.html#rule_fields", {"form": form})
    return render(
        request,
        "indicators/indicator_form.html",
        _ctx(standard=standard, parent=parent, form=form, indicator=None, action=request.get_full_path()),
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_edit(request, pk: int):
    indicator = selectors.indicator_get_for_user(request.user, pk, write=True)
    standard = indicator.standard
    is_branch = any(node.parent_id == indicator.pk for node in selectors.standard_indicators(standard))
    rule = services.rule_of(indicator)
    if request.method == "POST":
        form = IndicatorForm(request.POST, is_branch=is_branch)
        if form.is_valid():
            changes = {
                "code": form.cleaned_data["code"],
                "title": form.cleaned_data["title"],
                "guidance": form.cleaned_data["guidance"],
                "evidence": form.evidence_list(),
            }
            if not is_branch:
                changes |= {"points": form.points_hundredths(), "rule": form.rule}
            try:
                services.indicator_update(actor=request.user, indicator=indicator, **changes)
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, _("Indicator %(code)s saved.") % {"code": changes["code"]})
                return _after_edit(request, standard)
    else:
        initial = IndicatorForm.initial_for(indicator, rule)
        if "kind" in request.GET:
            initial["kind"] = request.GET["kind"]
        form = IndicatorForm(initial=initial, is_branch=is_branch)
        if request.htmx and "kind" in request.GET:
            return render(request, "indicators/indicator_form.html#rule_fields", {"form": form})
    problems = [p for p in _problem_rows(services.standard_problems(standard)) if p["where"] == indicator.code]
    return render(
        request,
        "indicators/indicator_form.html",
        _ctx(
            standard=standard,
            parent=indicator.parent,
            form=form,
            indicator=indicator,
            problems=problems,
            action=request.path,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_move(request, pk: int):
    """POST ``direction=up|down`` moves among siblings; otherwise to another parent and place."""
    indicator = selectors.indicator_get_for_user(request.user, pk, write=True)
    standard = indicator.standard
    rows = selectors.standard_indicators(standard)
    inside = {indicator.pk}
    for row in rows:  # display order: a node's descendants follow it
        if row.parent_id in inside:
            inside.add(row.pk)
    parents = [row for row in rows if not row.rule and row.pk not in inside]
    if request.method == "POST" and request.POST.get("direction") in {"up", "down"}:
        step = -1 if request.POST["direction"] == "up" else 1
        try:
            services.indicator_move(
                actor=request.user,
                indicator=indicator,
                new_parent=indicator.parent,
                position=max(0, indicator.position + step),
            )
        except DomainError as error:
            messages.error(request, error.message)
        return _after_edit(request, standard)
    form = MoveForm(
        request.POST or None,
        parents=parents,
        initial={"parent": str(indicator.parent_id or ""), "position": indicator.position + 1},
    )
    if request.method == "POST" and form.is_valid():
        parent = _indicator_parent(request, standard, form.cleaned_data["parent"])
        try:
            services.indicator_move(
                actor=request.user, indicator=indicator, new_parent=parent, position=form.cleaned_data["position"] - 1
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Indicator %(code)s moved.") % {"code": indicator.code})
            return _after_edit(request, standard)
    return render(request, "indicators/indicator_move.html", _ctx(standard=standard, indicator=indicator, form=form))


@login_required
@require_http_methods(["GET", "POST"])
def indicator_remove(request, pk: int):
    indicator = selectors.indicator_get_for_user(request.user, pk, write=True)
    standard = indicator.standard
    if request.method == "POST":
        try:
            services.indicator_remove(actor=request.user, indicator=indicator)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Indicator %(code)s removed.") % {"code": indicator.code})
        return _after_edit(request, standard)
    below = sum(1 for row in selectors.standard_indicators(standard) if row.parent_id == indicator.pk)
    return render(
        request,
        "indicators/confirm.html",
        _ctx(
            standard=standard,
            heading=_("Remove %(code)s %(title)s?") % {"code": indicator.code, "title": indicator.title},
            explanation=_("Everything under it is removed with it.") if below else "",
            button=_("Remove"),
            danger=True,
        ),
    )


def _form_page(request, standard, form, *, heading, button):
    """The page of a short form on a standard (its header, a bonus or veto item)."""
    return render(
        request,
        "indicators/standard_form.html",
        _ctx(standard=standard, form=form, heading=heading, button=button),
    )


@login_required
@require_http_methods(["GET", "POST"])
def standard_edit(request, pk: int):
    """A draft's header: title, source, declared total, pass score and bonus cap."""
    standard = selectors.standard_get_for_user(request.user, pk, write=True)
    if request.method == "POST":
        form = StandardHeaderForm(request.POST)
        if form.is_valid():
            try:
                services.standard_update(actor=request.user, standard=standard, **form.changes())
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, _("%(standard)s saved.") % {"standard": standard})
                return _after_edit(request, standard)
    else:
        form = StandardHeaderForm(initial=StandardHeaderForm.initial_for(standard))
    return _form_page(
        request, standard, form, heading=_("Edit the header of %(standard)s") % {"standard": standard}, button=_("Save")
    )


@login_required
@require_http_methods(["GET", "POST"])
def bonus_item_add(request, standard_pk: int):
    standard = selectors.standard_get_for_user(request.user, standard_pk, write=True)
    form = BonusItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.bonus_item_add(
                actor=request.user,
                standard=standard,
                code=data["code"],
                title=data["title"],
                points=hundredths(data["points"]),
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Bonus item %(code)s added.") % {"code": data["code"]})
            return _after_edit(request, standard)
    return _form_page(request, standard, form, heading=_("Add a bonus item"), button=_("Add"))


@login_required
@require_http_methods(["GET", "POST"])
def bonus_item_edit(request, pk: int):
    item = selectors.bonus_item_get_for_user(request.user, pk, write=True)
    standard = item.standard
    initial = {"code": item.code, "title": item.title, "points": points_text(item.points)}
    form = BonusItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.bonus_item_update(
                actor=request.user, item=item, code=data["code"], title=data["title"], points=hundredths(data["points"])
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Bonus item %(code)s saved.") % {"code": data["code"]})
            return _after_edit(request, standard)
    heading = _("Edit bonus item %(code)s") % {"code": item.code}
    return _form_page(request, standard, form, heading=heading, button=_("Save"))


@login_required
@require_http_methods(["GET", "POST"])
def veto_item_add(request, standard_pk: int):
    standard = selectors.standard_get_for_user(request.user, standard_pk, write=True)
    form = VetoItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.veto_item_add(actor=request.user, standard=standard, code=data["code"], title=data["title"])
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Veto item %(code)s added.") % {"code": data["code"]})
            return _after_edit(request, standard)
    return _form_page(request, standard, form, heading=_("Add a veto item"), button=_("Add"))


@login_required
@require_http_methods(["GET", "POST"])
def veto_item_edit(request, pk: int):
    item = selectors.veto_item_get_for_user(request.user, pk, write=True)
    standard = item.standard
    form = VetoItemForm(request.POST or None, initial={"code": item.code, "title": item.title})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.veto_item_update(actor=request.user, item=item, code=data["code"], title=data["title"])
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Veto item %(code)s saved.") % {"code": data["code"]})
            return _after_edit(request, standard)
    heading = _("Edit veto item %(code)s") % {"code": item.code}
    return _form_page(request, standard, form, heading=heading, button=_("Save"))


def _item_remove(request, item, remove, *, heading: str, done: str):
    standard = item.standard
    if request.method == "POST":
        try:
            remove(actor=request.user, item=item)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, done)
        return _after_edit(request, standard)
    return render(
        request,
        "indicators/confirm.html",
        _ctx(standard=standard, heading=heading, button=_("Remove"), danger=True, refused=not standard.is_draft),
    )


@login_required
@require_http_methods(["GET", "POST"])
def bonus_item_remove(request, pk: int):
    item = selectors.bonus_item_get_for_user(request.user, pk, write=True)
    names = {"code": item.code, "title": item.title}
    return _item_remove(
        request,
        item,
        services.bonus_item_remove,
        heading=_("Remove bonus item %(code)s %(title)s?") % names,
        done=_("Bonus item %(code)s removed.") % names,
    )


@login_required
@require_http_methods(["GET", "POST"])
def veto_item_remove(request, pk: int):
    item = selectors.veto_item_get_for_user(request.user, pk, write=True)
    names = {"code": item.code, "title": item.title}
    return _item_remove(
        request,
        item,
        services.veto_item_remove,
        heading=_("Remove veto item %(code)s %(title)s?") % names,
        done=_("Veto item %(code)s removed.") % names,
    )
