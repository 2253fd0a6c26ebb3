"""Round trips: YAML → spec → YAML → spec and spec → XLSX → spec lose nothing (hypothesis)."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi.indicators import spec
from fazhi.indicators.formats import dump_xlsx, dump_yaml, load_xlsx, load_yaml
from fazhi.indicators.validation import validate

# Chinese characters, digits, Latin letters and the punctuation a separator might trip on.
_ALPHABET = st.one_of(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.sampled_from("0123456789abcXYZ:;：；,，.。-_()（）#&*!'\"❶=+@"),
)
titles = st.text(_ALPHABET, min_size=1, max_size=12)
guidance = st.one_of(st.just(""), st.lists(titles, min_size=1, max_size=3).map("\n".join))
evidence = st.lists(titles, max_size=3).map(tuple)
metrics = st.one_of(st.none(), st.sampled_from(["disputes.mediation_success_rate", "training.seminars", "cases"]))


@st.composite
def leaves(draw, code: str) -> spec.Indicator:
    kind = draw(st.sampled_from(spec.RULE_KINDS))
    if kind == spec.MANUAL:
        step = draw(st.sampled_from([None, 25, 50, 100]))
        points = (step or spec.DEFAULT_STEP) * draw(st.integers(0, 20))
        rule = spec.Rule(kind, step=step)
    elif kind == spec.CHECKLIST:
        items = draw(st.lists(st.builds(spec.ChecklistItem, titles, st.integers(0, 500)), min_size=1, max_size=4))
        points = sum(item.points for item in items)
        rule = spec.Rule(kind, items=tuple(items))
    elif kind == spec.DEDUCTION:
        points = draw(st.integers(0, 2000))
        rule = spec.Rule(kind, per=draw(st.integers(1, 500)))
    elif kind == spec.RATIO:
        zero, full = sorted(draw(st.lists(st.integers(0, 1000), min_size=2, max_size=2, unique=True)))
        points = draw(st.integers(0, 2000))
        rule = spec.Rule(kind, full_at=Decimal(full) / 1000, zero_at=Decimal(zero) / 1000, metric=draw(metrics))
    else:
        points = draw(st.integers(0, 2000))
        mins = sorted(draw(st.lists(st.integers(-50, 500), min_size=1, max_size=4, unique=True)), reverse=True)
        mins[-1] = min(mins[-1], 0)
        tier_points = sorted((draw(st.integers(0, points)) for _ in mins), reverse=True)  # never rising
        tiers = tuple(spec.Tier(Decimal(m) / 10, p) for m, p in zip(mins, tier_points, strict=True))
        rule = spec.Rule(kind, tiers=tiers, metric=draw(metrics))
    return spec.Indicator(
        code=code, title=draw(titles), points=points, rule=rule, guidance=draw(guidance), evidence=draw(evidence)
    )


@st.composite
def nodes(draw, code: str, depth: int) -> spec.Indicator:
    if depth == 1 or draw(st.booleans()):
        return draw(leaves(code))
    children = tuple(draw(nodes(f"{code}.{i}", depth - 1)) for i in range(1, draw(st.integers(1, 3)) + 1))
    return spec.Indicator(
        code=code,
        title=draw(titles),
        points=sum(c.points for c in children),
        children=children,
        guidance=draw(guidance),
    )


@st.composite
def standards(draw) -> spec.Standard:
    depth = draw(st.integers(1, 3))
    indicators = tuple(draw(nodes(str(i), depth)) for i in range(1, draw(st.integers(1, 3)) + 1))
    total = sum(leaf.points for node in indicators for leaf, _ in node.walk() if leaf.is_leaf)
    if total == 0:  # a standard is worth something
        indicators += (spec.Indicator(code="0", title="兜底", points=100, rule=spec.Rule(spec.DEDUCTION, per=50)),)
        total = 100
    bonus = tuple(
        spec.BonusItem(f"B{i}", draw(titles), draw(st.integers(1, 500))) for i in range(draw(st.integers(0, 2)))
    )
    veto = tuple(spec.VetoItem(f"V{i}", draw(titles)) for i in range(draw(st.integers(0, 2))))
    return spec.Standard(
        code=draw(st.from_regex(r"[a-z0-9-]{1,20}", fullmatch=True)),
        version=draw(st.one_of(st.sampled_from(["2025", "1.0", "2025-修订"]), titles)),
        title=draw(titles),
        total=total,
        source=draw(st.one_of(st.just(""), titles)),
        pass_score=draw(st.one_of(st.none(), st.integers(0, total))),
        bonus_cap=draw(st.integers(0, 1000)) if bonus else draw(st.one_of(st.none(), st.integers(0, 1000))),
        indicators=indicators,
        bonus=bonus,
        veto=veto,
    )


ROUND_TRIP = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@ROUND_TRIP
@given(standards())
def test_yaml_round_trip_is_lossless(standard):
    assert validate(standard) == []
    once = load_yaml(dump_yaml(standard))
    assert once == standard
    assert load_yaml(dump_yaml(once)) == standard


@ROUND_TRIP
@given(standards())
def test_xlsx_round_trip_is_lossless(standard):
    assert load_xlsx(dump_xlsx(standard)) == standard
