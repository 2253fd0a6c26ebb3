"""Properties of the scoring engine over random valid standards and random complete score sheets.

The strategies here (``standards``, ``answers_for``, ``sheets_for``, ``applications``) build only valid input:
trees of depth 1–3 with every rule kind, leaves summing to the declared total, checklist items summing to
their leaf, tiers strictly descending to a floor at 0 with non-increasing points, 0 <= zero_at < full_at <= 1.
"""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from hypothesis import example, given, settings
from hypothesis import strategies as st

from fazhi.indicators.scoring import MEAN, TRIMMED, Sheet, aggregate, leaf_score, round_half_up, sheet_score
from fazhi.indicators.spec import (
    CHECKLIST,
    DEDUCTION,
    DEFAULT_STEP,
    MANUAL,
    RATIO,
    RULE_KINDS,
    TIERS,
    BonusItem,
    ChecklistItem,
    Indicator,
    Rule,
    Standard,
    Tier,
)

FAST = settings(max_examples=60, deadline=None)

# --- strategies ---------------------------------------------------------------------------------


@st.composite
def rules(draw):
    """A leaf's (points, rule), of any kind."""
    kind = draw(st.sampled_from(RULE_KINDS))
    if kind == MANUAL:
        return draw(st.integers(0, 1000)), Rule(kind, step=draw(st.sampled_from([None, 1, 10, 25, 50, 100])))
    if kind == CHECKLIST:
        item_points = draw(st.lists(st.integers(0, 300), min_size=1, max_size=5))
        items = tuple(ChecklistItem(f"條目{i}", p) for i, p in enumerate(item_points))
        return sum(item_points), Rule(kind, items=items)
    if kind == DEDUCTION:
        return draw(st.integers(0, 1000)), Rule(kind, per=draw(st.integers(1, 400)))
    if kind == RATIO:
        zero_at, full_at = sorted(draw(st.lists(st.decimals(0, 1, places=2), min_size=2, max_size=2, unique=True)))
        return draw(st.integers(0, 1000)), Rule(kind, full_at=full_at, zero_at=zero_at)
    assert kind == TIERS
    points = draw(st.integers(0, 1000))
    mins = sorted(draw(st.sets(st.decimals("0.1", 10, places=1), max_size=3)), reverse=True) + [Decimal(0)]
    tier_points = [points]
    for _ in mins[1:]:
        tier_points.append(draw(st.integers(0, tier_points[-1])))
    return points, Rule(kind, tiers=tuple(Tier(m, p) for m, p in zip(mins, tier_points, strict=True)))


@st.composite
def indicators(draw, code, depth):
    if depth < 3 and draw(st.booleans()):
        count = draw(st.integers(1, 3))
        children = tuple(draw(indicators(f"{code}.{i}", depth + 1)) for i in range(1, count + 1))
        return Indicator(code=code, title=f"指標{code}", points=sum(c.points for c in children), children=children)
    points, rule = draw(rules())
    return Indicator(code=code, title=f"指標{code}", points=points, rule=rule)


@st.composite
def standards(draw):
    tops = tuple(draw(indicators(str(i), 1)) for i in range(1, draw(st.integers(1, 4)) + 1))
    bonus = tuple(
        BonusItem(f"B{i}", f"加分{i}", p) for i, p in enumerate(draw(st.lists(st.integers(0, 500), max_size=3)))
    )
    total = sum(top.points for top in tops)
    return Standard(
        code="random",
        version="1",
        title="隨機標準",
        total=total,
        pass_score=draw(st.none() | st.integers(0, total)),
        bonus_cap=draw(st.integers(0, sum(b.points for b in bonus))) if bonus else None,
        indicators=tops,
        bonus=bonus,
    )


def answers_for(leaf):
    """A strategy of valid answers to ``leaf``."""
    rule = leaf.rule
    if rule.kind == MANUAL:
        step = rule.step or DEFAULT_STEP
        return st.integers(0, leaf.points // step).map(lambda k: k * step) | st.just(leaf.points)
    if rule.kind == CHECKLIST:
        return st.frozensets(st.integers(0, len(rule.items) - 1))
    if rule.kind == DEDUCTION:
        return st.integers(0, 12)
    if rule.kind == RATIO:
        return st.decimals(0, 1, places=3)
    return st.decimals(-1, 12, places=1)


def raised(leaf, answer):
    """A strategy of answers to ``leaf`` at least as good as ``answer`` (as a reviewer reads them)."""
    rule = leaf.rule
    if rule.kind == MANUAL:
        step = rule.step or DEFAULT_STEP
        lowest, highest = -(-answer // step), leaf.points // step  # the multiples of the step from the answer up
        on_step = st.integers(lowest, highest).map(lambda k: k * step) if lowest <= highest else st.nothing()
        return on_step | st.just(leaf.points)
    if rule.kind == CHECKLIST:
        return answers_for(leaf).map(lambda more: answer | more)
    if rule.kind == DEDUCTION:
        return st.integers(0, answer)
    if rule.kind == RATIO:
        return st.decimals(answer, 1, places=3)
    return st.decimals(answer, 14, places=1)


@st.composite
def sheets_for(draw, standard, reviewer):
    answers = {leaf.code: draw(answers_for(leaf)) for leaf in standard.leaves()}
    codes = [b.code for b in standard.bonus]
    # an item left out of the sheet is not awarded; the items mentioned are awarded or explicitly not
    mentioned = sorted(draw(st.sets(st.sampled_from(codes)))) if codes else []
    bonus = {code: draw(st.booleans()) for code in mentioned}
    return Sheet(reviewer=reviewer, answers=answers, bonus=bonus)


@st.composite
def applications(draw, min_sheets=5, max_sheets=7):
    standard = draw(standards())
    count = draw(st.integers(min_sheets, max_sheets))
    return standard, [draw(sheets_for(standard, reviewer)) for reviewer in range(count)]


def bonus_ceiling(standard):
    return standard.bonus_cap if standard.bonus_cap is not None else sum(b.points for b in standard.bonus)


# --- properties ---------------------------------------------------------------------------------


@FAST
@given(st.data())
def test_a_leaf_score_stays_within_zero_and_the_leaf_points(data):
    points, rule = data.draw(rules())
    leaf = Indicator(code="1", title="一", points=points, rule=rule)
    assert 0 <= leaf_score(leaf, data.draw(answers_for(leaf))) <= points


@FAST
@given(applications())
def test_totals_stay_within_zero_and_total_plus_bonus_cap(application):
    standard, sheets = application
    ceiling = standard.total + bonus_ceiling(standard)
    for sheet in sheets:
        assert 0 <= sheet_score(standard, sheet).total <= ceiling
    for method in (MEAN, TRIMMED):
        result = aggregate(standard, sheets, method, application="隨機")
        assert 0 <= result.total <= ceiling
        assert 0 <= result.bonus <= bonus_ceiling(standard)
        for top in standard.indicators:
            assert 0 <= result.subtotals[top.code] <= top.points


@FAST
@given(applications(), st.randoms(use_true_random=False), st.booleans())
def test_the_order_of_reviewers_does_not_change_the_result(application, random, vetoed):
    standard, sheets = application
    shuffled = list(sheets)
    random.shuffle(shuffled)
    for method in (MEAN, TRIMMED):
        assert aggregate(standard, shuffled, method, application="隨機", vetoed=vetoed) == aggregate(
            standard, sheets, method, application="隨機", vetoed=vetoed
        )


@FAST
@given(st.data())
def test_raising_one_answer_never_lowers_the_total(data):
    standard, sheets = data.draw(applications())
    which = data.draw(st.integers(0, len(sheets) - 1))
    leaf = data.draw(st.sampled_from(standard.leaves()))
    before = sheets[which]
    better = data.draw(raised(leaf, before.answers[leaf.code]))
    after = Sheet(before.reviewer, {**before.answers, leaf.code: better}, before.bonus)
    changed = [*sheets[:which], after, *sheets[which + 1 :]]
    assert sheet_score(standard, after).total >= sheet_score(standard, before).total
    for method in (MEAN, TRIMMED):
        old = aggregate(standard, sheets, method, application="隨機")
        new = aggregate(standard, changed, method, application="隨機")
        assert new.total >= old.total, method


@FAST
@given(st.data())
def test_awarding_one_more_bonus_item_never_lowers_the_total(data):
    standard, sheets = data.draw(applications().filter(lambda a: a[0].bonus))
    which = data.draw(st.integers(0, len(sheets) - 1))
    code = data.draw(st.sampled_from([b.code for b in standard.bonus]))
    before = sheets[which]
    changed = [
        *sheets[:which],
        Sheet(before.reviewer, before.answers, {**before.bonus, code: True}),
        *sheets[which + 1 :],
    ]
    for method in (MEAN, TRIMMED):
        old = aggregate(standard, sheets, method, application="隨機")
        assert aggregate(standard, changed, method, application="隨機").total >= old.total, method


@FAST
@given(applications(min_sheets=1))
def test_mean_is_rounded_once_from_the_exact_mean(application):
    standard, sheets = application
    scores = [sheet_score(standard, sheet) for sheet in sheets]
    leaves = Fraction(sum(sum(s.leaves.values()) for s in scores), len(scores))
    bonus = Fraction(sum(sum(s.bonus_items.values()) for s in scores), len(scores))
    if standard.bonus_cap is not None:
        bonus = min(bonus, standard.bonus_cap)
    assert aggregate(standard, sheets, MEAN, application="隨機").total == round_half_up(leaves + bonus)


@FAST
@given(applications())
def test_trimmed_is_the_rounded_mean_of_the_middle_totals(application):
    standard, sheets = application
    totals = sorted(sheet_score(standard, sheet).total for sheet in sheets)
    middle = totals[1:-1]
    expected = (Decimal(sum(middle)) / len(middle)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    result = aggregate(standard, sheets, TRIMMED, application="隨機")
    assert result.total == int(expected)
    assert result.reviewers == len(sheets) - 2


@FAST
@given(st.lists(st.integers(0, 100), min_size=1, max_size=9))
@example([1, 1, 2])
@example([2, 3])
def test_reviewers_hundredths_average_to_the_exactly_rounded_mean(values):
    one = Standard(
        code="t",
        version="1",
        title="一項",
        total=100,
        indicators=(Indicator(code="A", title="甲", points=100, rule=Rule(MANUAL, step=1)),),
    )
    sheets = [Sheet(reviewer, {"A": value}) for reviewer, value in enumerate(values)]
    # With at most 9 reviewers a 28-digit Decimal mean is never within reach of a false half.
    mean = Decimal(sum(values)) / Decimal(len(values))
    expected = int(mean.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    result = aggregate(one, sheets, MEAN, application="隨機")
    assert result.total == expected
    assert result.leaves == {"A": expected}
