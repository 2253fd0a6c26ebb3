"""Editing a draft: its indicator tree (add, change, move, remove) and its bonus and veto items.

Each service locks the standard's row, refuses unless it is a draft, and writes one audit event.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from fazhi.core.audit import audit_record
from fazhi.core.errors import DomainError
from fazhi.indicators import spec
from fazhi.indicators.models import BonusItem, Indicator, Standard, VetoItem
from fazhi.indicators.services.rows import rule_fields
from fazhi.indicators.services.standards import UNCHANGED, locked_draft
from fazhi.indicators.validation import ITEM_CODE_RE, MAX_CODE_LENGTH


def _indicator_snapshot(indicator: Indicator) -> dict:
    return {
        "code": indicator.code,
        "title": indicator.title,
        "parent": indicator.parent.code if indicator.parent_id else None,
        "position": indicator.position,
        "points": indicator.points,
        "rule": indicator.rule,
        "params": indicator.params,
        "metric": indicator.metric,
        "guidance": indicator.guidance,
        "evidence": indicator.evidence,
    }


def _check_item_code(model, standard: Standard, code: str, *, exclude_pk=None) -> str:
    """A code for an indicator, bonus or veto item: the file format's pattern, and unique among
    the standard's indicators, bonus and veto items together."""
    code = (code or "").strip()
    if len(code) > MAX_CODE_LENGTH or not ITEM_CODE_RE.match(code):
        raise DomainError(
            _("A code is 1 to %(max)d letters, digits, dots, hyphens or underscores, beginning with a letter or digit.")
            % {"max": MAX_CODE_LENGTH},
            rule="item.code",
            field="code",
        )
    for other in (Indicator, BonusItem, VetoItem):
        taken = other.objects.filter(standard=standard, code=code)
        if other is model:
            taken = taken.exclude(pk=exclude_pk)
        if taken.exists():
            raise DomainError(
                _("Code %(code)s is already used in this standard.") % {"code": code},
                rule="item.code_unique",
                field="code",
            )
    return code


def _check_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise DomainError(_("The title is required."), rule="item.title", field="title")
    return title


def _check_points(points) -> int:
    if not isinstance(points, int) or isinstance(points, bool) or points < 0:
        raise DomainError(_("Points cannot be negative."), rule="item.points", field="points")
    return points


def _check_rule(rule: spec.Rule | None) -> spec.Rule | None:
    if rule is not None and rule.kind not in spec.RULE_KINDS:
        raise DomainError(
            _("Unknown rule %(rule)s; use one of %(kinds)s.")
            % {"rule": rule.kind, "kinds": ", ".join(spec.RULE_KINDS)},
            rule="indicator.rule_kind",
            field="rule",
        )
    return rule


def _locked_indicator(indicator: Indicator) -> tuple[Standard, Indicator]:
    standard = locked_draft(indicator.standard)
    indicator = Indicator.objects.select_related("parent").get(pk=indicator.pk, standard=standard)
    return standard, indicator


def _check_parent(standard: Standard, parent: Indicator | None) -> Indicator | None:
    if parent is None:
        return None
    parent = Indicator.objects.get(pk=parent.pk)
    if parent.standard_id != standard.pk:
        raise DomainError(
            _("%(parent)s belongs to another standard.") % {"parent": parent}, rule="indicator.parent", field="parent"
        )
    if parent.rule:
        raise DomainError(
            _("%(parent)s is a scored leaf; remove its rule before putting indicators under it.") % {"parent": parent},
            rule="indicator.parent_is_leaf",
            field="parent",
        )
    return parent


def _siblings(standard: Standard, parent: Indicator | None, *, exclude_pk=None) -> list[Indicator]:
    return list(
        Indicator.objects.filter(standard=standard, parent=parent).exclude(pk=exclude_pk).order_by("position", "pk")
    )


def _renumber(siblings: list) -> None:
    """Positions 0, 1, 2, ... in list order (indicators among siblings, or a standard's bonus or veto items)."""
    changed = []
    for position, sibling in enumerate(siblings):
        if sibling.position != position:
            sibling.position = position
            changed.append(sibling)
    if changed:
        type(changed[0]).objects.bulk_update(changed, ["position"])


def _refresh_branch_points(standard: Standard) -> None:
    """Set every branch's stored points to the sum of its leaves (they are derived, never edited)."""
    rows = list(Indicator.objects.filter(standard=standard))
    children: dict[int | None, list[Indicator]] = defaultdict(list)
    for row in rows:
        children[row.parent_id].append(row)
    changed = []

    def total(row: Indicator) -> int:
        kids = children[row.pk]
        if not kids:
            return row.points
        points = sum(total(kid) for kid in kids)
        if row.points != points:
            row.points = points
            changed.append(row)
        return points

    for root in children[None]:
        total(root)
    Indicator.objects.bulk_update(changed, ["points"])


@transaction.atomic
def indicator_add(
    *,
    actor,
    standard: Standard,
    parent: Indicator | None,
    code: str,
    title: str,
    points: int = 0,
    rule: spec.Rule | None = None,
    guidance: str = "",
    evidence: Iterable[str] = (),
    position: int | None = None,
) -> Indicator:
    """Add a node under ``parent`` (None: a level-1 node) at ``position`` (default: last).

    A node without a ``rule`` becomes a branch once it has children (its points are then theirs).
    """
    standard = locked_draft(standard)
    parent = _check_parent(standard, parent)
    code = _check_item_code(Indicator, standard, code)
    siblings = _siblings(standard, parent)
    position = len(siblings) if position is None else max(0, min(position, len(siblings)))
    indicator = Indicator(
        standard=standard,
        parent=parent,
        code=code,
        title=_check_title(title),
        depth=parent.depth + 1 if parent else 1,
        points=_check_points(points),
        guidance=guidance.strip(),
        evidence=[item.strip() for item in evidence if item.strip()],
        **rule_fields(_check_rule(rule)),
    )
    indicator.save()
    siblings.insert(position, indicator)
    _renumber(siblings)
    _refresh_branch_points(standard)
    indicator.refresh_from_db()
    audit_record(
        actor=actor,
        action="indicators.indicator.added",
        obj=indicator,
        org=standard.owner_org,
        new=_indicator_snapshot(indicator),
    )
    return indicator


@transaction.atomic
def indicator_update(
    *,
    actor,
    indicator: Indicator,
    code=UNCHANGED,
    title=UNCHANGED,
    points=UNCHANGED,
    rule=UNCHANGED,
    guidance=UNCHANGED,
    evidence=UNCHANGED,
) -> Indicator:
    """Change a node's fields; ``rule=None`` takes its rule away. A branch's points are its children's."""
    standard, indicator = _locked_indicator(indicator)
    old = _indicator_snapshot(indicator)
    has_children = Indicator.objects.filter(parent=indicator).exists()
    if code is not UNCHANGED:
        indicator.code = _check_item_code(Indicator, standard, code, exclude_pk=indicator.pk)
    if title is not UNCHANGED:
        indicator.title = _check_title(title)
    if points is not UNCHANGED:
        if has_children:
            raise DomainError(
                _("The points of %(indicator)s are the sum of the indicators under it.") % {"indicator": indicator},
                rule="indicator.branch_points",
                field="points",
            )
        indicator.points = _check_points(points)
    if rule is not UNCHANGED:
        if rule is not None and has_children:
            raise DomainError(
                _("%(indicator)s has indicators under it; only a leaf can have a rule.") % {"indicator": indicator},
                rule="indicator.branch_rule",
                field="rule",
            )
        for field, value in rule_fields(_check_rule(rule)).items():
            setattr(indicator, field, value)
    if guidance is not UNCHANGED:
        indicator.guidance = guidance.strip()
    if evidence is not UNCHANGED:
        indicator.evidence = [item.strip() for item in evidence if item.strip()]
    indicator.save()
    _refresh_branch_points(standard)
    indicator.refresh_from_db()
    audit_record(
        actor=actor,
        action="indicators.indicator.updated",
        obj=indicator,
        org=standard.owner_org,
        old=old,
        new=_indicator_snapshot(indicator),
    )
    return indicator


@transaction.atomic
def indicator_move(*, actor, indicator: Indicator, new_parent: Indicator | None, position: int) -> Indicator:
    """Put ``indicator`` (with everything under it) under ``new_parent`` (None: level 1) at ``position``
    among its new siblings (clamped to the ends)."""
    standard, indicator = _locked_indicator(indicator)
    old = _indicator_snapshot(indicator)
    new_parent = _check_parent(standard, new_parent)
    rows = {row.pk: row for row in Indicator.objects.filter(standard=standard)}
    if new_parent is not None:
        ancestor = new_parent
        while ancestor is not None:
            if ancestor.pk == indicator.pk:
                raise DomainError(
                    _("%(indicator)s cannot move under %(parent)s, which lies inside it.")
                    % {"indicator": indicator, "parent": new_parent},
                    rule="indicator.move_cycle",
                    field="parent",
                )
            ancestor = rows.get(ancestor.parent_id)
    old_parent_id = indicator.parent_id
    indicator.parent = new_parent
    indicator.save(update_fields=["parent"])
    siblings = _siblings(standard, new_parent, exclude_pk=indicator.pk)
    siblings.insert(max(0, min(position, len(siblings))), indicator)
    _renumber(siblings)
    if old_parent_id != (new_parent.pk if new_parent else None):
        _renumber(_siblings(standard, rows[old_parent_id] if old_parent_id else None))
    _refresh_depths(standard)
    _refresh_branch_points(standard)
    indicator.refresh_from_db()
    audit_record(
        actor=actor,
        action="indicators.indicator.moved",
        obj=indicator,
        org=standard.owner_org,
        old=old,
        new=_indicator_snapshot(indicator),
    )
    return indicator


def _refresh_depths(standard: Standard) -> None:
    rows = list(Indicator.objects.filter(standard=standard))
    children: dict[int | None, list[Indicator]] = defaultdict(list)
    for row in rows:
        children[row.parent_id].append(row)
    changed = []
    level, depth = children[None], 1
    while level:
        for row in level:
            if row.depth != depth:
                row.depth = depth
                changed.append(row)
        level, depth = [kid for row in level for kid in children[row.pk]], depth + 1
    Indicator.objects.bulk_update(changed, ["depth"])


@transaction.atomic
def indicator_remove(*, actor, indicator: Indicator) -> None:
    """Remove a node and everything under it."""
    standard, indicator = _locked_indicator(indicator)
    old = _indicator_snapshot(indicator)
    removed = _count_subtree(indicator)
    parent = indicator.parent
    audit_record(
        actor=actor,
        action="indicators.indicator.removed",
        obj=indicator,
        org=standard.owner_org,
        old=old | {"removed": removed},
    )
    indicator.delete()
    _renumber(_siblings(standard, parent))
    _refresh_branch_points(standard)


def _count_subtree(indicator: Indicator) -> int:
    count, level = 1, [indicator.pk]
    while level:
        level = list(Indicator.objects.filter(parent_id__in=level).values_list("pk", flat=True))
        count += len(level)
    return count


# ---------------------------------------------------------------------------------------------
# Bonus and veto items
# ---------------------------------------------------------------------------------------------


def _item_snapshot(item) -> dict:
    snapshot = {"code": item.code, "title": item.title, "position": item.position}
    if isinstance(item, BonusItem):
        snapshot["points"] = item.points
    return snapshot


def _add_item(model, action: str, *, actor, standard: Standard, code: str, title: str, **fields):
    standard = locked_draft(standard)
    code = _check_item_code(model, standard, code)
    position = model.objects.filter(standard=standard).count()
    item = model.objects.create(standard=standard, code=code, title=_check_title(title), position=position, **fields)
    audit_record(actor=actor, action=action, obj=item, org=standard.owner_org, new=_item_snapshot(item))
    return item


def _update_item(model, action: str, *, actor, item, code, title, **fields):
    standard = locked_draft(item.standard)
    item = model.objects.get(pk=item.pk, standard=standard)
    old = _item_snapshot(item)
    if code is not UNCHANGED:
        item.code = _check_item_code(model, standard, code, exclude_pk=item.pk)
    if title is not UNCHANGED:
        item.title = _check_title(title)
    for field, value in fields.items():
        if value is not UNCHANGED:
            setattr(item, field, value)
    item.save()
    audit_record(actor=actor, action=action, obj=item, org=standard.owner_org, old=old, new=_item_snapshot(item))
    return item


def _remove_item(model, action: str, *, actor, item) -> None:
    standard = locked_draft(item.standard)
    item = model.objects.get(pk=item.pk, standard=standard)
    audit_record(actor=actor, action=action, obj=item, org=standard.owner_org, old=_item_snapshot(item))
    item.delete()
    _renumber(list(model.objects.filter(standard=standard).order_by("position", "pk")))


@transaction.atomic
def bonus_item_add(*, actor, standard: Standard, code: str, title: str, points: int) -> BonusItem:
    return _add_item(
        BonusItem,
        "indicators.bonus_item.added",
        actor=actor,
        standard=standard,
        code=code,
        title=title,
        points=_check_points(points),
    )


@transaction.atomic
def bonus_item_update(*, actor, item: BonusItem, code=UNCHANGED, title=UNCHANGED, points=UNCHANGED) -> BonusItem:
    if points is not UNCHANGED:
        points = _check_points(points)
    return _update_item(
        BonusItem, "indicators.bonus_item.updated", actor=actor, item=item, code=code, title=title, points=points
    )


@transaction.atomic
def bonus_item_remove(*, actor, item: BonusItem) -> None:
    _remove_item(BonusItem, "indicators.bonus_item.removed", actor=actor, item=item)


@transaction.atomic
def veto_item_add(*, actor, standard: Standard, code: str, title: str) -> VetoItem:
    return _add_item(VetoItem, "indicators.veto_item.added", actor=actor, standard=standard, code=code, title=title)


@transaction.atomic
def veto_item_update(*, actor, item: VetoItem, code=UNCHANGED, title=UNCHANGED) -> VetoItem:
    return _update_item(VetoItem, "indicators.veto_item.updated", actor=actor, item=item, code=code, title=title)


@transaction.atomic
def veto_item_remove(*, actor, item: VetoItem) -> None:
    _remove_item(VetoItem, "indicators.veto_item.removed", actor=actor, item=item)
