"""Every rule a scoring standard must keep, checked over a :class:`~fazhi.indicators.spec.Standard`. Pure, no Django.

:func:`validate` returns every broken rule of a standard at once, each as a :class:`StandardError`
that names where (an indicator's code, a bonus or veto item's code, or a header key such as
``total``), which rule (a stable identifier such as ``checklist_sum``) and why (a
:class:`~fazhi.core.problems.Problem` the Django side translates when it shows it).

The file readers in :mod:`fazhi.indicators.formats` add the structural errors they meet while
reading (unknown keys, values that are not numbers, aliases, …) with the same shape, and raise
:class:`StandardInvalid` with all of them together. ``docs/indicator-format.md`` lists every rule.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from decimal import Decimal

from fazhi.core.problems import Problem, gettext_noop
from fazhi.indicators.spec import (
    CHECKLIST,
    DEDUCTION,
    DEFAULT_STEP,
    MANUAL,
    RATIO,
    RULE_KINDS,
    TIERS,
    Indicator,
    Rule,
    Standard,
)

STANDARD_CODE_RE = re.compile(r"[a-z0-9-]+\Z")
# Indicator, bonus and veto codes: "1", "1.2.3", "B1", "V-2", "a_1".
ITEM_CODE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")
# A ledger measure: dotted lower-case words, e.g. "disputes.mediation_success_rate".
METRIC_RE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*\Z")
# Control characters other than tab and line feed: XLSX cannot hold them, and no title needs them.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

MAX_STANDARD_CODE_LENGTH = 50
MAX_CODE_LENGTH = 40  # indicator, bonus and veto codes
MAX_VERSION_LENGTH = 40
MAX_TITLE_LENGTH = 300  # titles of the standard, indicators, items, bonus and veto items; evidence entries
MAX_METRIC_LENGTH = 100
MAX_TEXT_LENGTH = 10_000  # guidance, source

# Which parameters each rule kind takes (the Rule field names, as in the file).
RULE_PARAMETERS: dict[str, tuple[str, ...]] = {
    MANUAL: ("step",),
    CHECKLIST: ("items",),
    DEDUCTION: ("per",),
    RATIO: ("full_at", "zero_at", "metric"),
    TIERS: ("tiers", "metric"),
}
ALL_PARAMETERS = ("step", "items", "per", "full_at", "zero_at", "tiers", "metric")


@dataclass(frozen=True)
class StandardError:
    """One broken rule: ``where`` (a code or header key), ``rule`` (a stable identifier), ``message``."""

    where: str
    rule: str
    message: Problem

    def __str__(self) -> str:
        return f"{self.where}: {self.message} [{self.rule}]"


class StandardInvalid(Exception):  # noqa: N818 (the name says what the caller catches)
    """A standard (or a file holding one) breaks rules; ``errors`` lists every one of them."""

    def __init__(self, errors: list[StandardError]):
        self.errors = list(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


def points_text(hundredths: int) -> str:
    """Points as a file writes them: 450 → "4.5", 400 → "4", 25 → "0.25"."""
    return decimal_text(Decimal(hundredths) / 100)


def decimal_text(value: Decimal) -> str:
    """A decimal in plain notation without trailing zeros: Decimal("0.950") → "0.95", Decimal("1E+1") → "10"."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


class _Errors:
    def __init__(self) -> None:
        self.items: list[StandardError] = []

    def add(self, where: str, rule: str, message: str, **params) -> None:
        self.items.append(StandardError(where, rule, Problem(message, params)))


def validate(standard: Standard, *, unreadable: Collection[str] = ()) -> list[StandardError]:
    """Every rule ``standard`` breaks, in file order (header, indicators, bonus, veto), or [] when it is valid.

    ``unreadable`` names the places (codes) where a file reader could not read a number; their own
    number checks are skipped, and so are the sums over the whole tree, since the reader has
    already reported the cause.
    """
    errors = _Errors()
    _check_header(standard, errors, total_known="total" not in unreadable)
    _check_codes(standard, errors)
    if not standard.indicators:
        errors.add("indicators", "empty", gettext_noop("the standard has no indicators"))
    for indicator, where in _places(standard.indicators, "indicators"):
        _check_indicator(indicator, where, errors, skip_numbers=where in unreadable)
    if not unreadable:
        _check_sums(standard, errors)
    _check_bonus_and_veto(standard, errors)
    return errors.items


def _places(nodes: tuple[Indicator, ...], path: str) -> Iterator[tuple[Indicator, str]]:
    """Every node, depth first in order, with where its errors are reported: its code, or (for a node
    without one) its position as the file readers name it, ``indicators[2].children[1]``."""
    for index, node in enumerate(nodes, start=1):
        where = node.code or f"{path}[{index}]"
        yield node, where
        yield from _places(node.children, f"{where}.children")


def _check_text(where: str, key: str, value: str, errors: _Errors, *, required: bool, max_length: int) -> None:
    if not value.strip():
        if required:
            errors.add(where, "required", gettext_noop("%(key)s is required"), key=key)
        return
    if len(value) > max_length:
        errors.add(
            where,
            "length",
            gettext_noop("%(key)s is longer than %(max)s characters"),
            key=key,
            max=max_length,
        )
    if _CONTROL_RE.search(value):
        errors.add(where, "text", gettext_noop("%(key)s contains a control character"), key=key)


def _check_code(where: str, code: str, errors: _Errors) -> None:
    if not code:
        errors.add(where, "required", gettext_noop("%(key)s is required"), key="code")
    elif len(code) > MAX_CODE_LENGTH or not ITEM_CODE_RE.match(code):
        errors.add(
            where,
            "code_pattern",
            gettext_noop(
                "code %(code)s must be letters, digits, dots, hyphens or underscores, beginning with a letter or "
                "digit, at most %(max)s characters"
            ),
            code=code,
            max=MAX_CODE_LENGTH,
        )


def _check_points(where: str, key: str, hundredths: int | None, errors: _Errors) -> None:
    if hundredths is not None and hundredths < 0:
        errors.add(
            where,
            "negative",
            gettext_noop("%(key)s must not be negative (%(points)s)"),
            key=key,
            points=points_text(hundredths),
        )


def _check_header(standard: Standard, errors: _Errors, *, total_known: bool) -> None:
    if not standard.code:
        errors.add("code", "required", gettext_noop("%(key)s is required"), key="code")
    elif len(standard.code) > MAX_STANDARD_CODE_LENGTH or not STANDARD_CODE_RE.match(standard.code):
        errors.add(
            "code",
            "code_pattern",
            gettext_noop(
                "the standard's code %(code)s must be lower-case letters, digits and hyphens, "
                "at most %(max)s characters"
            ),
            code=standard.code,
            max=MAX_STANDARD_CODE_LENGTH,
        )
    _check_text("version", "version", standard.version, errors, required=True, max_length=MAX_VERSION_LENGTH)
    _check_text("title", "title", standard.title, errors, required=True, max_length=MAX_TITLE_LENGTH)
    _check_text("source", "source", standard.source, errors, required=False, max_length=MAX_TEXT_LENGTH)
    if total_known and standard.total <= 0:
        errors.add("total", "total", gettext_noop("the total must be more than 0 points"))
    _check_points("pass_score", "pass_score", standard.pass_score, errors)
    if total_known and standard.pass_score is not None and standard.pass_score > standard.total:
        errors.add(
            "pass_score",
            "pass_score",
            gettext_noop("the pass score %(pass_score)s is more than the total %(total)s"),
            pass_score=points_text(standard.pass_score),
            total=points_text(standard.total),
        )
    _check_points("bonus_cap", "bonus_cap", standard.bonus_cap, errors)
    if standard.bonus and standard.bonus_cap is None:
        errors.add(
            "bonus_cap",
            "bonus_cap",
            gettext_noop("the standard has bonus items, so it needs a bonus_cap (the most bonus points counted)"),
        )


def _check_codes(standard: Standard, errors: _Errors) -> None:
    """Codes are unique within a standard: indicators, bonus items and veto items together."""
    codes = [node.code for node, _ in standard.walk()]
    codes += [item.code for item in standard.bonus] + [item.code for item in standard.veto]
    counts = Counter(code for code in codes if code)
    for code, count in counts.items():
        if count > 1:
            errors.add(
                code,
                "duplicate_code",
                gettext_noop("the code %(code)s is used %(count)s times; codes must be unique within a standard"),
                code=code,
                count=count,
            )


def _check_indicator(node: Indicator, where: str, errors: _Errors, *, skip_numbers: bool) -> None:
    _check_code(where, node.code, errors)
    _check_text(where, "title", node.title, errors, required=True, max_length=MAX_TITLE_LENGTH)
    _check_text(where, "guidance", node.guidance, errors, required=False, max_length=MAX_TEXT_LENGTH)
    for entry in node.evidence:
        _check_evidence(where, entry, errors)
    if skip_numbers:
        return
    _check_points(where, "points", node.points, errors)
    if node.children:
        if node.rule is not None:
            errors.add(
                where,
                "children_and_rule",
                gettext_noop("a node has either children or a rule, not both; this one has children and rule %(kind)s"),
                kind=node.rule.kind,
            )
        return
    if node.rule is None:
        errors.add(where, "required", gettext_noop("a leaf (an indicator without children) needs a rule"))
        return
    _check_rule(where, node.points, node.rule, errors)


def _check_evidence(where: str, entry: str, errors: _Errors) -> None:
    if not entry.strip():
        errors.add(where, "evidence", gettext_noop("an evidence entry is empty"))
    elif "\n" in entry or "\r" in entry:
        errors.add(where, "evidence", gettext_noop("an evidence entry must be a single line"))
    else:
        _check_text(where, "evidence", entry, errors, required=False, max_length=MAX_TITLE_LENGTH)


def _check_rule(where: str, points: int, rule: Rule, errors: _Errors) -> None:
    if rule.kind not in RULE_KINDS:
        errors.add(
            where,
            "rule_kind",
            gettext_noop("unknown rule %(kind)s; the rules are %(kinds)s"),
            kind=rule.kind,
            kinds=", ".join(RULE_KINDS),
        )
        return
    allowed = RULE_PARAMETERS[rule.kind]
    for name in ALL_PARAMETERS:
        if name not in allowed and getattr(rule, name) not in (None, ()):
            errors.add(
                where,
                "rule_parameter",
                gettext_noop("%(key)s is not a parameter of the %(kind)s rule (it takes: %(allowed)s)"),
                key=name,
                kind=rule.kind,
                allowed=", ".join(allowed),
            )
    if rule.metric is not None and (len(rule.metric) > MAX_METRIC_LENGTH or not METRIC_RE.match(rule.metric)):
        errors.add(
            where,
            "metric",
            gettext_noop("metric %(metric)s must be dotted lower-case words, e.g. disputes.mediation_success_rate"),
            metric=rule.metric,
        )
    {
        MANUAL: _check_manual,
        CHECKLIST: _check_checklist,
        DEDUCTION: _check_deduction,
        RATIO: _check_ratio,
        TIERS: _check_tiers,
    }[rule.kind](where, points, rule, errors)


def _check_manual(where: str, points: int, rule: Rule, errors: _Errors) -> None:
    step = DEFAULT_STEP if rule.step is None else rule.step
    if step <= 0:
        errors.add(where, "step", gettext_noop("the step must be more than 0 points"))
    elif points >= 0 and points % step:
        errors.add(
            where,
            "step",
            gettext_noop("the step %(step)s does not divide the leaf's %(points)s points"),
            step=points_text(step),
            points=points_text(points),
        )


def _check_checklist(where: str, points: int, rule: Rule, errors: _Errors) -> None:
    if not rule.items:
        errors.add(where, "required", gettext_noop("a checklist needs at least one item"))
        return
    for item in rule.items:
        _check_text(where, "items.title", item.title, errors, required=True, max_length=MAX_TITLE_LENGTH)
        _check_points(where, "items.points", item.points, errors)
    total = sum(item.points for item in rule.items)
    if total != points:
        errors.add(
            where,
            "checklist_sum",
            gettext_noop("the checklist items sum to %(sum)s points, not the leaf's %(points)s"),
            sum=points_text(total),
            points=points_text(points),
        )


def _check_deduction(where: str, points: int, rule: Rule, errors: _Errors) -> None:
    if rule.per is None:
        errors.add(where, "required", gettext_noop("a deduction rule needs per (the points deducted per occurrence)"))
    elif rule.per <= 0:
        errors.add(where, "per", gettext_noop("per must be more than 0 points"))


def _in_unit_range(value: Decimal) -> bool:
    return Decimal(0) <= value <= Decimal(1)


def _check_ratio(where: str, points: int, rule: Rule, errors: _Errors) -> None:
    for key in ("full_at", "zero_at"):
        value = getattr(rule, key)
        if value is None:
            errors.add(where, "required", gettext_noop("a ratio rule needs %(key)s"), key=key)
        elif not _in_unit_range(value):
            errors.add(
                where,
                "ratio_range",
                gettext_noop("%(key)s %(value)s is outside [0, 1]"),
                key=key,
                value=decimal_text(value),
            )
    if rule.full_at is not None and rule.zero_at is not None and rule.full_at <= rule.zero_at:
        errors.add(
            where,
            "ratio_order",
            gettext_noop("full_at %(full_at)s must be above zero_at %(zero_at)s"),
            full_at=decimal_text(rule.full_at),
            zero_at=decimal_text(rule.zero_at),
        )


def _check_tiers(where: str, points: int, rule: Rule, errors: _Errors) -> None:
    if not rule.tiers:
        errors.add(where, "required", gettext_noop("a tiers rule needs at least one tier"))
        return
    for before, after in zip(rule.tiers, rule.tiers[1:], strict=False):
        if after.min >= before.min:
            errors.add(
                where,
                "tiers_order",
                gettext_noop("tiers must have strictly descending min: %(after)s follows %(before)s"),
                before=decimal_text(before.min),
                after=decimal_text(after.min),
            )
        if after.points > before.points:
            # A higher value must never earn fewer points: the scoring engine's monotonicity rests on it.
            errors.add(
                where,
                "tiers_points_order",
                gettext_noop("the tier at min %(after)s gives more points than the higher tier at min %(before)s"),
                before=decimal_text(before.min),
                after=decimal_text(after.min),
            )
    floor = rule.tiers[-1].min
    if floor > 0:
        errors.add(
            where,
            "tiers_floor",
            gettext_noop("the last tier is the floor and its min must be 0 or less, not %(min)s"),
            min=decimal_text(floor),
        )
    for tier in rule.tiers:
        _check_points(where, "tiers.points", tier.points, errors)
        if tier.points > points:
            errors.add(
                where,
                "tier_points",
                gettext_noop("the tier at min %(min)s gives %(tier)s points, more than the leaf's %(points)s"),
                min=decimal_text(tier.min),
                tier=points_text(tier.points),
                points=points_text(points),
            )


def _check_sums(standard: Standard, errors: _Errors) -> None:
    for node, where in _places(standard.indicators, "indicators"):
        if node.children:
            total = sum(child.points for child in node.children)
            if node.points != total:
                errors.add(
                    where,
                    "branch_points",
                    gettext_noop("the branch says %(points)s points but its children sum to %(sum)s"),
                    points=points_text(node.points),
                    sum=points_text(total),
                )
    if standard.indicators:
        total = sum(leaf.points for leaf in standard.leaves())
        if total != standard.total:
            errors.add(
                "total",
                "total",
                gettext_noop("the leaves sum to %(sum)s points, not the declared total %(total)s"),
                sum=points_text(total),
                total=points_text(standard.total),
            )


def _check_bonus_and_veto(standard: Standard, errors: _Errors) -> None:
    for index, item in enumerate(standard.bonus, start=1):
        where = item.code or f"bonus[{index}]"
        _check_code(where, item.code, errors)
        _check_text(where, "title", item.title, errors, required=True, max_length=MAX_TITLE_LENGTH)
        if item.points <= 0:
            errors.add(where, "bonus_points", gettext_noop("a bonus item's points must be more than 0"))
    for index, item in enumerate(standard.veto, start=1):
        where = item.code or f"veto[{index}]"
        _check_code(where, item.code, errors)
        _check_text(where, "title", item.title, errors, required=True, max_length=MAX_TITLE_LENGTH)
