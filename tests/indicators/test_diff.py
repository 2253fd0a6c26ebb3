import dataclasses
from decimal import Decimal

from fazhi.indicators import spec
from fazhi.indicators.diff import Entry, FieldChange, diff_standards
from tests.indicators.examples import example_standard


def replace_child(std: spec.Standard, code: str, **changes) -> spec.Standard:
    area = std.indicators[0]
    children = tuple(dataclasses.replace(child, **changes) if child.code == code else child for child in area.children)
    return dataclasses.replace(std, indicators=(dataclasses.replace(area, children=children),))


def test_a_standard_has_no_difference_with_itself():
    assert diff_standards(example_standard(), example_standard()).is_empty


def test_header_changes_are_listed():
    diff = diff_standards(example_standard(), example_standard(version="2026", pass_score=2000, bonus_cap=None))
    assert diff.header == (FieldChange("pass_score", 2200, 2000), FieldChange("bonus_cap", 500, None))
    assert not diff.indicators


def test_added_and_removed_indicators_name_their_place():
    old = example_standard()
    area = old.indicators[0]
    extra = spec.Indicator("1.6", "旁听庭审", 200, rule=spec.Rule(spec.MANUAL))
    new = dataclasses.replace(
        old, indicators=(dataclasses.replace(area, children=(*area.children[1:], extra), points=2400),)
    )
    diff = diff_standards(old, new).indicators
    assert diff.added == (Entry("1.6", "旁听庭审", 200, parent="1", depth=2),)
    assert diff.removed == (Entry("1.1", "健全学法制度", 400, parent="1", depth=2),)
    assert [(c.code, c.changes) for c in diff.changed] == [("1", (FieldChange("points", 2600, 2400),))]


def test_points_title_guidance_and_evidence_changes():
    new = replace_child(example_standard(), "1.1", title="学法制度", points=500, guidance="", evidence=("学法计划",))
    (changed,) = [c for c in diff_standards(example_standard(), new).indicators.changed if c.code == "1.1"]
    assert changed.fields() == ("title", "points", "guidance", "evidence")
    assert changed.changes[1] == FieldChange("points", 400, 500)
    assert changed.changes[3] == FieldChange("evidence", ("学法计划", "学法记录"), ("学法计划",))


def test_a_rule_kind_change_lists_the_kind_and_the_parameters_that_differ():
    new = replace_child(example_standard(), "1.3", rule=spec.Rule(spec.MANUAL, step=100))
    (changed,) = diff_standards(example_standard(), new).indicators.changed
    assert changed.changes == (
        FieldChange("rule", "deduction", "manual"),
        FieldChange("step", None, 100),
        FieldChange("per", 100, None),
    )


def test_a_threshold_or_metric_change_alone_is_reported():
    old = example_standard()
    rule = old.indicators[0].children[3].rule
    new = replace_child(old, "1.4", rule=dataclasses.replace(rule, zero_at=Decimal("0.5"), metric=None))
    (changed,) = diff_standards(old, new).indicators.changed
    assert changed.changes == (
        FieldChange("zero_at", Decimal("0.6"), Decimal("0.5")),
        FieldChange("metric", "disputes.mediation_success_rate", None),
    )


def test_checklist_items_and_tiers_are_compared_as_a_whole():
    old = example_standard()
    tiers = (spec.Tier(Decimal("3"), 300), spec.Tier(Decimal("0"), 0))
    new = replace_child(old, "1.5", rule=spec.Rule(spec.TIERS, tiers=tiers))
    (changed,) = diff_standards(old, new).indicators.changed
    assert changed.changes == (
        FieldChange(
            "tiers",
            ((Decimal("2"), 300), (Decimal("1"), 150), (Decimal("0"), 0)),
            ((Decimal("3"), 300), (Decimal("0"), 0)),
        ),
    )


def test_moving_an_indicator_is_a_parent_change_and_reordering_is_not_reported():
    old = example_standard()
    area = old.indicators[0]
    reordered = dataclasses.replace(old, indicators=(dataclasses.replace(area, children=area.children[::-1]),))
    assert diff_standards(old, reordered).is_empty
    moved_leaf = area.children[0]
    second = spec.Indicator("2", "依法决策", 400, children=(moved_leaf,))
    moved = dataclasses.replace(
        old, indicators=(dataclasses.replace(area, children=area.children[1:], points=2200), second)
    )
    diff = diff_standards(old, moved).indicators
    assert [c.code for c in diff.changed] == ["1", "1.1"]
    assert diff.changed[1].changes == (FieldChange("parent", "1", "2"),)
    assert [e.code for e in diff.added] == ["2"]


def test_bonus_and_veto_items_added_removed_and_changed():
    old = example_standard()
    new = dataclasses.replace(
        old,
        bonus=(spec.BonusItem("B1", "获得省级以上表彰", 300), spec.BonusItem("B2", "创新案例", 100)),
        veto=(spec.VetoItem("V2", "发生群体性事件"),),
    )
    diff = diff_standards(old, new)
    assert diff.bonus.changed[0].changes == (FieldChange("points", 200, 300),)
    assert diff.bonus.added == (Entry("B2", "创新案例", 100),)
    assert diff.veto.added == (Entry("V2", "发生群体性事件"),)
    assert diff.veto.removed == (Entry("V1", "发生重大违法行政案件"),)
    assert not diff.indicators and not diff.header
