"""Reading and writing scoring standards as YAML and XLSX (fazhi.indicators.formats)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from fazhi.indicators import spec
from fazhi.indicators.formats import dump_yaml, load_yaml

FIXTURES = Path(__file__).parent / "fixtures"


def example_bytes() -> bytes:
    return (FIXTURES / "issue3-example.yaml").read_bytes()


def test_the_issue_example_loads_with_points_in_hundredths():
    standard = load_yaml(example_bytes())
    assert (standard.code, standard.version, standard.total, standard.pass_score, standard.bonus_cap) == (
        "yfxz-county",
        "2025",
        2600,
        2200,
        500,
    )
    (level1,) = standard.indicators
    assert level1.points == 2600 and level1.rule is None
    manual, checklist, deduction, ratio, tiers = level1.children
    assert manual.rule == spec.Rule(kind="manual", step=50)
    assert manual.evidence == ("学法计划", "学法记录")
    assert [item.title for item in checklist.rule.items][:2] == ["法治展牌", "固定标语"]
    assert deduction.rule.per == 100
    assert (ratio.rule.full_at, ratio.rule.zero_at) == (Decimal("0.95"), Decimal("0.6"))
    assert ratio.rule.metric == "disputes.mediation_success_rate"
    assert [(t.min, t.points) for t in tiers.rule.tiers] == [(2, 300), (1, 150), (0, 0)]
    assert standard.bonus == (spec.BonusItem("B1", "获得省级以上表彰", 200),)
    assert standard.veto == (spec.VetoItem("V1", "发生重大违法行政案件"),)


def test_the_issue_example_round_trips_through_yaml():
    standard = load_yaml(example_bytes())
    assert load_yaml(dump_yaml(standard)) == standard
