"""Components, composite, ranking, quota and reviewer outliers of a campaign's results. Pure, no Django.

Every figure is an integer in hundredths (a component or composite of 85.5 on the 0–100 scale is ``8550``);
components are kept exact as integer ratios and the composite is rounded half up to a whole hundredth
once, from the exact weighted sum (``docs/results.md``).

- :func:`review_component`, :func:`inspection_component`, :func:`survey_component`: each component, exact.
- :func:`composite`: Σ weight × component ÷ 100, rounded once; a weighted component with no data counts 0
  and is named in ``missing``.
- :func:`rank`: the order, passed and in-quota flags.
- :func:`outliers`: the reviewers whose totals stray from the mean of the others'.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

REVIEW, INSPECTION, SURVEY = "review", "inspection", "survey"
COMPONENTS = (REVIEW, INSPECTION, SURVEY)


# --- components ---------------------------------------------------------------------------------
# An exact component is a pair (numerator, denominator) of ints, denominator > 0: cheaper than a Fraction
# for 50,000 applications, and as exact.

Ratio = tuple[int, int]


def review_component(review_total: int | None, standard_total: int) -> Ratio | None:
    """The review total on the 0–100 scale, in hundredths: ``review_total × 10000 ÷ standard_total``, exact.

    A bonus can take it above 100 (10000), as it takes the review total above the standard's total."""
    if review_total is None or standard_total <= 0:
        return None
    return review_total * 10000, standard_total


def inspection_component(score_sum: int, count: int) -> Ratio | None:
    """The mean of the inspectors' 0–100 scores (hundredths), exact; None without any score."""
    return (score_sum, count) if count else None


def survey_component(satisfied: int, answered: int) -> Ratio | None:
    """Satisfied answers ÷ answers × 10000 (hundredths of 0–100), exact; None without any answer."""
    return (satisfied * 10000, answered) if answered else None


def half_up(numerator: int, denominator: int) -> int:
    """``numerator ÷ denominator`` rounded half up, for numerator ≥ 0 and denominator > 0: (2a + b) div 2b."""
    return (2 * numerator + denominator) // (2 * denominator)


@dataclass(frozen=True)
class Composite:
    value: int  # hundredths of 0–100, rounded half up once
    missing: tuple[str, ...]  # weighted components without data (counted as 0)


def composite(weights: Mapping[str, int], components: Mapping[str, Ratio | None]) -> Composite:
    """Σ weight × component ÷ 100 over the components (weights in percent), rounded half up once.

    A component with weight 0 is ignored; a weighted component that is None (no data) counts as 0 and is
    listed in ``missing``, so that the results page can say so."""
    numerator, denominator = 0, 1  # Σ weight × component, exact
    missing = []
    for name in COMPONENTS:
        weight = weights.get(name, 0)
        if not weight:
            continue
        value = components.get(name)
        if value is None:
            missing.append(name)
            continue
        top, bottom = value
        numerator, denominator = numerator * bottom + weight * top * denominator, denominator * bottom
    return Composite(half_up(numerator, denominator * 100), tuple(missing))


def rounded(value: Ratio | None) -> int | None:
    """A component for display and storage: rounded half up to a whole hundredth (None stays None)."""
    return None if value is None else half_up(*value)


# --- ranking ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """What ranks one application. ``subtotals`` are the level-1 subtotals in code order;
    ``first_submitted`` any comparable value (None ranks after every date)."""

    key: Any  # the application id: the last tie-break
    composite: int
    review_total: int
    subtotals: tuple[int, ...] = ()
    first_submitted: Any = None
    vetoed: bool = False


@dataclass(frozen=True)
class Ranked:
    key: Any
    rank: int  # 1, 2, 3 … (ties are broken, so no two share a rank)
    passed: bool
    in_quota: bool


def sort_key(entry: Entry) -> tuple:
    """Non-vetoed first; composite descending; then review total, level-1 subtotals in code order
    (each higher first); then the earlier first submission; then the id."""
    return (
        entry.vetoed,
        -entry.composite,
        -entry.review_total,
        tuple(-subtotal for subtotal in entry.subtotals),
        entry.first_submitted is None,
        entry.first_submitted if entry.first_submitted is not None else 0,
        entry.key,
    )


def rank(entries: Iterable[Entry], *, pass_score: int, quota: int) -> list[Ranked]:
    """The entries in rank order. Passed: not vetoed and composite ≥ ``pass_score``; in quota: the first
    ``quota`` passed entries in that order."""
    ordered = sorted(entries, key=sort_key)
    ranked, named = [], 0
    for position, entry in enumerate(ordered, start=1):
        passed = not entry.vetoed and entry.composite >= pass_score
        in_quota = passed and named < quota
        named += in_quota
        ranked.append(Ranked(entry.key, position, passed, in_quota))
    return ranked


# --- outliers -----------------------------------------------------------------------------------


def outliers(totals: Mapping[Any, int], *, standard_total: int, percent: int) -> list[Any]:
    """The reviewers whose total differs from the mean of the OTHER reviewers' totals by more than
    ``percent`` % of ``standard_total`` (exact: |t·(n−1) − Σothers| · 100 > percent · standard_total · (n−1)).
    Needs two sheets at least; sorted."""
    n = len(totals)
    if n < 2:
        return []
    whole = sum(totals.values())
    limit = percent * standard_total * (n - 1)
    return sorted(
        reviewer for reviewer, total in totals.items() if abs(total * (n - 1) - (whole - total)) * 100 > limit
    )
