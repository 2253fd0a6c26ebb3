"""What changed between two versions of a scoring standard. Pure, no Django.

:func:`diff_standards` compares two :class:`~fazhi.indicators.spec.Standard` and returns plain
data: the header fields that differ; the indicators added, removed and changed (matched by code);
the same for bonus and veto items. An indicator's compared fields are its title, points, place in
the tree (``parent``), rule kind, each rule parameter, metric, guidance and evidence; a sibling
order change alone is not reported. Points are hundredths, thresholds :class:`~decimal.Decimal`,
as in the spec.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fazhi.indicators.spec import BonusItem, Indicator, Rule, Standard, VetoItem

HEADER_FIELDS = ("title", "source", "total", "pass_score", "bonus_cap")
RULE_FIELDS = ("step", "items", "per", "full_at", "zero_at", "tiers")


@dataclass(frozen=True)
class FieldChange:
    field: str  # "title", "points", "rule", "step", ..., "parent"
    old: Any
    new: Any


@dataclass(frozen=True)
class Entry:
    """An indicator, bonus or veto item that is only on one side."""

    code: str
    title: str
    points: int | None = None  # hundredths; None for a veto item
    parent: str | None = None  # an indicator's parent code (None at level 1 and for bonus/veto items)
    depth: int | None = None  # an indicator's level (1 = level 1)


@dataclass(frozen=True)
class Changed:
    code: str
    title: str  # the new title
    changes: tuple[FieldChange, ...]
    depth: int | None = None  # an indicator's level in the new version

    def fields(self) -> tuple[str, ...]:
        return tuple(change.field for change in self.changes)


@dataclass(frozen=True)
class Section:
    added: tuple[Entry, ...] = ()
    removed: tuple[Entry, ...] = ()
    changed: tuple[Changed, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass(frozen=True)
class StandardDiff:
    header: tuple[FieldChange, ...]
    indicators: Section
    bonus: Section
    veto: Section

    @property
    def is_empty(self) -> bool:
        return not (self.header or self.indicators or self.bonus or self.veto)


def _rule_values(rule: Rule | None) -> dict[str, Any]:
    if rule is None:
        return {"rule": None, "metric": None, **dict.fromkeys(RULE_FIELDS)}
    return {
        "rule": rule.kind,
        "step": rule.step,
        "items": tuple((item.title, item.points) for item in rule.items) or None,
        "per": rule.per,
        "full_at": rule.full_at,
        "zero_at": rule.zero_at,
        "tiers": tuple((tier.min, tier.points) for tier in rule.tiers) or None,
        "metric": rule.metric or None,
    }


def _indicator_values(node: Indicator, parent: str | None) -> dict[str, Any]:
    rule = _rule_values(None if node.children else node.rule)
    return {
        "title": node.title,
        "points": node.points,
        "parent": parent,
        "rule": rule.pop("rule"),
        **{name: rule[name] for name in RULE_FIELDS},
        "metric": rule["metric"],
        "guidance": node.guidance,
        "evidence": tuple(node.evidence),
    }


def _changes(old: dict[str, Any], new: dict[str, Any]) -> tuple[FieldChange, ...]:
    return tuple(FieldChange(name, old[name], new[name]) for name in new if old[name] != new[name])


def _nodes(standard: Standard) -> dict[str, tuple[Indicator, str | None, int]]:
    """Every indicator by code, with its parent's code and its depth, in tree order."""
    found: dict[str, tuple[Indicator, str | None, int]] = {}

    def visit(node: Indicator, parent: str | None, depth: int) -> None:
        found.setdefault(node.code, (node, parent, depth))
        for child in node.children:
            visit(child, node.code, depth + 1)

    for root in standard.indicators:
        visit(root, None, 1)
    return found


def _indicator_section(old: Standard, new: Standard) -> Section:
    before, after = _nodes(old), _nodes(new)
    added = tuple(
        Entry(code, node.title, node.points, parent, depth)
        for code, (node, parent, depth) in after.items()
        if code not in before
    )
    removed = tuple(
        Entry(code, node.title, node.points, parent, depth)
        for code, (node, parent, depth) in before.items()
        if code not in after
    )
    changed = []
    for code, (node, parent, depth) in after.items():
        if code in before:
            was, was_parent, _depth = before[code]
            changes = _changes(_indicator_values(was, was_parent), _indicator_values(node, parent))
            if changes:
                changed.append(Changed(code, node.title, changes, depth))
    return Section(added, removed, tuple(changed))


def _item_values(item: BonusItem | VetoItem) -> dict[str, Any]:
    values: dict[str, Any] = {"title": item.title}
    if isinstance(item, BonusItem):
        values["points"] = item.points
    return values


def _item_section(old: tuple, new: tuple) -> Section:
    before, after = {item.code: item for item in old}, {item.code: item for item in new}

    def entry(item):
        return Entry(item.code, item.title, getattr(item, "points", None))

    changed = []
    for code, item in after.items():
        if code in before:
            changes = _changes(_item_values(before[code]), _item_values(item))
            if changes:
                changed.append(Changed(code, item.title, changes))
    return Section(
        tuple(entry(item) for code, item in after.items() if code not in before),
        tuple(entry(item) for code, item in before.items() if code not in after),
        tuple(changed),
    )


def diff_standards(old: Standard, new: Standard) -> StandardDiff:
    """What ``new`` changes relative to ``old`` (usually an earlier version of the same code)."""
    header = tuple(
        FieldChange(name, getattr(old, name), getattr(new, name))
        for name in HEADER_FIELDS
        if getattr(old, name) != getattr(new, name)
    )
    return StandardDiff(
        header=header,
        indicators=_indicator_section(old, new),
        bonus=_item_section(old.bonus, new.bonus),
        veto=_item_section(old.veto, new.veto),
    )
