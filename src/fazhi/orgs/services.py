"""Changes to the organisation tree. Each is one transaction and writes one audit event.

Services check the business rules (placement, codes, cycles) and raise
:class:`~fazhi.core.errors.DomainError` naming the field and rule; they do not check who is
acting; the view or command does that through :mod:`fazhi.orgs.access` first.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat, LPad, Substr
from django.utils.translation import gettext as _

from fazhi.core.audit import audit_record, audit_record_many
from fazhi.core.errors import DomainError
from fazhi.core.i18n import translate
from fazhi.orgs import rules
from fazhi.orgs.models import PATH_STEP, Org, path_segment, subtree_q

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
    if org.is_area and code != org.code and org.children.filter(kind__in=rules.AREA_LEVEL).exists():
        raise DomainError(
            _("The areas below %(org)s carry its division code; its code cannot change while they exist.")
            % {"org": org.name},
            rule="org.code_has_areas_below",
            field="code",
        )
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
    problem = rules.placement_problem(org.kind, new_parent.kind) or rules.code_problem(
        org.kind, org.code, parent_kind=new_parent.kind, parent_code=new_parent.code
    )
    if problem:
        # An area's division code carries its parent's digits: an area changes county only with a
        # new code, which in practice means a new area (create it, move the units, deactivate the old).
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


# --- Many organisations at once (imports) ------------------------------------------------------


@dataclass(frozen=True)
class OrgDraft:
    """An organisation to create in a batch: under an existing ``parent``, under the earlier
    draft at ``parent_index``, or (neither) at the top of the tree."""

    name: str
    kind: str
    code: str
    parent: Org | None = None
    parent_index: int | None = None


@dataclass(frozen=True)
class OrgParentInfo:
    """What the placement rules need to know of a parent, existing or still a draft."""

    kind: str
    code: str
    name: str
    is_active: bool = True


@dataclass(frozen=True)
class OrgRuleProblem:
    field: str
    rule: str
    message: str


def org_rule_problems(*, name: str, kind: str, code: str, parent: OrgParentInfo | None) -> list[OrgRuleProblem]:
    """The rules of :func:`org_check_placement` that need no query (all but the unique code), for
    an organisation that may not exist yet; [] when it may stand there."""
    found = []
    if not name.strip():
        found.append(OrgRuleProblem("name", "org.name", _("The name is required.")))
    elif len(name.strip()) > Org._meta.get_field("name").max_length:
        found.append(OrgRuleProblem("name", "org.name", _("The name is too long.")))
    problem = rules.placement_problem(kind, parent.kind if parent else None)
    if problem:
        return [*found, OrgRuleProblem("parent", "org.placement", translate(problem))]
    if parent is not None and not parent.is_active:
        found.append(
            OrgRuleProblem(
                "parent",
                "org.parent_inactive",
                _("%(parent)s is deactivated; nothing can be added under it.") % {"parent": parent.name},
            )
        )
    problem = rules.code_problem(
        kind, code, parent_kind=parent.kind if parent else None, parent_code=parent.code if parent else None
    )
    if problem:
        found.append(OrgRuleProblem("code", "org.code", translate(problem)))
    return found


def _codes_in_use(codes: list[str]) -> dict[str, str]:
    """Code → name of the organisations already holding one of ``codes``."""
    in_use: dict[str, str] = {}
    for start in range(0, len(codes), BULK_BATCH_SIZE):
        chunk = codes[start : start + BULK_BATCH_SIZE]
        in_use.update(Org.objects.filter(code__in=chunk).values_list("code", "name"))
    return in_use


BULK_BATCH_SIZE = 500


@transaction.atomic
def org_bulk_create(*, actor, drafts: list[OrgDraft]) -> list[Org]:
    """Create many organisations in one transaction (imports of thousands of villages).

    The same rules as :func:`org_create`, checked for the whole batch in a few queries; the
    first broken rule refuses the whole batch (callers such as the import framework check
    every item beforehand to report all problems at once). Rows are written with bulk inserts,
    one generation of the tree at a time, and each organisation gets its own
    ``orgs.org.created`` audit event, as with :func:`org_create` (appended in bulk by
    :func:`~fazhi.core.audit.audit_record_many`).
    """
    drafts = [
        OrgDraft(
            name=d.name.strip(), kind=d.kind, code=d.code.strip().upper(), parent=d.parent, parent_index=d.parent_index
        )
        for d in drafts
    ]
    parent_pks = sorted({d.parent.pk for d in drafts if d.parent is not None})
    parents: dict[int, Org] = {}
    for start in range(0, len(parent_pks), BULK_BATCH_SIZE):
        chunk = parent_pks[start : start + BULK_BATCH_SIZE]
        parents.update((o.pk, o) for o in Org.objects.select_for_update().filter(pk__in=chunk))

    def refuse(draft: OrgDraft, message: str, rule: str, field: str):
        raise DomainError(f"{draft.name} ({draft.code}): {message}", rule=rule, field=field)

    in_use = _codes_in_use([d.code for d in drafts])
    seen: set[str] = set()
    for index, draft in enumerate(drafts):
        if draft.parent_index is not None:
            if not 0 <= draft.parent_index < index:
                refuse(draft, _("The parent must come before the organisations under it."), "org.placement", "parent")
            above = drafts[draft.parent_index]
            info = OrgParentInfo(kind=above.kind, code=above.code, name=above.name)
        elif draft.parent is not None:
            parent = parents[draft.parent.pk]
            info = OrgParentInfo(kind=parent.kind, code=parent.code, name=parent.name, is_active=parent.is_active)
        else:
            info = None
        for problem in org_rule_problems(name=draft.name, kind=draft.kind, code=draft.code, parent=info):
            refuse(draft, problem.message, problem.rule, problem.field)
        if draft.code in in_use:
            refuse(
                draft,
                _("Code %(code)s is already used by %(name)s.") % {"code": draft.code, "name": in_use[draft.code]},
                "org.code_unique",
                "code",
            )
        if draft.code in seen:
            refuse(draft, _("Code %(code)s appears twice.") % {"code": draft.code}, "org.code_unique", "code")
        seen.add(draft.code)

    created: list[Org | None] = [None] * len(drafts)
    generation = [0] * len(drafts)
    for index, draft in enumerate(drafts):
        if draft.parent_index is not None:
            generation[index] = generation[draft.parent_index] + 1
    for current in range(max(generation, default=-1) + 1):
        batch = []
        for index, draft in enumerate(drafts):
            if generation[index] != current:
                continue
            parent = (
                created[draft.parent_index]
                if draft.parent_index is not None
                else parents.get(draft.parent.pk if draft.parent else None)
            )
            org = Org(
                name=draft.name,
                kind=draft.kind,
                code=draft.code,
                parent=parent,
                level=rules.level_of(draft.kind, parent.level if parent else None),
                depth=(parent.depth + 1) if parent else 1,
            )
            created[index] = org
            batch.append(org)
        Org.objects.bulk_create(batch, batch_size=BULK_BATCH_SIZE)
        # One UPDATE per parent gives the new rows their paths (parent's path + own id, zero-padded).
        parent_paths = {org.parent_id: org.parent.path if org.parent else "" for org in batch}
        for parent_pk, parent_path in parent_paths.items():
            Org.objects.filter(parent_id=parent_pk, path__isnull=True).update(
                path=Concat(Value(parent_path), LPad(Cast("id", CharField()), PATH_STEP, Value("0")))
            )
        for org in batch:
            org.path = (org.parent.path if org.parent else "") + path_segment(org.pk)
    audit_record_many(actor=actor, action="orgs.org.created", entries=((org, None, _snapshot(org)) for org in created))
    return created
