"""Every validation rule of a scoring standard: each broken rule is reported with its place and rule, all together."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from fazhi.indicators import spec
from fazhi.indicators.formats import dump_xlsx, load_xlsx, load_yaml, read_document
from fazhi.indicators.validation import StandardInvalid, validate

EXAMPLE = yaml.safe_load((Path(__file__).parent / "fixtures" / "issue3-example.yaml").read_text("utf-8"))


def document() -> dict:
    return copy.deepcopy(EXAMPLE)


def node(doc: dict, code: str) -> dict:
    def find(nodes):
        for item in nodes:
            if item["code"] == code:
                return item
            found = find(item.get("children", []))
            if found is not None:
                return found
        return None

    found = find(doc["indicators"])
    assert found is not None, code
    return found


def errors_of(doc: dict) -> list[tuple[str, str]]:
    """(where, rule) of every error the YAML reader reports for ``doc``."""
    return errors_of_bytes(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode())


def errors_of_bytes(data: bytes, **options) -> list[tuple[str, str]]:
    with pytest.raises(StandardInvalid) as caught:
        load_yaml(data, **options)
    for error in caught.value.errors:
        assert str(error.message)  # every message formats with its parameters
    return [(error.where, error.rule) for error in caught.value.errors]


def test_the_example_is_valid():
    assert validate(read_document(document())) == []


def test_duplicate_codes():
    doc = document()
    node(doc, "1.2")["code"] = "1.3"
    assert errors_of(doc) == [("1.3", "duplicate_code")]


def test_duplicate_code_between_an_indicator_and_a_bonus_item():
    doc = document()
    doc["bonus"][0]["code"] = "1.1"
    assert ("1.1", "duplicate_code") in errors_of(doc)


def test_leaf_points_not_summing_to_the_total():
    doc = document()
    doc["total"] = 100
    assert errors_of(doc) == [("total", "total")]


def test_checklist_items_not_summing_to_the_leaf_points():
    doc = document()
    node(doc, "1.2")["items"].pop()
    assert errors_of(doc) == [("1.2", "checklist_sum")]


def test_tiers_not_strictly_descending():
    doc = document()
    node(doc, "1.5")["tiers"] = [{"min": 1, "points": 3}, {"min": 1, "points": 1.5}, {"min": 0, "points": 0}]
    assert errors_of(doc) == [("1.5", "tiers_order")]


def test_tiers_without_a_floor():
    doc = document()
    node(doc, "1.5")["tiers"] = [{"min": 2, "points": 3}, {"min": 1, "points": 1.5}]
    assert errors_of(doc) == [("1.5", "tiers_floor")]


def test_a_negative_floor_is_a_floor():
    doc = document()
    node(doc, "1.5")["tiers"][-1]["min"] = -1
    assert validate(read_document(doc)) == []


def test_a_lower_tier_worth_more_than_a_higher_one():
    doc = document()
    node(doc, "1.5")["tiers"] = [{"min": 2, "points": 1}, {"min": 1, "points": 3}, {"min": 0, "points": 0}]
    assert errors_of(doc) == [("1.5", "tiers_points_order")]


def test_a_tier_worth_more_than_its_leaf():
    doc = document()
    node(doc, "1.5")["tiers"][0]["points"] = 4
    assert errors_of(doc) == [("1.5", "tier_points")]


def test_full_at_not_above_zero_at():
    doc = document()
    node(doc, "1.4").update(full_at=0.6, zero_at=0.6)
    assert errors_of(doc) == [("1.4", "ratio_order")]


@pytest.mark.parametrize(("key", "value"), [("full_at", 1.5), ("zero_at", -0.1)])
def test_ratio_thresholds_outside_zero_to_one(key, value):
    doc = document()
    node(doc, "1.4")[key] = value
    assert errors_of(doc) == [("1.4", "ratio_range")]


def test_negative_points():
    doc = document()
    node(doc, "1.3")["points"] = -5
    doc["total"], doc["pass_score"] = 16, 12
    assert errors_of(doc) == [("1.3", "negative")]


@pytest.mark.parametrize("value", ["五分", True, [1]])
def test_non_numeric_points(value):
    doc = document()
    node(doc, "1.3")["points"] = value
    # The sums are not checked while a number cannot be read: the cause is already reported.
    assert errors_of(doc) == [("1.3", "number")]


def test_points_with_more_than_two_decimals():
    doc = document()
    node(doc, "1.1")["points"] = 4.005
    assert errors_of(doc) == [("1.1", "precision")]


def test_points_in_hundredths_are_exact():
    doc = document()
    node(doc, "1.1").update(points=3.75, step=0.25)
    node(doc, "1.3")["points"] = 5.25
    assert read_document(doc).leaves()[0].points == 375


def test_a_node_with_children_and_a_rule():
    doc = document()
    node(doc, "1")["rule"] = "manual"
    assert errors_of(doc) == [("1", "children_and_rule")]


def test_a_branch_with_rule_parameters():
    doc = document()
    node(doc, "1")["per"] = 1
    assert errors_of(doc) == [("1", "rule_parameter")]


def test_a_branch_whose_points_are_not_its_childrens_sum():
    doc = document()
    node(doc, "1")["points"] = 30
    assert errors_of(doc) == [("1", "branch_points")]


def test_unknown_rule_kind():
    doc = document()
    node(doc, "1.1")["rule"] = "vote"
    assert errors_of(doc) == [("1.1", "rule_kind")]


def test_a_parameter_of_another_rule_kind():
    doc = document()
    node(doc, "1.1")["per"] = 1
    assert errors_of(doc) == [("1.1", "rule_parameter")]


def test_metric_only_on_ratio_and_tiers():
    doc = document()
    node(doc, "1.3")["metric"] = "cases.count"
    assert errors_of(doc) == [("1.3", "rule_parameter")]


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda doc: doc.update(weight=1), "file"),
        (lambda doc: node(doc, "1.1").update(weight=1), "1.1"),
        (lambda doc: node(doc, "1.2")["items"][0].update(note="x"), "1.2"),
        (lambda doc: node(doc, "1.5")["tiers"][0].update(max=3), "1.5"),
        (lambda doc: doc["bonus"][0].update(note="x"), "B1"),
        (lambda doc: doc["veto"][0].update(points=1), "V1"),
    ],
)
def test_unknown_keys_anywhere(change, where):
    doc = document()
    change(doc)
    assert errors_of(doc) == [(where, "unknown_key")]


def test_bonus_items_without_a_bonus_cap():
    doc = document()
    del doc["bonus_cap"]
    assert errors_of(doc) == [("bonus_cap", "bonus_cap")]


def test_no_bonus_cap_is_fine_without_bonus_items():
    doc = document()
    del doc["bonus_cap"], doc["bonus"]
    assert read_document(doc).bonus_cap is None


@pytest.mark.parametrize("indicators", [[], None])
def test_empty_tree(indicators):
    doc = document()
    doc["indicators"] = indicators
    assert ("indicators", "empty") in errors_of(doc)


def test_empty_children():
    doc = document()
    node(doc, "1")["children"] = []
    assert ("1", "empty") in errors_of(doc)


@pytest.mark.parametrize("fmt", ["fazhi-standard/2", "other"])
def test_unknown_format_is_the_only_error(fmt):
    doc = document()
    doc["format"] = fmt
    doc["total"] = "lots"  # not reported: nothing else of a file in an unknown format is checked
    assert errors_of(doc) == [("format", "format")]


def test_missing_format():
    doc = document()
    del doc["format"]
    assert errors_of(doc) == [("format", "required")]


def test_not_utf8():
    data = (Path(__file__).parent / "fixtures" / "issue3-example.yaml").read_text("utf-8").encode("gb18030")
    assert errors_of_bytes(data) == [("file", "encoding")]


def test_a_utf8_byte_order_mark_is_accepted():
    data = (Path(__file__).parent / "fixtures" / "issue3-example.yaml").read_bytes()
    assert load_yaml(b"\xef\xbb\xbf" + data).code == "yfxz-county"


def test_alias_bomb():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]" for i in range(8)]
    assert errors_of_bytes("\n".join(lines).encode()) == [("file", "alias")]


def test_a_single_anchor_is_refused_too():
    data = (Path(__file__).parent / "fixtures" / "issue3-example.yaml").read_text("utf-8")
    data = data.replace("title: 领导干部学法用法", "title: &t 领导干部学法用法")
    assert errors_of_bytes(data.encode()) == [("file", "alias")]


def test_excessive_nesting():
    assert errors_of_bytes(b"a: " + b"[" * 100 + b"]" * 100) == [("file", "depth")]


def test_a_file_over_the_size_limit():
    data = (Path(__file__).parent / "fixtures" / "issue3-example.yaml").read_bytes()
    assert errors_of_bytes(data, max_bytes=1024) == [("file", "size")]
    assert load_yaml(data, max_bytes=len(data)).code == "yfxz-county"


def test_not_yaml_at_all():
    assert errors_of_bytes(b"format: [unclosed") == [("file", "yaml")]
    assert errors_of_bytes(b"- just\n- a list\n") == [("file", "type")]


def test_duplicate_keys_in_one_mapping():
    data = (Path(__file__).parent / "fixtures" / "issue3-example.yaml").read_text("utf-8")
    assert errors_of_bytes(data.replace("total: 26", "total: 26\ntotal: 27").encode()) == [("file", "duplicate_key")]


def test_bad_standard_code():
    doc = document()
    doc["code"] = "YFXZ County"
    assert errors_of(doc) == [("code", "code_pattern")]


def test_bad_indicator_code():
    doc = document()
    node(doc, "1.1")["code"] = "1 1"
    assert errors_of(doc) == [("1 1", "code_pattern")]


def test_pass_score_above_total():
    doc = document()
    doc["pass_score"] = 27
    assert errors_of(doc) == [("pass_score", "pass_score")]


def test_manual_step_not_dividing_the_points():
    doc = document()
    node(doc, "1.1")["step"] = 3
    assert errors_of(doc) == [("1.1", "step")]


def test_default_step_must_divide_the_points_too():
    doc = document()
    leaf = node(doc, "1.1")
    del leaf["step"]
    leaf["points"] = 4.25
    doc["total"] = 26.25
    assert errors_of(doc) == [("1.1", "step")]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda doc: doc.pop("title"), ("title", "required")),
        (lambda doc: doc.pop("version"), ("version", "required")),
        (lambda doc: doc.pop("code"), ("code", "required")),
        (lambda doc: doc.pop("total"), ("total", "required")),
        (lambda doc: node(doc, "1.1").pop("title"), ("1.1", "required")),
        (lambda doc: node(doc, "1.1").pop("rule"), ("1.1", "required")),
        (lambda doc: node(doc, "1.3").pop("per"), ("1.3", "required")),
        (lambda doc: node(doc, "1.4").pop("full_at"), ("1.4", "required")),
        (lambda doc: node(doc, "1.5").pop("tiers"), ("1.5", "required")),
        (lambda doc: node(doc, "1.2").pop("items"), ("1.2", "required")),
        (lambda doc: doc["veto"][0].pop("title"), ("V1", "required")),
    ],
)
def test_missing_required_keys(change, expected):
    doc = document()
    change(doc)
    assert errors_of(doc) == [expected]


def test_a_leaf_without_points():
    doc = document()
    del node(doc, "1.3")["points"]
    assert errors_of(doc) == [("1.3", "required")]


def test_every_error_of_a_file_is_reported_together():
    doc = document()
    doc["code"] = "Bad Code"
    doc["pass_score"] = 99
    del doc["bonus_cap"]
    node(doc, "1.2")["items"].pop()
    node(doc, "1.4").update(full_at=0.5, zero_at=0.7)
    node(doc, "1.5")["tiers"] = [{"min": 1, "points": 3}, {"min": 2, "points": 1}]
    node(doc, "1.1")["rule"] = "guess"
    node(doc, "1.3")["colour"] = "red"
    assert sorted(errors_of(doc)) == sorted(
        [
            ("1.3", "unknown_key"),
            ("code", "code_pattern"),
            ("pass_score", "pass_score"),
            ("bonus_cap", "bonus_cap"),
            ("1.1", "rule_kind"),
            ("1.2", "checklist_sum"),
            ("1.4", "ratio_order"),
            ("1.5", "tiers_order"),
            ("1.5", "tiers_floor"),
        ]
    )


def test_errors_name_the_code_and_the_rule_in_their_text():
    doc = document()
    node(doc, "1.2")["items"].pop()
    with pytest.raises(StandardInvalid) as caught:
        load_yaml(yaml.safe_dump(doc, allow_unicode=True).encode())
    assert str(caught.value) == "1.2: the checklist items sum to 9 points, not the leaf's 10 [checklist_sum]"


# --- validate() over a spec built in code (as the database and the pages build it) -----------------


def small(**changes) -> spec.Standard:
    leaf = spec.Indicator(code="1.1", title="学法", points=400, rule=spec.Rule(spec.MANUAL))
    values = {
        "code": "s",
        "version": "1",
        "title": "标准",
        "total": 400,
        "indicators": (spec.Indicator(code="1", title="一", points=400, children=(leaf,)),),
    }
    values.update(changes)
    return spec.Standard(**values)


def rules_of(standard: spec.Standard) -> list[tuple[str, str]]:
    return [(error.where, error.rule) for error in validate(standard)]


def test_validate_a_valid_spec():
    assert rules_of(small()) == []


def test_validate_a_leaf_without_a_rule():
    leaf = spec.Indicator(code="1", title="一", points=400)
    assert rules_of(small(indicators=(leaf,))) == [("1", "required")]


def test_validate_a_rule_with_another_kinds_parameters():
    leaf = spec.Indicator(code="1", title="一", points=400, rule=spec.Rule(spec.DEDUCTION, per=100, step=50))
    assert rules_of(small(indicators=(leaf,))) == [("1", "rule_parameter")]


def test_validate_a_branch_whose_points_were_not_summed():
    leaf = spec.Indicator(code="1.1", title="学法", points=400, rule=spec.Rule(spec.MANUAL))
    assert rules_of(small(indicators=(spec.Indicator(code="1", title="一", children=(leaf,)),))) == [
        ("1", "branch_points")
    ]


def test_validate_bonus_points_must_be_positive():
    assert rules_of(small(bonus=(spec.BonusItem("B1", "表彰", 0),), bonus_cap=100)) == [("B1", "bonus_points")]


def test_validate_control_characters_in_titles():
    assert rules_of(small(title="标\x07准")) == [("title", "text")]


def test_validate_a_ratio_threshold_decimal():
    leaf = spec.Indicator(
        code="1", title="一", points=400, rule=spec.Rule(spec.RATIO, full_at=Decimal("1.01"), zero_at=Decimal(0))
    )
    assert rules_of(small(indicators=(leaf,))) == [("1", "ratio_range")]


# --- XLSX-only structure ---------------------------------------------------------------------------


def test_xlsx_carries_the_same_errors():
    doc = document()
    standard = read_document(doc)
    broken = spec.Standard(**{**standard.__dict__, "total": 10_000})
    with pytest.raises(StandardInvalid) as caught:
        load_xlsx(dump_xlsx(broken))
    assert [(e.where, e.rule) for e in caught.value.errors] == [("total", "total")]


def test_xlsx_that_is_not_a_workbook():
    with pytest.raises(StandardInvalid) as caught:
        load_xlsx(b"PK\x03\x04 not really a zip")
    assert [(e.where, e.rule) for e in caught.value.errors] == [("file", "xlsx")]


def test_xlsx_over_the_size_limit():
    data = dump_xlsx(read_document(document()))
    with pytest.raises(StandardInvalid) as caught:
        load_xlsx(data, max_bytes=1024)
    assert [(e.where, e.rule) for e in caught.value.errors] == [("file", "size")]


def test_xlsx_zip_bomb():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * 30_000_000)
    with pytest.raises(StandardInvalid) as caught:
        load_xlsx(buffer.getvalue())
    assert [(e.where, e.rule) for e in caught.value.errors] == [("file", "size")]


def test_xlsx_titles_that_look_like_formulas_stay_text():
    doc = document()
    node(doc, "1.1")["title"] = "=SUM(A1:A9)"
    standard = read_document(doc)
    assert load_xlsx(dump_xlsx(standard)).indicators[0].children[0].title == "=SUM(A1:A9)"


def test_a_node_without_a_code_is_named_by_its_position_once():
    doc = document()
    del node(doc, "1.3")["code"]
    assert errors_of(doc) == [("1.children[3]", "required")]
