"""The scoring standards Fazhi ships (src/fazhi/indicators/standards/*.yaml, fazhi.indicators.shipped)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from fazhi.indicators import spec
from fazhi.indicators.formats import dump_yaml, load_yaml
from fazhi.indicators.scoring import Sheet, leaf_score, sheet_score
from fazhi.indicators.shipped import shipped_standards

YFXZ = "yfxz-demonstration-unit"
VILLAGE = "democracy-rule-of-law-village"
CITY_COUNTY = "city-county-rule-of-law-government"

# The "ten haves" of seed ❶, in its order (有法治展牌、有固定标语……有以法治促发展思路).
TEN_HAVES = [
    "有法治展牌",
    "有固定标语",
    "有电子显示屏",
    "有宣传阵地",
    "有领导小组工作专班",
    "有活动记录",
    "有台账资料",
    "有特色介绍",
    "有依法治理案例",
    "有以法治促发展思路",
]
SEED_SECTION = re.compile("[❶❷❸❹❺❻❼]")
METRIC = re.compile(r"[a-z]+\.[a-z][a-z0-9_]*")


def load(code: str) -> spec.Standard:
    (path,) = [p for p in shipped_standards() if p.name == f"{code}.yaml"]
    return load_yaml(path.read_bytes())


def leaf(standard: spec.Standard, *, metric: str | None = None, title: str | None = None) -> spec.Indicator:
    (found,) = [
        node
        for node in standard.leaves()
        if (metric is None or node.rule.metric == metric) and (title is None or title in node.title)
    ]
    return found


def level_counts(standard: spec.Standard) -> dict[int, int]:
    counts: dict[int, int] = {}
    for _, depth in standard.walk():
        counts[depth] = counts.get(depth, 0) + 1
    return counts


ALL = [YFXZ, VILLAGE, CITY_COUNTY]


def test_fazhi_ships_the_three_standards_as_package_files():
    assert [p.name for p in shipped_standards()] == sorted(f"{code}.yaml" for code in ALL)


@pytest.mark.parametrize("code", ALL)
def test_shipped_standard_loads_valid_at_100_points(code):
    standard = load(code)  # load_yaml raises StandardInvalid with every error otherwise
    assert (standard.code, standard.version, standard.total) == (code, "2026", 10_000)
    assert sum(node.points for node in standard.leaves()) == 10_000


@pytest.mark.parametrize("code", ALL)
def test_shipped_standard_cites_the_seed_sections_it_was_built_from(code):
    assert SEED_SECTION.search(load(code).source)


@pytest.mark.parametrize("code", ALL)
def test_every_leaf_says_how_to_score_it_and_what_evidence_to_expect(code):
    standard = load(code)
    assert [n.code for n in standard.leaves() if not n.guidance.strip()] == []
    assert [n.code for n in standard.leaves() if not n.evidence] == []


@pytest.mark.parametrize("code", ALL)
def test_codes_follow_the_tree_and_metrics_name_an_app_and_a_measure(code):
    standard = load(code)
    assert [top.code for top in standard.indicators] == [str(i) for i in range(1, len(standard.indicators) + 1)]
    for node, _ in standard.walk():
        for i, child in enumerate(node.children, start=1):
            assert child.code == f"{node.code}.{i}"
    metrics = [n.rule.metric for n in standard.leaves() if n.rule.metric]
    assert metrics and [m for m in metrics if not METRIC.fullmatch(m)] == []


@pytest.mark.parametrize("code", ALL)
def test_shipped_standard_exports_and_reads_back_unchanged(code):
    standard = load(code)
    assert load_yaml(dump_yaml(standard)) == standard


@pytest.mark.parametrize("code", ALL)
def test_bonus_is_capped_and_veto_items_exist(code):
    standard = load(code)
    assert standard.bonus and standard.bonus_cap is not None
    assert standard.veto


def best_answer(node: spec.Indicator):
    rule = node.rule
    return {
        spec.MANUAL: node.points,
        spec.CHECKLIST: set(range(len(rule.items))),
        spec.DEDUCTION: 0,
        spec.RATIO: Decimal(1),
        spec.TIERS: rule.tiers[0].min if rule.tiers else Decimal(0),
    }[rule.kind]


def worst_answer(node: spec.Indicator):
    return {
        spec.MANUAL: 0,
        spec.CHECKLIST: set(),
        spec.DEDUCTION: 1000,
        spec.RATIO: Decimal(0),
        spec.TIERS: Decimal(0),
    }[node.rule.kind]


@pytest.mark.parametrize("code", ALL)
def test_the_scoring_engine_scores_a_shipped_standard_from_zero_to_full_marks(code):
    standard = load(code)
    best = Sheet("best", {n.code: best_answer(n) for n in standard.leaves()}, {b.code: True for b in standard.bonus})
    worst = Sheet("worst", {n.code: worst_answer(n) for n in standard.leaves()})
    assert sheet_score(standard, best).total == standard.total + standard.bonus_cap
    assert sheet_score(standard, worst).total == 0


# --- 依法行政示范单位 (seed ❹) ----------------------------------------------------------------


def test_demonstration_unit_follows_the_eight_parts_of_seed_4():
    standard = load(YFXZ)
    assert len(standard.indicators) == 8
    assert [top.title[:4] for top in standard.indicators] == [
        "加强学习",
        "创新工作",
        "完善行政",
        "规范行政",
        "全面推进",
        "健全制约",
        "改进行政",
        "强化组织",
    ]
    assert standard.pass_score == 8500


def test_two_leader_seminars_a_year_earn_full_points_one_earns_half():
    seminars = leaf(load(YFXZ), metric="study.leader_seminar_count")
    assert seminars.rule.kind == spec.TIERS
    scores = [leaf_score(seminars, Decimal(n)) for n in (3, 2, 1, 0)]
    assert scores == [seminars.points, seminars.points, seminars.points // 2, 0]


def test_demonstration_unit_measures_the_rules_of_seed_4_from_the_ledgers():
    standard = load(YFXZ)
    for metric in (
        "enforcement.exam_pass_rate",
        "disputes.reconsideration_two_handler_rate",
        "documents.timely_filing_rate",
        "decisions.legality_review_rate",
    ):
        assert leaf(standard, metric=metric).rule.kind == spec.RATIO
    review = leaf(standard, metric="decisions.legality_review_rate")
    assert review.rule.full_at == 1
    assert leaf_score(review, Decimal("0.99")) < review.points


def test_each_normative_document_past_its_validity_period_costs_points():
    validity = leaf(load(YFXZ), title="有效期不超过5年")
    assert validity.rule.kind == spec.DEDUCTION
    assert leaf_score(validity, 1) == validity.points - validity.rule.per
    assert leaf_score(validity, 100) == 0


def test_a_major_violation_within_two_years_is_a_veto():
    assert any("两年" in item.title and "重大违法" in item.title for item in load(YFXZ).veto)


# --- 民主法治示范村（社区） (seeds ❶ ❷ ❻) --------------------------------------------------------


def test_village_standard_has_the_five_standard_areas():
    titles = [top.title for top in load(VILLAGE).indicators]
    areas = ["组织", "民主", "法治", "和谐", "保障"]
    assert len(titles) == 5
    assert [area for area, title in zip(areas, titles, strict=True) if area not in title] == []


def test_the_ten_haves_of_seed_1_are_one_checklist_item_each():
    ten = leaf(load(VILLAGE), title="十有")
    assert ten.rule.kind == spec.CHECKLIST
    assert [item.title for item in ten.rule.items] == TEN_HAVES
    assert {item.points for item in ten.rule.items} == {100}
    assert leaf_score(ten, set(range(7))) == 700


def test_a_law_corner_needs_a_hundred_books_for_full_points():
    corner = leaf(load(VILLAGE), title="法律图书角")
    assert corner.rule.kind == spec.TIERS
    assert leaf_score(corner, Decimal(100)) == corner.points
    assert leaf_score(corner, Decimal(99)) < corner.points


def test_le_an_town_mediation_figures_of_seed_6_earn_full_mediation_points():
    mediation = leaf(load(VILLAGE), metric="disputes.mediation_success_rate")
    assert leaf_score(mediation, Decimal(103) / Decimal(108)) == mediation.points


# --- 市县法治政府建设示范指标体系 ------------------------------------------------------------------


def test_city_county_standard_is_shaped_like_the_national_one():
    standard = load(CITY_COUNTY)
    counts = level_counts(standard)
    assert counts[1] == 10
    assert 27 <= counts[2] <= 34
    assert 40 <= counts[3] <= 60
    assert {depth for node, depth in standard.walk() if node.is_leaf} == {3}


def test_city_county_facts_are_bound_to_ledger_metrics():
    metrics = {n.rule.metric for n in load(CITY_COUNTY).leaves()}
    assert {
        "documents.filing_rate",
        "documents.timely_filing_rate",
        "decisions.legality_review_rate",
        "decisions.public_participation_rate",
        "enforcement.certified_officer_rate",
        "disputes.head_appearance_rate",
        "disputes.mediation_success_rate",
        "disputes.disclosure_on_time_rate",
        "study.leader_law_hours",
    } <= metrics
