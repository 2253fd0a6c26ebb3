"""The pure rules: each rule and its boundary."""

import datetime as dt

import pytest

from fazhi.ledgers.enforcement import rules
from fazhi.ledgers.enforcement.checklist import CHECKLIST, CHECKLIST_TOTAL

D = dt.date


def fields(problems):
    return [field for field, _problem in problems]


def test_checklist_sums_to_100_and_codes_are_unique():
    assert CHECKLIST_TOTAL == 100
    assert len({item.code for item in CHECKLIST}) == len(CHECKLIST)


def test_certificate_must_expire_after_it_is_issued():
    assert rules.certificate_problems(number="A1", issued_on=D(2025, 1, 1), expires_on=D(2025, 1, 2)) == []
    assert fields(rules.certificate_problems(number="A1", issued_on=D(2025, 1, 1), expires_on=D(2025, 1, 1))) == [
        "expires_on"
    ]
    assert fields(rules.certificate_problems(number="", issued_on=None, expires_on=None)) == [
        "number",
        "issued_on",
        "expires_on",
    ]


@pytest.mark.parametrize(
    ("id_number", "ok"), [("990101198001011234", True), ("99010119800101123X", True), ("12", False), ("ab12", False)]
)
def test_id_number_shape(id_number, ok):
    assert (rules.officer_problems(name="张三", id_number=id_number) == []) is ok


def test_leaving_the_post_must_follow_taking_it_up():
    assert rules.officer_problems(name="张三", id_number="12345", joined_on=D(2025, 1, 1), left_on=D(2025, 1, 2)) == []
    problems = rules.officer_problems(name="张三", id_number="12345", joined_on=D(2025, 1, 1), left_on=D(2025, 1, 1))
    assert fields(problems) == ["left_on"]


def test_an_officer_not_yet_in_post_is_not_in_post():
    kwargs = {"left_on": None, "certificates": CERT, "exams": [], "pass_mark": 60}
    assert rules.officer_status(on=D(2025, 6, 1), joined_on=D(2025, 6, 2), **kwargs) == rules.LEFT
    assert rules.officer_status(on=D(2025, 6, 2), joined_on=D(2025, 6, 2), **kwargs) == rules.ACTIVE


def test_exam_score_range_and_absence():
    assert rules.exam_problems("general", score=0, absence="") == []
    assert rules.exam_problems("general", score=100, absence="") == []
    assert fields(rules.exam_problems("general", score=101, absence="")) == ["general_score"]
    assert fields(rules.exam_problems("special", score=50, absence=rules.EXCUSED)) == ["special_score"]
    assert rules.exam_problems("special", score=None, absence=rules.UNEXCUSED) == []


@pytest.mark.parametrize(
    ("score", "absence", "outcome"),
    [
        (60, "", rules.PASSED),
        (59, "", rules.FAILED),
        (None, "", rules.NOT_RECORDED),
        (None, rules.EXCUSED, rules.EXCUSED),
        (None, rules.UNEXCUSED, rules.UNEXCUSED),
    ],
)
def test_exam_outcome_at_the_pass_mark(score, absence, outcome):
    assert rules.exam_outcome(score, absence, 60) == outcome


CERT = [(D(2024, 1, 1), D(2026, 12, 31))]


@pytest.mark.parametrize(
    ("on", "left_on", "certificates", "exams", "status"),
    [
        (D(2025, 6, 1), None, CERT, [(80, ""), (70, "")], rules.ACTIVE),
        (D(2025, 6, 1), None, CERT, [(59, ""), (70, "")], rules.SUSPENDED),
        (D(2025, 6, 1), None, CERT, [(None, rules.UNEXCUSED)], rules.SUSPENDED),
        (D(2025, 6, 1), None, CERT, [(None, rules.EXCUSED), (None, "")], rules.ACTIVE),
        (D(2026, 12, 31), None, CERT, [], rules.ACTIVE),  # the expiry day is still valid
        (D(2027, 1, 1), None, CERT, [], rules.EXPIRED),
        (D(2023, 12, 31), None, CERT, [], rules.EXPIRED),  # not yet issued
        (D(2025, 6, 1), None, [], [], rules.EXPIRED),
        (D(2025, 6, 1), None, [], [(10, "")], rules.EXPIRED),  # no certificate outranks a failed exam
        (D(2025, 6, 1), D(2025, 6, 1), CERT, [], rules.LEFT),
        (D(2025, 6, 1), D(2025, 6, 2), CERT, [], rules.ACTIVE),
    ],
)
def test_officer_status(on, left_on, certificates, exams, status):
    assert rules.officer_status(on=on, left_on=left_on, certificates=certificates, exams=exams, pass_mark=60) == status


def test_case_file_items_sum_and_bounds():
    full = {item.code: item.points for item in CHECKLIST}
    assert rules.case_file_problems(year=2025, reviewed_on=D(2025, 12, 1), score=None, items=full) == []
    assert rules.case_file_problems(year=2025, reviewed_on=D(2025, 12, 1), score=100, items=full) == []
    assert fields(rules.case_file_problems(year=2025, reviewed_on=D(2025, 12, 1), score=99, items=full)) == ["score"]
    too_many = full | {"facts": 26}
    assert fields(rules.case_file_problems(year=2025, reviewed_on=D(2025, 12, 1), score=None, items=too_many)) == [
        "item_facts"
    ]
    assert fields(rules.case_file_problems(year=2025, reviewed_on=D(2025, 12, 1), score=None, items={"x": 1})) == [
        "items"
    ]
    assert fields(rules.case_file_problems(year=2025, reviewed_on=D(2025, 12, 1), score=None, items=None)) == ["score"]
    assert fields(rules.case_file_problems(year=2025, reviewed_on=D(2024, 12, 31), score=80, items=None)) == [
        "reviewed_on"
    ]
    assert fields(rules.case_file_problems(year=2025, reviewed_on=D(2025, 1, 1), score=101, items=None)) == ["score"]


@pytest.mark.parametrize(
    ("score", "grade"), [(90, rules.EXCELLENT), (89, rules.PASS), (60, rules.PASS), (59, rules.FAIL), (0, rules.FAIL)]
)
def test_case_file_grade_boundaries(score, grade):
    assert rules.case_file_grade(score, excellent=90, pass_mark=60) == grade
