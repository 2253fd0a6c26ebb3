"""Changes to the organisation tree. Each is one transaction and writes one audit event.

Services check the business rules (placement, codes, cycles) and raise
:class:`~fazhi.core.errors.DomainError` naming the field and rule; they do not check who is
acting; the view or command does that through :mod:`fazhi.orgs.access` first.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from fazhi.core.audit import audit_record
from fazhi.core.errors import DomainError
from fazhi.core.i18n import translate
from fazhi.orgs import rules
from fazhi.orgs.models import Org, path_segment, subtree_q

ORG_AUDIT_FIELDS = ("name", "kind", "level", "code", "parent_id", "is_active")


def _snapshot(org: Org) -> dict:
    return {field: getattr(org, field) for field in ORG_AUDIT_FIELDS}


def org_check_placement(*, kind: str, code: str, parent: Org | None, exclude_pk=None) -> None:
    """Raise DomainError if an organisation of ``kind`` with ``code`` may not stand under ``parent``."""
    problem = rules.placement_problem(kind, parent.kind if parent else None)
    if problem:
        raise DomainError(translate(problem), rule="org.placement", field="parent")
    if parent is not None and not parent.is_active:
        raise DomainError(
            _("%(parent)s is deactivated; nothing can be added under it.") % {"parent": parent.name},
            rule="org.parent_inactive",
            field="parent",
        )
    problem = rules.code_problem(
        kind, code, parent_kind=parent.kind if parent else None, parent_code=parent.code if parent else None
    )
    if problem:
        raise DomainError(translate(problem), rule="org.code", field="code")
    clash = Org.objects.filter(code=code).exclude(pk=exclude_pk).first()
    if clash is not None:
        raise DomainError(
            _("Code %(code)s is already used by %(name)s.") % {"code": code, "name": clash.name},
            rule="org.code_unique",
            field="code",
        )


@transaction.atomic
def org_create(*, actor, name: str, kind: str, code: str, parent: Org | None) -> Org:
    name, code = name.strip(), code.strip().upper()
    if not name:
        raise DomainError(_("The name is required."), rule="org.name", field="name")
    if parent is not None:
        parent = Org.objects.select_for_update().get(pk=parent.pk)
    org_check_placement(kind=kind, code=code, parent=parent)
    org = Org.objects.create(
        name=name,
        kind=kind,
        code=code,
        parent=parent,
        level=rules.level_of(kind, parent.level if parent else None),
        depth=(parent.depth + 1) if parent else 1,
    )
    org.path = (parent.path if parent else "") + path_segment(org.pk)
    org.save(update_fields=["path"])
    audit_record(actor=actor, action="orgs.org.created", obj=org, new=_snapshot(org))
    return org


@transaction.atomic
def org_update(*, actor, org: Org, name: str, code: str) -> Org:
    """Rename an organisation or correct its code; kind and place change only by moving."""
    org = Org.objects.select_for_update().get(pk=org.pk)
    old = _snapshot(org)
    name, code = name.strip(), code.strip().upper()
    if not name:
        raise DomainError(_("The name is required."), rule="org.name", field="name")
    org_check_placement(kind=org.kind, code=code, parent=org.parent, exclude_pk=org.pk)
    org.name, org.code = name, code
    org.save(update_fields=["name", "code", "updated_at"])
    audit_record(actor=actor, action="orgs.org.updated", obj=org, old=old, new=_snapshot(org))
    return org


@transaction.atomic
def org_move(*, actor, org: Org, new_parent: Org) -> Org:
    """Re-parent ``org`` and its whole subtree in one UPDATE of the paths."""
    org = Org.objects.select_for_update().get(pk=org.pk)
    new_parent = Org.objects.select_for_update().get(pk=new_parent.pk)
    if new_parent.path.startswith(org.path):
        raise DomainError(
            _("%(org)s cannot move under %(parent)s, which lies inside its own subtree.")
            % {"org": org.name, "parent": new_parent.name},
            rule="org.move_cycle",
            field="parent",
        )
    problem = rules.placement_problem(org.kind, new_parent.kind)
    if problem:
        raise DomainError(translate(problem), rule="org.placement", field="parent")
    if not new_parent.is_active:
        raise DomainError(
            _("%(parent)s is deactivated; nothing can be moved under it.") % {"parent": new_parent.name},
            rule="org.parent_inactive",
            field="parent",
        )
    old = _snapshot(org)
    old_path, new_path = org.path, new_parent.path + path_segment(org.pk)
    depth_change = new_parent.depth + 1 - org.depth
    level = rules.level_of(org.kind, new_parent.level)
    subtree = Org.objects.filter(subtree_q(old_path))
    # Units below take their level from what they hang under, which may have changed.
    if not org.is_area and level != org.level:
        subtree.exclude(kind__in=rules.AREA_LEVEL).update(level=level)
    subtree.update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_change,
    )
    Org.objects.filter(pk=org.pk).update(parent=new_parent)
    org.refresh_from_db()
    audit_record(actor=actor, action="orgs.org.moved", obj=org, old=old, new=_snapshot(org))
    return org


@transaction.atomic
def org_set_active(*, actor, org: Org, active: bool) -> Org:
    """Deactivate (or reactivate) an organisation. Organisations are never deleted.

    Deactivating a unit with active organisations below it is refused: deactivate them first,
    so that no active unit hangs under an inactive one.
    """
    org = Org.objects.select_for_update().get(pk=org.pk)
    if org.is_active == active:
        return org
    if not active and Org.objects.filter(subtree_q(org.path), is_active=True).exclude(pk=org.pk).exists():
        raise DomainError(
            _("%(org)s still has active organisations below it; deactivate or move them first.") % {"org": org.name},
            rule="org.deactivate_subtree",
        )
    if active and org.parent is not None and not org.parent.is_active:
        raise DomainError(
            _("%(parent)s is deactivated; reactivate it first.") % {"parent": org.parent.name},
            rule="org.parent_inactive",
        )
    old = _snapshot(org)
    org.is_active = active
    org.save(update_fields=["is_active", "updated_at"])
    audit_record(
        actor=actor,
        action="orgs.org.reactivated" if active else "orgs.org.deactivated",
        obj=org,
        old=old,
        new=_snapshot(org),
    )
    return org
