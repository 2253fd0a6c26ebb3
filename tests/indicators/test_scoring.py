"""The scoring engine's semantics (docs/scoring.md), one example each. Pure: no database."""

from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest

from fazhi.indicators import scoring
from fazhi.indicators.scoring import MEAN, TRIMMED, Sheet, aggregate, leaf_score, sheet_score
from fazhi.indicators.spec import BonusItem, ChecklistItem, Indicator, Rule, Standard, Tier, VetoItem

D = Decimal


def leaf(code, points, kind, **params):
    return Indicator(code=code, title=f"指標{code}", points=points, rule=Rule(kind=kind, **params))


MANUAL_LEAF = leaf("1.1", 400, "manual", step=50)
CHECKLIST_LEAF = leaf(
    "1.2",
    1000,
    "checklist",
    items=(
        ChecklistItem("法治展牌", 300),
        ChecklistItem("法律圖書角", 300),
        ChecklistItem("法治宣傳欄", 200),
        ChecklistItem("法律顧問", 200),
    ),
)
DEDUCTION_LEAF = leaf("1.3", 500, "deduction", per=100)
RATIO_LEAF = leaf("1.4", 400, "ratio", full_at=D("0.95"), zero_at=D("0.6"), metric="disputes.mediation_success_rate")
TIERS_LEAF = leaf("1.5", 300, "tiers", tiers=(Tier(D(2), 300), Tier(D(1), 150), Tier(D(0), 0)))

STANDARD = Standard(
    code="yfxz-county",
    version="2025",
    title="依法行政示範單位考評標準",
    total=3000,
    pass_score=2400,
    bonus_cap=400,
    indicators=(
        Indicator(
            code="1",
            title="領導幹部學法用法",
            points=2600,
            children=(MANUAL_LEAF, CHECKLIST_LEAF, DEDUCTION_LEAF, RATIO_LEAF, TIERS_LEAF),
        ),
        leaf("2", 400, "manual", step=100),
    ),
    bonus=(BonusItem("B1", "獲得省級以上表彰", 200), BonusItem("B2", "經驗被推廣", 300)),
    veto=(VetoItem("V1", "發生重大違法行政案件"),),
)

FULL = {"1.1": 400, "1.2": {0, 1, 2, 3}, "1.3": 0, "1.4": D(1), "1.5": D(3), "2": 400}
NOTHING = {"1.1": 0, "1.2": set(), "1.3": 5, "1.4": D(0), "1.5": D(0), "2": 0}


def sheet(reviewer, bonus=None, **answers):
    """A sheet answering every leaf in full, except the answers given (leaf code with '.' as '_')."""
    given = {code.replace("_", "."): answer for code, answer in answers.items()}
    return Sheet(reviewer=reviewer, answers={**FULL, **given}, bonus=bonus or {})


def manual_sheet(reviewer, points, bonus=None):
    """A sheet scoring nothing but ``points`` hundredths on leaf 1.1 (plus any bonus)."""
    return Sheet(reviewer=reviewer, answers={**NOTHING, "1.1": points}, bonus=bonus or {})


def round_exactly(value: Fraction) -> int:
    """The reference: Decimal's ROUND_HALF_UP on the exact value."""
    return int((Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


# --- manual -------------------------------------------------------------------------------------


def test_a_manual_answer_is_the_score_in_hundredths():
    assert leaf_score(MANUAL_LEAF, 350) == 350
    assert leaf_score(MANUAL_LEAF, 0) == 0
    assert leaf_score(MANUAL_LEAF, 400) == 400


@pytest.mark.parametrize(
    ("answer", "rule", "fragment"),
    [
        (330, "scoring.manual_off_step", "not a multiple of the step 0.5"),
        (450, "scoring.manual_out_of_range", "outside 0 to 4"),
        (-50, "scoring.manual_out_of_range", "outside 0 to 4"),
        (D("3.5"), "scoring.manual_not_int", "whole number of hundredths"),
        (3.5, "scoring.manual_not_int", "whole number of hundredths"),
        (True, "scoring.manual_not_int", "whole number of hundredths"),
    ],
)
def test_a_bad_manual_answer_is_refused_naming_the_leaf(answer, rule, fragment):
    with pytest.raises(scoring.SheetInvalid) as caught:
        leaf_score(MANUAL_LEAF, answer)
    assert caught.value.rule == rule
    assert caught.value.code == "1.1"
    assert str(caught.value).startswith("indicator 1.1: ")
    assert fragment in str(caught.value)


def test_a_manual_leaf_without_a_step_moves_in_half_points():
    unstepped = leaf("9", 300, "manual")
    assert leaf_score(unstepped, 250) == 250
    with pytest.raises(scoring.SheetInvalid, match="step 0.5"):
        leaf_score(unstepped, 260)


def test_full_points_are_allowed_even_off_the_step():
    odd = leaf("9", 450, "manual", step=100)
    assert leaf_score(odd, 450) == 450
    assert leaf_score(odd, 400) == 400
    with pytest.raises(scoring.SheetInvalid, match="not a multiple"):
        leaf_score(odd, 420)


# --- checklist ----------------------------------------------------------------------------------


def test_a_checklist_scores_the_points_of_the_satisfied_items():
    assert leaf_score(CHECKLIST_LEAF, {0, 2}) == 500
    assert leaf_score(CHECKLIST_LEAF, [3]) == 200
    assert leaf_score(CHECKLIST_LEAF, set()) == 0
    assert leaf_score(CHECKLIST_LEAF, range(4)) == 1000


def test_an_item_named_twice_counts_once():
    assert leaf_score(CHECKLIST_LEAF, [1, 1, 1]) == 300


@pytest.mark.parametrize(("answer", "rule"), [({4}, "scoring.checklist_no_item"), ({-1}, "scoring.checklist_no_item")])
def test_a_checklist_item_that_does_not_exist_is_refused(answer, rule):
    with pytest.raises(scoring.SheetInvalid, match="indicator 1.2: there is no checklist item") as caught:
        leaf_score(CHECKLIST_LEAF, answer)
    assert caught.value.rule == rule


@pytest.mark.parametrize("answer", ["法治展牌", {"法治展牌"}, 2, {0: True}])
def test_a_checklist_answer_is_item_indexes_not_titles_or_a_count(answer):
    with pytest.raises(scoring.SheetInvalid) as caught:
        leaf_score(CHECKLIST_LEAF, answer)
    assert caught.value.code == "1.2"


# --- deduction ----------------------------------------------------------------------------------


def test_a_deduction_takes_points_per_occurrence_down_to_zero():
    assert leaf_score(DEDUCTION_LEAF, 0) == 500
    assert leaf_score(DEDUCTION_LEAF, 2) == 300
    assert leaf_score(DEDUCTION_LEAF, 5) == 0
    assert leaf_score(DEDUCTION_LEAF, 7) == 0


@pytest.mark.parametrize("answer", [-1, D(1), 1.0, None])
def test_a_deduction_count_must_be_a_whole_number_of_at_least_zero(answer):
    with pytest.raises(scoring.SheetInvalid, match="indicator 1.3: the count") as caught:
        leaf_score(DEDUCTION_LEAF, answer)
    assert caught.value.rule == "scoring.deduction_bad_count"


# --- ratio --------------------------------------------------------------------------------------


def test_a_ratio_scores_full_at_or_above_full_at_and_zero_at_or_below_zero_at():
    assert leaf_score(RATIO_LEAF, D("0.95")) == 400
    assert leaf_score(RATIO_LEAF, D(1)) == 400
    assert leaf_score(RATIO_LEAF, D("0.6")) == 0
    assert leaf_score(RATIO_LEAF, 0) == 0


def test_a_ratio_between_the_thresholds_is_linear_and_rounded_half_up():
    # 400 × (0.7 − 0.6) / (0.95 − 0.6) = 114.2857… hundredths
    assert leaf_score(RATIO_LEAF, D("0.7")) == 114
    # 400 × 0.175 / 0.35 = 200 exactly
    assert leaf_score(RATIO_LEAF, D("0.775")) == 200


def test_a_ratio_landing_on_half_a_hundredth_rounds_up_not_to_even():
    plain = leaf("9", 100, "ratio", full_at=D(1), zero_at=D(0))
    assert leaf_score(plain, D("0.125")) == 13  # 12.5 hundredths; banker's rounding would give 12
    assert leaf_score(plain, D("0.135")) == 14  # 13.5
    assert leaf_score(plain, D("0.1249")) == 12


@pytest.mark.parametrize(
    ("answer", "rule"),
    [
        (D("1.01"), "scoring.ratio_out_of_range"),
        (D("-0.1"), "scoring.ratio_out_of_range"),
        (0.7, "scoring.value_not_number"),
        ("0.7", "scoring.value_not_number"),
        (D("NaN"), "scoring.value_not_number"),
    ],
)
def test_a_ratio_outside_zero_to_one_or_not_a_decimal_is_refused(answer, rule):
    with pytest.raises(scoring.SheetInvalid, match="indicator 1.4") as caught:
        leaf_score(RATIO_LEAF, answer)
    assert caught.value.rule == rule


# --- tiers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "points"),
    [(D(5), 300), (D(2), 300), (D("1.99"), 150), (D(1), 150), (D("0.5"), 0), (0, 0)],
)
def test_the_first_tier_the_value_reaches_wins(value, points):
    assert leaf_score(TIERS_LEAF, value) == points


def test_a_value_below_every_tier_scores_zero():
    no_floor = leaf("9", 300, "tiers", tiers=(Tier(D(2), 300), Tier(D(1), 150)))
    assert leaf_score(no_floor, D("0.5")) == 0
    assert leaf_score(TIERS_LEAF, D(-1)) == 0


def test_a_leaf_with_an_unknown_rule_cannot_be_scored():
    with pytest.raises(scoring.StandardUnscorable, match="indicator 9 has no rule"):
        leaf_score(leaf("9", 100, "vote"), 1)


# --- one sheet ----------------------------------------------------------------------------------


def test_a_sheet_scores_every_leaf_subtotals_level_one_and_adds_the_bonus():
    score = sheet_score(
        STANDARD, sheet("甲", bonus={"B1": True}, **{"1_1": 350, "1_2": {0}, "1_3": 1, "1_4": D("0.7")})
    )
    assert score.leaves == {"1.1": 350, "1.2": 300, "1.3": 400, "1.4": 114, "1.5": 300, "2": 400}
    assert score.subtotals == {"1": 1464, "2": 400}
    assert score.bonus_items == {"B1": 200, "B2": 0}
    assert score.bonus == 200
    assert score.total == 2064


def test_a_sheets_bonus_is_capped():
    score = sheet_score(STANDARD, sheet("甲", bonus={"B1": True, "B2": True}))
    assert score.bonus_items == {"B1": 200, "B2": 300}
    assert score.bonus == 400
    assert score.total == 3400


def test_a_standard_without_a_cap_adds_every_bonus_awarded():
    uncapped = replace(STANDARD, bonus_cap=None)
    assert sheet_score(uncapped, sheet("甲", bonus={"B1": True, "B2": True})).bonus == 500


def test_a_sheet_missing_an_answer_is_refused_naming_the_leaf_and_reviewer():
    answers = dict(FULL)
    del answers["1.4"]
    with pytest.raises(scoring.SheetInvalid, match="no answer for indicator 1.4") as caught:
        sheet_score(STANDARD, Sheet(reviewer="乙", answers=answers))
    assert (caught.value.code, caught.value.reviewer, caught.value.rule) == ("1.4", "乙", "scoring.answer_missing")


def test_a_bad_answer_on_a_sheet_names_the_reviewer():
    with pytest.raises(scoring.SheetInvalid, match="indicator 1.1") as caught:
        sheet_score(STANDARD, sheet("乙", **{"1_1": 333}))
    assert caught.value.reviewer == "乙"


@pytest.mark.parametrize(
    ("answers", "bonus", "rule", "code"),
    [
        ({**FULL, "1": 100}, {}, "scoring.answer_unknown", "1"),
        ({**FULL, "3.1": 100}, {}, "scoring.answer_unknown", "3.1"),
        (FULL, {"B9": True}, "scoring.bonus_unknown", "B9"),
        (FULL, {"B1": 1}, "scoring.bonus_not_bool", "B1"),
    ],
)
def test_a_sheet_for_another_standard_is_refused(answers, bonus, rule, code):
    with pytest.raises(scoring.SheetInvalid) as caught:
        sheet_score(STANDARD, Sheet(reviewer="乙", answers=answers, bonus=bonus))
    assert (caught.value.rule, caught.value.code) == (rule, code)


# --- aggregation: mean --------------------------------------------------------------------------


def test_mean_averages_each_leaf_and_each_bonus_item_over_every_sheet():
    sheets = [
        sheet("甲", bonus={"B1": True}, **{"1_1": 350}),
        sheet("乙", **{"1_1": 300, "1_3": 1}),
        sheet("丙", bonus={"B1": True, "B2": True}, **{"1_1": 400}),
    ]
    result = aggregate(STANDARD, sheets, MEAN, application="青山縣")
    assert result.leaves == {"1.1": 350, "1.2": 1000, "1.3": 467, "1.4": 400, "1.5": 300, "2": 400}
    assert result.bonus_items == {"B1": 133, "B2": 100}
    # bonus: 400/3 + 300/3 = 233.33…, under the cap of 400
    assert result.bonus == 233
    # the sheets' leaves sum to 2950, 2800 and 3000: (8750 + 700) / 3 exactly
    assert result.total == 3150
    assert result.subtotals == {"1": 2517, "2": 400}  # (2550 + 2400 + 2600) / 3 = 2516.67
    assert (result.method, result.reviewers, result.sheets, result.dropped) == (MEAN, 3, 3, ())


def test_mean_rounds_once_from_the_exact_means_not_leaf_by_leaf():
    two = Standard(
        code="t",
        version="1",
        title="兩項",
        total=200,
        indicators=(leaf("A", 100, "manual", step=1), leaf("B", 100, "manual", step=1)),
    )
    sheets = [Sheet(r, {"A": a, "B": a}) for r, a in (("甲", 0), ("乙", 0), ("丙", 1))]
    result = aggregate(two, sheets, MEAN, application="青山縣")
    assert result.leaves == {"A": 0, "B": 0}  # each 1/3 of a hundredth, rounded for display
    assert result.total == 1  # 2/3 of a hundredth, rounded once


def test_mean_rounds_half_up_not_to_even():
    one = Standard(code="t", version="1", title="一項", total=100, indicators=(leaf("A", 100, "manual", step=1),))
    sheets = [Sheet("甲", {"A": 2}), Sheet("乙", {"A": 3})]
    assert aggregate(one, sheets, MEAN, application="青山縣").total == 3  # 2.5 hundredths


def test_mean_caps_the_mean_bonus_not_each_sheets_bonus():
    sheets = [sheet("甲", bonus={"B1": True, "B2": True}), sheet("乙")]
    result = aggregate(STANDARD, sheets, MEAN, application="青山縣")
    # B1 mean 100, B2 mean 150: 250 is under the cap of 400 (capping each sheet first would give 200).
    assert result.bonus == 250
    assert result.total == 3250


def test_mean_with_no_sheets_is_refused_naming_the_application():
    with pytest.raises(scoring.TooFewSheets, match="application 青山縣: no score sheet has been submitted"):
        aggregate(STANDARD, [], MEAN, application="青山縣")


# --- aggregation: trimmed -----------------------------------------------------------------------


def test_trimmed_drops_the_highest_and_lowest_totals_and_averages_the_rest():
    totals = {"甲": 100, "乙": 350, "丙": 200, "丁": 250, "戊": 400}
    sheets = [manual_sheet(r, t) for r, t in totals.items()]
    result = aggregate(STANDARD, sheets, TRIMMED, application="青山縣")
    assert result.dropped == ("甲", "戊")
    assert result.total == 267  # (350 + 200 + 250) / 3 = 266.67
    assert result.leaves["1.1"] == 267
    assert (result.reviewers, result.sheets) == (3, 5)


def test_trimmed_uses_each_reviewers_own_capped_bonus():
    sheets = [
        manual_sheet("甲", 0),
        manual_sheet("乙", 100, bonus={"B1": True, "B2": True}),  # 100 + min(400, 500)
        manual_sheet("丙", 100, bonus={"B2": True}),  # 100 + 300
        manual_sheet("丁", 100),
        manual_sheet("戊", 400, bonus={"B1": True, "B2": True}),  # 800, dropped
    ]
    result = aggregate(STANDARD, sheets, TRIMMED, application="青山縣")
    assert result.dropped == ("甲", "戊")
    assert result.bonus == 233  # (400 + 300 + 0) / 3
    assert result.bonus_items == {"B1": 67, "B2": 200}
    assert result.total == 333  # (500 + 400 + 100) / 3


def test_trimmed_subtotals_and_leaves_are_over_the_retained_reviewers():
    sheets = [
        Sheet("甲", {**FULL, "2": 0}),  # 2600, dropped as lowest
        Sheet("乙", {**FULL, "1.1": 100}),  # 2700: 2300 + 400
        Sheet("丙", {**FULL, "1.1": 150, "2": 300}),  # 2650: 2350 + 300
        Sheet("丁", {**FULL, "1.1": 200}),  # 2800: 2400 + 400
        Sheet("戊", FULL),  # 3000, dropped as highest
    ]
    result = aggregate(STANDARD, sheets, TRIMMED, application="青山縣")
    assert result.dropped == ("甲", "戊")
    # over all five sheets level-1 "2" would average 300; over the three retained it is 366.67
    assert result.subtotals == {"1": 2350, "2": 367}
    assert result.leaves["1.1"] == 150
    assert result.total == round_exactly(Fraction(2700 + 2650 + 2800, 3)) == 2717


def test_trimmed_breaks_ties_by_reviewer():
    sheets = [manual_sheet(r, 200) for r in ("丙", "甲", "乙", "戊", "丁")]
    result = aggregate(STANDARD, sheets, TRIMMED, application="青山縣")
    assert result.dropped == (min("甲乙丙丁戊"), max("甲乙丙丁戊"))
    assert result.total == 200


def test_trimmed_with_fewer_than_five_sheets_is_refused_naming_the_application():
    sheets = [manual_sheet(r, 200) for r in range(4)]
    with pytest.raises(scoring.TooFewSheets) as caught:
        aggregate(STANDARD, sheets, TRIMMED, application="青山縣司法局")
    assert isinstance(caught.value, scoring.ScoringError)
    assert caught.value.rule == "scoring.too_few_sheets"
    assert str(caught.value) == (
        "application 青山縣司法局: score sheets submitted: 4; the trimmed mean "
        "(dropping the highest and the lowest) needs at least 5"
    )


def test_a_reviewer_with_two_sheets_is_refused():
    sheets = [manual_sheet(r, 200) for r in (1, 2, 3, 4, 1)]
    with pytest.raises(scoring.ScoringError, match="two score sheets from reviewer 1"):
        aggregate(STANDARD, sheets, TRIMMED, application="青山縣")


def test_an_unknown_method_is_refused():
    with pytest.raises(scoring.ScoringError, match="unknown aggregation method 'median'"):
        aggregate(STANDARD, [sheet("甲")], "median", application="青山縣")


# --- veto and pass ------------------------------------------------------------------------------


def test_a_vetoed_application_keeps_its_total_but_does_not_pass():
    result = aggregate(STANDARD, [sheet("甲")], MEAN, application="青山縣", vetoed=True)
    assert result.total == 3000
    assert (result.vetoed, result.passed) == (True, False)


@pytest.mark.parametrize(("points", "passed"), [(400, True), (350, False)])
def test_an_application_passes_at_or_above_the_pass_score(points, passed):
    # leaves 1.2–1.5 give 800 + 500 + 400 + 300, leaf 2 nothing: the total is 2000 + points; pass score 2400
    result = aggregate(STANDARD, [sheet("甲", **{"1_1": points, "1_2": {0, 1, 2}, "2": 0})], MEAN, application="青山縣")
    assert result.total == 2000 + points
    assert result.passed is passed


def test_without_a_pass_score_passed_is_undecided_unless_vetoed():
    open_standard = replace(STANDARD, pass_score=None)
    assert aggregate(open_standard, [sheet("甲")], MEAN, application="青山縣").passed is None
    assert aggregate(open_standard, [sheet("甲")], MEAN, application="青山縣", vetoed=True).passed is False


# --- numbers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "rounded"),
    [(Fraction(5, 2), 3), (Fraction(7, 2), 4), (Fraction(4, 3), 1), (Fraction(5, 3), 2), (Fraction(-5, 2), -3), (7, 7)],
)
def test_round_half_up_matches_decimal_round_half_up(value, rounded):
    assert scoring.round_half_up(value) == rounded
    exact = Decimal(value.numerator) / Decimal(value.denominator) if isinstance(value, Fraction) else Decimal(value)
    assert int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP)) == rounded


@pytest.mark.parametrize(("hundredths", "text"), [(450, "4.5"), (400, "4"), (5, "0.05"), (0, "0"), (1234, "12.34")])
def test_points_are_shown_as_points_in_messages(hundredths, text):
    assert scoring.points_text(hundredths) == text
