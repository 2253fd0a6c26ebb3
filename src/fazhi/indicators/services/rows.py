"""Scoring standards: rows ⇄ :mod:`fazhi.indicators.spec`, without loss.

:func:`write_contents` (spec → rows, the one writer used by import and new version) and
:func:`standard_to_spec` (rows → spec). A branch's points are always the sum of its children's,
computed, never edited. Rule parameters are stored as described in :mod:`fazhi.indicators.models`.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from fazhi.indicators import spec
from fazhi.indicators.models import BonusItem, Indicator, Standard, VetoItem


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


def rule_fields(rule: spec.Rule | None) -> dict:
    if rule is None:
        return {"rule": "", "params": {}, "metric": ""}
    return {"rule": rule.kind, "params": rule_params(rule), "metric": rule.metric or ""}


def _branch_points(node: spec.Indicator) -> int:
    if node.is_leaf:
        return node.points
    return sum(_branch_points(child) for child in node.children)


def write_contents(standard: Standard, std: spec.Standard) -> int:
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
                **rule_fields(node.rule if node.is_leaf else None),
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
