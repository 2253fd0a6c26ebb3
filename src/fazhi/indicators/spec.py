"""A scoring standard as plain data: what the file formats read and write, what the database stores
and gives back, and what the scoring engine scores against. Pure, no Django.

Points are integer hundredths of a point everywhere (4.5 points is ``450``), so sums are exact.
Values a reviewer enters for ``ratio`` and ``tiers`` leaves, and the thresholds they are compared
with, are :class:`~decimal.Decimal`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

FORMAT = "fazhi-standard/1"

MANUAL, CHECKLIST, DEDUCTION, RATIO, TIERS = "manual", "checklist", "deduction", "ratio", "tiers"
RULE_KINDS = (MANUAL, CHECKLIST, DEDUCTION, RATIO, TIERS)
# The step of a manual leaf when the file gives none: half a point.
DEFAULT_STEP = 50


@dataclass(frozen=True)
class ChecklistItem:
    title: str
    points: int  # hundredths


@dataclass(frozen=True)
class Tier:
    min: Decimal  # the value reaches this tier when value >= min
    points: int  # hundredths


@dataclass(frozen=True)
class Rule:
    """How a leaf's answer becomes its score. Only the parameters of ``kind`` are set."""

    kind: str
    step: int | None = None  # manual: hundredths
    items: tuple[ChecklistItem, ...] = ()  # checklist
    per: int | None = None  # deduction: hundredths per occurrence
    full_at: Decimal | None = None  # ratio
    zero_at: Decimal | None = None  # ratio
    tiers: tuple[Tier, ...] = ()  # tiers, in file order (strictly descending min, ending at a floor)
    metric: str | None = None  # ratio, tiers: the ledger measure that will supply the value


@dataclass(frozen=True)
class Indicator:
    """A node of the tree: a branch (children, no rule) or a scored leaf (a rule, no children).

    A leaf's ``points`` are its own; a branch's are the sum of its children's.
    """

    code: str
    title: str
    points: int = 0  # hundredths
    rule: Rule | None = None
    children: tuple[Indicator, ...] = ()
    guidance: str = ""
    evidence: tuple[str, ...] = ()

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def walk(self, depth: int = 1) -> Iterator[tuple[Indicator, int]]:
        """This node and every node below it, depth first in order, with their depth (1 = level 1)."""
        yield self, depth
        for child in self.children:
            yield from child.walk(depth + 1)


@dataclass(frozen=True)
class BonusItem:
    code: str
    title: str
    points: int  # hundredths


@dataclass(frozen=True)
class VetoItem:
    code: str
    title: str


@dataclass(frozen=True)
class Standard:
    code: str  # [a-z0-9-]+
    version: str
    title: str
    total: int  # hundredths: the declared total, which the leaves must sum to
    source: str = ""
    pass_score: int | None = None  # hundredths
    bonus_cap: int | None = None  # hundredths; required when there are bonus items
    indicators: tuple[Indicator, ...] = ()
    bonus: tuple[BonusItem, ...] = ()
    veto: tuple[VetoItem, ...] = field(default_factory=tuple)

    def walk(self) -> Iterator[tuple[Indicator, int]]:
        for indicator in self.indicators:
            yield from indicator.walk()

    def leaves(self) -> list[Indicator]:
        return [node for node, _ in self.walk() if node.is_leaf]
