"""Changes to scoring standards. Each is one transaction and writes one audit event.

A standard enters the database by import (a parsed file, validated first: nothing is saved when
anything is wrong) or as a new version of another. Only a draft changes: the editing services
refuse a published or retired standard. An edited draft may be inconsistent for a while (leaves
not summing to the total, a node without a rule); :func:`standard_problems` lists what is wrong,
and :func:`standard_publish` refuses while anything is.

Rows and :mod:`fazhi.indicators.spec` convert both ways without loss: :func:`_write_contents`
(spec → rows, used by import and new version) and :func:`standard_to_spec` (rows → spec). A
branch's points are always the sum of its children's, computed, never edited.

Like the other services these do not check who is acting; the view, API or command does that
first through :mod:`fazhi.indicators.selectors`.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fazhi.core.audit import audit_record
from fazhi.core.errors import DomainError
from fazhi.indicators import spec
from fazhi.indicators.formats import load_yaml
from fazhi.indicators.models import BonusItem, Indicator, Standard, VetoItem
from fazhi.indicators.shipped import shipped_standards
from fazhi.indicators.validation import ITEM_CODE_RE, MAX_CODE_LENGTH, StandardError, validate

VERSION_MAX = Standard._meta.get_field("version").max_length


class UNCHANGED:  # noqa: N801 - a sentinel: "leave this field as it is"
    pass


class StandardProblems(DomainError):
    """The standard breaks validation rules; ``problems`` lists every one of them
    (:class:`~fazhi.indicators.validation.StandardError`: where, rule, message)."""

    def __init__(self, message: str, *, problems: Iterable[StandardError], rule: str = "standard.invalid"):
        super().__init__(message, rule=rule)
        self.problems = list(problems)


# ---------------------------------------------------------------------------------------------
# Rules ⇄ rows
# ---------------------------------------------------------------------------------------------


def rule_params(rule: spec.Rule) -> dict:
    """The JSON object stored in ``Indicator.params`` for ``rule`` (only the keys it sets)."""
    params: dict = {}
    if rule.step is not None:
        params["step"] = rule.step
    if rule.items:
        params["items"] = [{"title": item.title, "points": item.points} for item in rule.items]
    if rule.per is not None:
        params["per"] = rule.per
    if rule.full_at is not None:
        params["full_at"] = str(rule.full_at)
    if rule.zero_at is not None:
        params["zero_at"] = str(rule.zero_at)
    if rule.tiers:
        params["tiers"] = [{"min": str(tier.min), "points": tier.points} for tier in rule.tiers]
    return params


def rule_of(indicator: Indicator) -> spec.Rule | None:
    """The rule a row stores, or None for a node without one (a branch, or a leaf not yet given one)."""
    if not indicator.rule:
        return None
    params = indicator.params or {}

    def decimal(key):
        return Decimal(params[key]) if params.get(key) is not None else None

    return spec.Rule(
        kind=indicator.rule,
        step=params.get("step"),
        items=tuple(spec.ChecklistItem(item["title"], item["points"]) for item in params.get("items", ())),
        per=params.get("per"),
        full_at=decimal("full_at"),
        zero_at=decimal("zero_at"),
        tiers=tuple(spec.Tier(Decimal(tier["min"]), tier["points"]) for tier in params.get("tiers", ())),
        metric=indicator.metric or None,
    )


def _rule_fields(rule: spec.Rule | None) -> dict:
    if rule is None:
        return {"rule": "", "params": {}, "metric": ""}
    return {"rule": rule.kind, "params": rule_params(rule), "metric": rule.metric or ""}


def _branch_points(node: spec.Indicator) -> int:
    if node.is_leaf:
        return node.points
    return sum(_branch_points(child) for child in node.children)


def _write_contents(standard: Standard, std: spec.Standard) -> int:
    """Write the tree, bonus and veto items of ``std`` under ``standard`` (one INSERT per level)."""
    level = [(None, position, node) for position, node in enumerate(std.indicators)]
    depth, count = 1, 0
    while level:
        rows = [
            Indicator(
                standard=standard,
                parent=parent,
                code=node.code,
                title=node.title,
                position=position,
                depth=depth,
                points=_branch_points(node),
                guidance=node.guidance,
                evidence=list(node.evidence),
                **_rule_fields(node.rule if node.is_leaf else None),
            )
            for parent, position, node in level
        ]
        Indicator.objects.bulk_create(rows)
        count += len(rows)
        level = [
            (row, position, child)
            for row, (_parent, _pos, node) in zip(rows, level, strict=True)
            for position, child in enumerate(node.children)
        ]
        depth += 1
    BonusItem.objects.bulk_create(
        BonusItem(standard=standard, code=item.code, title=item.title, points=item.points, position=position)
        for position, item in enumerate(std.bonus)
    )
    VetoItem.objects.bulk_create(
        VetoItem(standard=standard, code=item.code, title=item.title, position=position)
        for position, item in enumerate(std.veto)
    )
    return count


def standard_to_spec(standard: Standard) -> spec.Standard:
    """The standard as plain data, exactly as imported or edited (three queries)."""
    rows = list(Indicator.objects.filter(standard=standard).order_by("depth", "position", "pk"))
    children: dict[int | None, list[Indicator]] = defaultdict(list)
    for row in rows:
        children[row.parent_id].append(row)

    def build(row: Indicator) -> spec.Indicator:
        kids = tuple(build(child) for child in sorted(children[row.pk], key=lambda r: (r.position, r.pk)))
        if kids:
            return spec.Indicator(
                code=row.code,
                title=row.title,
                points=sum(kid.points for kid in kids),
                children=kids,
                guidance=row.guidance,
                evidence=tuple(row.evidence),
            )
        return spec.Indicator(
            code=row.code,
            title=row.title,
            points=row.points,
            rule=rule_of(row),
            guidance=row.guidance,
            evidence=tuple(row.evidence),
        )

    roots = sorted(children[None], key=lambda r: (r.position, r.pk))
    return spec.Standard(
        code=standard.code,
        version=standard.version,
        title=standard.title,
        total=standard.total,
        source=standard.source,
        pass_score=standard.pass_score,
        bonus_cap=standard.bonus_cap,
        indicators=tuple(build(row) for row in roots),
        bonus=tuple(
            spec.BonusItem(item.code, item.title, item.points)
            for item in BonusItem.objects.filter(standard=standard).order_by("position", "pk")
        ),
        veto=tuple(
            spec.VetoItem(item.code, item.title)
            for item in VetoItem.objects.filter(standard=standard).order_by("position", "pk")
        ),
    )


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------


def standard_problems(standard: Standard) -> list[StandardError]:
    """What stops this standard being published, computed from its rows as they are now."""
    return validate(standard_to_spec(standard))


def _problems_error(problems: list, *, rule: str) -> StandardProblems:
    message = ngettext("The standard has %(count)d problem.", "The standard has %(count)d problems.", len(problems)) % {
        "count": len(problems)
    }
    return StandardProblems(message, problems=problems, rule=rule)


def _summary(standard: Standard) -> dict:
    return {
        "code": standard.code,
        "version": standard.version,
        "title": standard.title,
        "status": standard.status,
        "total": standard.total,
        "pass_score": standard.pass_score,
        "bonus_cap": standard.bonus_cap,
        "owner_org": standard.owner_org_id,
    }


def _check_version_free(code: str, version: str) -> None:
    if not version or len(version) > VERSION_MAX:
        raise DomainError(
            _("A version of 1 to %(max)d characters is required.") % {"max": VERSION_MAX},
            rule="standard.version",
            field="version",
        )
    if Standard.objects.filter(code=code, version=version).exists():
        raise DomainError(
            _("Standard %(code)s version %(version)s already exists.") % {"code": code, "version": version},
            rule="standard.exists",
            field="version",
        )


# ---------------------------------------------------------------------------------------------
# Whole standards
# ---------------------------------------------------------------------------------------------


def standard_import(*, actor, owner_org, spec: spec.Standard, dry_run: bool = False) -> Standard | None:
    """Save a parsed standard as a draft owned by ``owner_org``; every problem refuses it.

    Raises :class:`StandardProblems` (all the problems) or :class:`DomainError` (the code and version
    exist). With ``dry_run`` it checks the same and saves nothing, returning None.
    """
    std = spec
    problems = validate(std)
    if problems:
        raise _problems_error(problems, rule="standard.invalid")
    _check_version_free(std.code, std.version)
    if dry_run:
        return None
    return _import(actor=actor, owner_org=owner_org, std=std)


def _create_standard(std: spec.Standard, *, owner_org, actor) -> tuple[Standard, int]:
    """The one write path of a whole standard (import, new version): a draft with every row of ``std``."""
    _check_version_free(std.code, std.version)
    try:
        with transaction.atomic():
            standard = Standard.objects.create(
                code=std.code,
                version=std.version,
                title=std.title,
                source=std.source,
                total=std.total,
                pass_score=std.pass_score,
                bonus_cap=std.bonus_cap,
                owner_org=owner_org,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError:  # saved by someone else since the check above
        _check_version_free(std.code, std.version)
        raise
    return standard, _write_contents(standard, std)


@transaction.atomic
def _import(*, actor, owner_org, std: spec.Standard) -> Standard:
    standard, count = _create_standard(std, owner_org=owner_org, actor=actor)
    new = _summary(standard) | {"indicators": count, "bonus": len(std.bonus), "veto": len(std.veto)}
    audit_record(actor=actor, action="indicators.standard.imported", obj=standard, new=new)
    return standard


def _locked_draft(standard: Standard) -> Standard:
    """The standard's row, locked for this transaction; refuses unless it is a draft."""
    standard = Standard.objects.select_for_update().select_related("owner_org").get(pk=standard.pk)
    if standard.status != Standard.Status.DRAFT:
        raise DomainError(
            _("%(standard)s is %(status)s and can no longer change; make a new version to edit it.")
            % {"standard": standard, "status": standard.get_status_display()},
            rule="standard.not_draft",
        )
    return standard


@transaction.atomic
def standard_update(
    *,
    actor,
    standard: Standard,
    title=UNCHANGED,
    source=UNCHANGED,
    total=UNCHANGED,
    pass_score=UNCHANGED,
    bonus_cap=UNCHANGED,
) -> Standard:
    """Change a draft's header (its code and version stay: a new version is a new standard)."""
    standard = _locked_draft(standard)
    old = _summary(standard)
    changes = {"title": title, "source": source, "total": total, "pass_score": pass_score, "bonus_cap": bonus_cap}
    for field, value in changes.items():
        if value is UNCHANGED:
            continue
        if field == "title":
            value = value.strip()
            if not value:
                raise DomainError(_("The title is required."), rule="standard.title", field="title")
        if field in {"total", "pass_score", "bonus_cap"} and value is not None and value < 0:
            raise DomainError(_("Points cannot be negative."), rule="standard.points", field=field)
        if field == "total" and value is None:
            raise DomainError(_("The total is required."), rule="standard.total", field="total")
        setattr(standard, field, value)
    standard.save()
    audit_record(actor=actor, action="indicators.standard.updated", obj=standard, old=old, new=_summary(standard))
    return standard


@transaction.atomic
def standard_publish(*, actor, standard: Standard) -> Standard:
    """Draft → published, once it has no problem; from then on it never changes."""
    standard = _locked_draft(standard)
    problems = standard_problems(standard)
    if problems:
        raise _problems_error(problems, rule="standard.has_problems")
    old = _summary(standard)
    standard.status, standard.published_at = Standard.Status.PUBLISHED, timezone.now()
    standard.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(actor=actor, action="indicators.standard.published", obj=standard, old=old, new=_summary(standard))
    return standard


@transaction.atomic
def standard_retire(*, actor, standard: Standard) -> Standard:
    """Published → retired: no new campaign may use it; what already used it keeps it."""
    standard = Standard.objects.select_for_update().select_related("owner_org").get(pk=standard.pk)
    if standard.status != Standard.Status.PUBLISHED:
        raise DomainError(
            _("Only a published standard can be retired; %(standard)s is %(status)s.")
            % {"standard": standard, "status": standard.get_status_display()},
            rule="standard.not_published",
        )
    old = _summary(standard)
    standard.status = Standard.Status.RETIRED
    standard.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="indicators.standard.retired", obj=standard, old=old, new=_summary(standard))
    return standard


@transaction.atomic
def standard_new_version(*, actor, standard: Standard, version: str, owner_org=None) -> Standard:
    """A draft copy of ``standard`` (any status) under a new version string, owned by ``owner_org``
    (by default the same organisation)."""
    version = (version or "").strip()
    _check_version_free(standard.code, version)
    std = dataclasses.replace(standard_to_spec(standard), version=version)
    copy, _count = _create_standard(std, owner_org=owner_org or standard.owner_org, actor=actor)
    new = _summary(copy) | {"copied_from": standard.pk, "copied_version": standard.version}
    audit_record(actor=actor, action="indicators.standard.version_created", obj=copy, new=new)
    return copy


@transaction.atomic
def standard_delete(*, actor, standard: Standard) -> None:
    """Delete a draft and everything in it (published and retired standards stay for the record)."""
    standard = _locked_draft(standard)
    audit_record(actor=actor, action="indicators.standard.deleted", obj=standard, old=_summary(standard))
    standard.delete()


# ---------------------------------------------------------------------------------------------
# Editing a draft's tree
# ---------------------------------------------------------------------------------------------


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
    standard = _locked_draft(indicator.standard)
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
    standard = _locked_draft(standard)
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
        **_rule_fields(_check_rule(rule)),
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
        for field, value in _rule_fields(_check_rule(rule)).items():
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
    standard = _locked_draft(standard)
    code = _check_item_code(model, standard, code)
    position = model.objects.filter(standard=standard).count()
    item = model.objects.create(standard=standard, code=code, title=_check_title(title), position=position, **fields)
    audit_record(actor=actor, action=action, obj=item, org=standard.owner_org, new=_item_snapshot(item))
    return item


def _update_item(model, action: str, *, actor, item, code, title, **fields):
    standard = _locked_draft(item.standard)
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
    standard = _locked_draft(item.standard)
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


# ---------------------------------------------------------------------------------------------
# The shipped standards
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def load_shipped_standards(*, actor, owner_org) -> list[Standard]:
    """Import every standard Fazhi ships (``indicators/standards/*.yaml``) under ``owner_org`` and
    publish it; all or nothing (refused if any of their codes and versions is already there)."""
    loaded = []
    for path in shipped_standards():
        standard = standard_import(actor=actor, owner_org=owner_org, spec=load_yaml(path.read_bytes()))
        loaded.append(standard_publish(actor=actor, standard=standard))
    return loaded
