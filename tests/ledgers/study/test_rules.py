"""The study ledger's pure rules: each rule at its boundary, without a database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.ledgers.study import rules
from fazhi.ledgers.study.rules import AttendeeEntry, Figures

TODAY = dt.date(2026, 6, 1)


def rule_names(problems) -> list[str]:
    return [p.rule for p in problems]


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        (None, ["study.hours_required"]),
        (Decimal("0"), ["study.hours_positive"]),
        (Decimal("-1"), ["study.hours_positive"]),
        (Decimal("0.1"), []),
        (Decimal("40"), []),
        (Decimal("40.1"), ["study.hours_too_many"]),
        (Decimal("1.25"), ["study.hours_precision"]),
    ],
)
def test_hours_are_positive_bounded_and_in_tenths(hours, expected):
    assert rule_names(rules.hours_problems(hours, max_hours=40)) == expected


def test_the_most_hours_is_the_figure_passed_in():
    assert rule_names(rules.hours_problems(Decimal("8"), max_hours=8)) == []
    assert rule_names(rules.hours_problems(Decimal("8.5"), max_hours=8)) == ["study.hours_too_many"]


def test_a_session_is_recorded_on_or_after_its_day():
    ok = rules.session_problems(kind="lecture", date=TODAY, hours=Decimal(2), today=TODAY, max_hours=40)
    late = rules.session_problems(
        kind="lecture", date=TODAY + dt.timedelta(days=1), hours=Decimal(2), today=TODAY, max_hours=40
    )
    assert ok == []
    assert rule_names(late) == ["study.date_in_future"]
    assert late[0].field == "date"


@pytest.mark.parametrize(
    ("cell", "names", "hours"),
    [
        ("张伟、李娜", ["张伟", "李娜"], [None, None]),
        ("张伟,李娜，王芳;赵强；孙丽", ["张伟", "李娜", "王芳", "赵强", "孙丽"], [None] * 5),
        ("张伟(2.5)、李娜（1）", ["张伟", "李娜"], [Decimal("2.5"), Decimal("1")]),
        (" 张伟 、、 ", ["张伟"], [None]),
        ("", [], []),
    ],
)
def test_attendees_are_split_on_chinese_and_latin_separators(cell, names, hours):
    entries, problems = rules.parse_attendees(cell)
    assert problems == []
    assert [e.name for e in entries] == names
    assert [e.hours for e in entries] == hours


def test_hours_in_brackets_that_are_not_a_number_are_named():
    entries, problems = rules.parse_attendees("张伟(两小时)、李娜")
    assert [e.name for e in entries] == ["李娜"]
    assert "张伟(两小时)" in str(problems[0])


def test_attendees_must_be_known_once_and_individual_hours_only_online():
    known = {"张伟", "李娜"}
    entries = [AttendeeEntry("张伟", None), AttendeeEntry("张伟", None), AttendeeEntry("王芳", None)]
    found = rules.attendance_problems(kind="lecture", entries=entries, known_names=known, max_hours=40)
    assert rule_names(found) == ["study.attendee_twice", "study.attendee_unknown"]
    lecture = rules.attendance_problems(
        kind="lecture", entries=[AttendeeEntry("张伟", Decimal(2))], known_names=known, max_hours=40
    )
    assert rule_names(lecture) == ["study.individual_hours_online_only"]
    online = rules.attendance_problems(
        kind="online_course", entries=[AttendeeEntry("张伟", Decimal(2))], known_names=known, max_hours=40
    )
    assert online == []
    too_many = rules.attendance_problems(
        kind="online_course", entries=[AttendeeEntry("张伟", Decimal(41))], known_names=known, max_hours=40
    )
    assert rule_names(too_many) == ["study.individual_hours"]


def test_the_pre_appointment_test_comes_on_or_before_the_appointment():
    day = dt.date(2026, 3, 1)
    assert rules.appointment_problems(appointed_on=day, tested_on=day, score=80, today=TODAY) == []
    assert rules.appointment_problems(appointed_on=day, tested_on=None, score=None, today=TODAY) == []
    late = rules.appointment_problems(appointed_on=day, tested_on=day + dt.timedelta(days=1), score=None, today=TODAY)
    assert rule_names(late) == ["study.test_after_appointment"]
    assert rule_names(rules.appointment_problems(appointed_on=day, tested_on=None, score=90, today=TODAY)) == [
        "study.score_without_test"
    ]
    assert rule_names(rules.appointment_problems(appointed_on=day, tested_on=day, score=101, today=TODAY)) == [
        "study.score_range"
    ]


def test_a_publicity_event_has_participants_and_has_taken_place():
    assert rules.publicity_problems(date=TODAY, participants=1, materials=0, today=TODAY) == []
    assert rule_names(rules.publicity_problems(date=TODAY, participants=0, materials=0, today=TODAY)) == [
        "study.participants_positive"
    ]
    future = rules.publicity_problems(date=TODAY + dt.timedelta(days=1), participants=5, materials=0, today=TODAY)
    assert rule_names(future) == ["study.date_in_future"]


FIGURES = Figures(hours_per_year=40, central_group_min=1, central_group_max=2, seminars_min=2, hearings_min=2)


@pytest.mark.parametrize(
    ("is_area", "level", "is_department", "kinds"),
    [
        (True, 1, False, ("central_group", "seminar", "report_hearing")),
        (True, 3, False, ("central_group", "seminar", "report_hearing")),
        (True, 4, False, ("central_group",)),
        (False, 3, True, ("central_group",)),
        (False, 4, True, ()),
        (True, 5, False, ()),
        (False, 3, False, ()),
    ],
)
def test_which_organisations_owe_which_sessions(is_area, level, is_department, kinds):
    assert rules.applicable_kinds(is_area=is_area, level=level, is_department=is_department) == kinds


def test_requirements_count_against_the_figures():
    kinds = ("central_group", "seminar", "report_hearing")
    found = rules.requirements(kinds, {"central_group": 3, "seminar": 1}, FIGURES)
    central, seminar, hearing = found
    assert (central.held, central.counted, central.met, central.maximum) == (3, 2, True, 2)
    assert (seminar.held, seminar.required, seminar.met, seminar.missing) == (1, 2, False, 1)
    assert (hearing.held, hearing.met, hearing.missing) == (0, False, 2)
    at_minimum = rules.requirements(kinds, {"central_group": 1, "seminar": 2, "report_hearing": 2}, FIGURES)
    assert all(r.met for r in at_minimum)


def test_hours_met_at_exactly_the_requirement():
    assert rules.hours_met(Decimal("40"), 40)
    assert not rules.hours_met(Decimal("39.9"), 40)
