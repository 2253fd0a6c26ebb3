"""The pure rules of the ledger "Law study and publicity": plain data in, ``Problem``s out. No Django.

The figures (hours a year, sessions a year, most hours a session) come from settings and are passed in.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from fazhi.core.problems import Problem, gettext_noop

# Session kinds (the model's choices use these values).
CENTRAL_GROUP = "central_group"
PRE_MEETING = "pre_meeting"
SEMINAR = "seminar"
LECTURE = "lecture"
ONLINE_COURSE = "online_course"
REPORT_HEARING = "report_hearing"

# Administrative levels (as fazhi.orgs.rules numbers them; repeated here to keep this module free of other apps).
COUNTY_LEVEL = 3
TOWNSHIP_LEVEL = 4


@dataclass(frozen=True)
class FieldProblem:
    field: str
    rule: str  # "study.<rule>"
    problem: Problem


def _p(field: str, rule: str, message: str, **params) -> FieldProblem:
    return FieldProblem(field, f"study.{rule}", Problem(message, params))


# ---------------------------------------------------------------------------------------------
# Hours


def hours_problems(hours: Decimal | None, *, max_hours: int, field: str = "hours") -> list[FieldProblem]:
    """Hours are more than 0, at most ``max_hours``, in tenths of an hour at most."""
    if hours is None:
        return [_p(field, "hours_required", gettext_noop("the hours are required"))]
    if hours <= 0:
        return [_p(field, "hours_positive", gettext_noop("the hours must be more than 0"))]
    if hours > max_hours:
        return [
            _p(
                field,
                "hours_too_many",
                gettext_noop("at most %(max)s hours for one session"),
                max=max_hours,
            )
        ]
    if hours != hours.quantize(Decimal("0.1")):
        return [_p(field, "hours_precision", gettext_noop("hours are recorded to a tenth of an hour (e.g. 1.5)"))]
    return []


def parse_hours(value) -> Decimal:
    """A number of hours from text or a number; ValueError when it is not one."""
    if isinstance(value, bool):
        raise ValueError(value)
    try:
        number = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise ValueError(value) from None
    if not number.is_finite():
        raise ValueError(value)
    return number


# ---------------------------------------------------------------------------------------------
# Sessions and attendance


def session_problems(
    *, kind: str, date: dt.date, hours: Decimal | None, today: dt.date, max_hours: int
) -> list[FieldProblem]:
    problems = []
    if date > today:
        problems.append(
            _p("date", "date_in_future", gettext_noop("a session is recorded once it has taken place, not before"))
        )
    problems += hours_problems(hours, max_hours=max_hours)
    return problems


@dataclass(frozen=True)
class AttendeeEntry:
    name: str
    hours: Decimal | None  # individual hours (online courses), None: the session's hours


_SEPARATORS = re.compile(r"[、,，;；\n]+")
_WITH_HOURS = re.compile(r"^(?P<name>.+?)\s*[（(]\s*(?P<hours>[^()（）]*)\s*[）)]$")


def parse_attendees(cell: str) -> tuple[list[AttendeeEntry], list[Problem]]:
    """Names separated by 、 , ， ; or new lines; a name may carry individual hours: 张三(2.5) or 张三（2.5）."""
    entries, problems = [], []
    for part in _SEPARATORS.split(cell or ""):
        part = part.strip()
        if not part:
            continue
        match = _WITH_HOURS.match(part)
        if match is None:
            entries.append(AttendeeEntry(part, None))
            continue
        try:
            hours = parse_hours(match["hours"])
        except ValueError:
            problems.append(
                Problem(gettext_noop("“%(entry)s”: the hours in brackets are not a number"), {"entry": part})
            )
            continue
        entries.append(AttendeeEntry(match["name"].strip(), hours))
    return entries, problems


def attendance_problems(
    *, kind: str, entries: list[AttendeeEntry], known_names: set[str], max_hours: int
) -> list[FieldProblem]:
    """Each attendee is a (active) learner of the session's organisation, named once; individual hours only
    for an online course, and then within the limits of a session's hours."""
    problems = []
    seen: set[str] = set()
    for entry in entries:
        if entry.name in seen:
            problems.append(
                _p("attendees", "attendee_twice", gettext_noop("%(name)s is listed twice"), name=entry.name)
            )
        seen.add(entry.name)
        if entry.name not in known_names:
            problems.append(
                _p(
                    "attendees",
                    "attendee_unknown",
                    gettext_noop(
                        "%(name)s is not an active learner of this organisation (add them as a learner first)"
                    ),
                    name=entry.name,
                )
            )
        if entry.hours is not None:
            if kind != ONLINE_COURSE:
                problems.append(
                    _p(
                        "attendees",
                        "individual_hours_online_only",
                        gettext_noop("individual hours (%(name)s) are kept for online courses only"),
                        name=entry.name,
                    )
                )
            elif hours_problems(entry.hours, max_hours=max_hours):
                problems.append(
                    _p(
                        "attendees",
                        "individual_hours",
                        gettext_noop(
                            "%(name)s: individual hours must be more than 0 and at most %(max)s, to a tenth of an hour"
                        ),
                        name=entry.name,
                        max=max_hours,
                    )
                )
    return problems


# ---------------------------------------------------------------------------------------------
# Standing meetings, appointments, publicity


def meeting_problems(*, date: dt.date, today: dt.date) -> list[FieldProblem]:
    if date > today:
        return [_p("date", "date_in_future", gettext_noop("a meeting is recorded once it has taken place, not before"))]
    return []


def appointment_problems(
    *, appointed_on: dt.date, tested_on: dt.date | None, score: int | None, today: dt.date
) -> list[FieldProblem]:
    problems = []
    if tested_on is not None and tested_on > appointed_on:
        problems.append(
            _p(
                "tested_on",
                "test_after_appointment",
                gettext_noop("the pre-appointment law test must be taken on or before the appointment date"),
            )
        )
    if tested_on is not None and tested_on > today:
        problems.append(_p("tested_on", "date_in_future", gettext_noop("a test is recorded once it has been taken")))
    if score is not None and tested_on is None:
        problems.append(_p("score", "score_without_test", gettext_noop("a score needs the date of the test")))
    if score is not None and not 0 <= score <= 100:
        problems.append(_p("score", "score_range", gettext_noop("the score is from 0 to 100")))
    return problems


def publicity_problems(*, date: dt.date, participants: int, materials: int, today: dt.date) -> list[FieldProblem]:
    problems = []
    if date > today:
        problems.append(
            _p("date", "date_in_future", gettext_noop("an event is recorded once it has taken place, not before"))
        )
    if participants < 1:
        problems.append(_p("participants", "participants_positive", gettext_noop("at least 1 participant")))
    if materials < 0:
        problems.append(
            _p("materials", "materials_negative", gettext_noop("the number of materials cannot be negative"))
        )
    return problems


# ---------------------------------------------------------------------------------------------
# Yearly requirements


@dataclass(frozen=True)
class Figures:
    hours_per_year: int
    central_group_min: int
    central_group_max: int
    seminars_min: int
    hearings_min: int


@dataclass(frozen=True)
class Requirement:
    kind: str  # a session kind
    held: int  # sessions held in the year
    required: int  # the fewest that meet the requirement
    counted: int  # sessions that count towards it (central group: at most the maximum)
    maximum: int | None = None

    @property
    def met(self) -> bool:
        return self.held >= self.required

    @property
    def missing(self) -> int:
        return max(0, self.required - self.held)


def applicable_kinds(*, is_area: bool, level: int, is_department: bool) -> tuple[str, ...]:
    """Which yearly session requirements an organisation owes.

    Governments at county level and above (areas of level province, city or county) owe all three: central-group
    study (❸), law seminars for leaders and standing-meeting hearings of the law-based-administration report (❹).
    Township governments and departments at county level and above owe central-group study only. Villages,
    communities, a township's offices, schools, enterprises and other units owe none.
    """
    if is_area and level <= COUNTY_LEVEL:
        return (CENTRAL_GROUP, SEMINAR, REPORT_HEARING)
    if (is_area and level == TOWNSHIP_LEVEL) or (is_department and level <= COUNTY_LEVEL):
        return (CENTRAL_GROUP,)
    return ()


def requirements(kinds: tuple[str, ...], held: dict[str, int], figures: Figures) -> list[Requirement]:
    result = []
    for kind in kinds:
        count = held.get(kind, 0)
        if kind == CENTRAL_GROUP:
            result.append(
                Requirement(
                    kind,
                    count,
                    figures.central_group_min,
                    min(count, figures.central_group_max),
                    figures.central_group_max,
                )
            )
        elif kind == SEMINAR:
            result.append(Requirement(kind, count, figures.seminars_min, count))
        elif kind == REPORT_HEARING:
            result.append(Requirement(kind, count, figures.hearings_min, count))
    return result


def hours_met(hours: Decimal, required: int) -> bool:
    return hours >= required
