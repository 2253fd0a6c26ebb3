"""The pure rules of the ledger "Administrative enforcement": plain data in, ``Problem``s out. No Django.

The figures (the exam pass mark, the case-file grade marks) come in as arguments: the services read them from
the settings (``FAZHI_EXAM_PASS_MARK``, ``FAZHI_CASE_FILE_EXCELLENT``, ``FAZHI_CASE_FILE_PASS``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal

from fazhi.core.problems import Problem, gettext_noop
from fazhi.ledgers.enforcement.checklist import ITEMS

# Officer status (derived, never stored).
ACTIVE, SUSPENDED, EXPIRED, LEFT = "active", "suspended", "expired", "left"
# An exam's absence: none (sat the exam), with an excuse, without one.
PRESENT, EXCUSED, UNEXCUSED = "", "excused", "unexcused"
# An exam's outcome.
NOT_RECORDED, PASSED, FAILED = "not_recorded", "passed", "failed"
# A case file's grade.
EXCELLENT, PASS, FAIL = "excellent", "pass", "fail"

FIRST_YEAR, LAST_YEAR = 1990, 2100
MAX_TRAINING_HOURS = Decimal(1000)
_ID_NUMBER = re.compile(r"^[0-9A-Z]{4,32}$")


def officer_problems(
    *, name: str, id_number: str, joined_on: dt.date | None = None, left_on: dt.date | None = None
) -> list[tuple[str, Problem]]:
    problems = []
    if joined_on and left_on and left_on <= joined_on:
        problems.append(
            (
                "left_on",
                Problem(
                    gettext_noop("The officer left the post on %(left)s, not after taking it up (%(joined)s)."),
                    {"left": left_on.isoformat(), "joined": joined_on.isoformat()},
                ),
            )
        )
    if not (name or "").strip():
        problems.append(("name", Problem(gettext_noop("Enter the officer's name."))))
    if not _ID_NUMBER.match(id_number or ""):
        problems.append(
            (
                "id_number",
                Problem(gettext_noop("An ID number is 4 to 32 digits or capital letters (e.g. an 18-digit ID card).")),
            )
        )
    return problems


def certificate_problems(
    *, number: str, issued_on: dt.date | None, expires_on: dt.date | None
) -> list[tuple[str, Problem]]:
    problems = []
    if not (number or "").strip():
        problems.append(("number", Problem(gettext_noop("Enter the certificate number."))))
    if issued_on is None:
        problems.append(("issued_on", Problem(gettext_noop("Enter the date the certificate was issued."))))
    if expires_on is None:
        problems.append(("expires_on", Problem(gettext_noop("Enter the date the certificate expires."))))
    if issued_on and expires_on and expires_on <= issued_on:
        problems.append(
            (
                "expires_on",
                Problem(
                    gettext_noop("The certificate expires on %(expires)s, not after it was issued (%(issued)s)."),
                    {"expires": expires_on.isoformat(), "issued": issued_on.isoformat()},
                ),
            )
        )
    return problems


def exam_problems(field: str, *, score: int | None, absence: str) -> list[tuple[str, Problem]]:
    """One exam's result: a score from 0 to 100, or an absence (with or without excuse), or nothing yet."""
    if absence not in (PRESENT, EXCUSED, UNEXCUSED):
        return [(f"{field}_absence", Problem(gettext_noop("Unknown kind of absence.")))]
    if score is not None and not 0 <= score <= 100:
        return [(f"{field}_score", Problem(gettext_noop("A score is from 0 to 100, not %(score)s."), {"score": score}))]
    if score is not None and absence != PRESENT:
        return [(f"{field}_score", Problem(gettext_noop("An officer absent from the exam has no score.")))]
    return []


def officer_year_problems(
    *, year: int, general_score, general_absence: str, special_score, special_absence: str, training_hours
) -> list[tuple[str, Problem]]:
    problems = []
    if not FIRST_YEAR <= year <= LAST_YEAR:
        problems.append(
            (
                "year",
                Problem(gettext_noop("A year from %(first)d to %(last)d."), {"first": FIRST_YEAR, "last": LAST_YEAR}),
            )
        )
    problems += exam_problems("general", score=general_score, absence=general_absence)
    problems += exam_problems("special", score=special_score, absence=special_absence)
    if training_hours is not None and not 0 <= Decimal(training_hours) <= MAX_TRAINING_HOURS:
        problems.append(
            (
                "training_hours",
                Problem(gettext_noop("Training hours are from 0 to %(max)s."), {"max": MAX_TRAINING_HOURS}),
            )
        )
    return problems


def exam_outcome(score: int | None, absence: str, pass_mark: int) -> str:
    if absence:
        return absence
    if score is None:
        return NOT_RECORDED
    return PASSED if score >= pass_mark else FAILED


def suspends(score: int | None, absence: str, pass_mark: int) -> bool:
    """A failed exam or an absence without excuse suspends the officer for the year (❹)."""
    return exam_outcome(score, absence, pass_mark) in (FAILED, UNEXCUSED)


def certificate_valid(issued_on: dt.date, expires_on: dt.date, on: dt.date) -> bool:
    return issued_on <= on <= expires_on


def officer_status(
    *,
    on: dt.date,
    left_on: dt.date | None,
    joined_on: dt.date | None = None,
    certificates: Iterable[tuple[dt.date, dt.date]],
    exams: Iterable[tuple[int | None, str]],
    pass_mark: int,
) -> str:
    """The officer's status on a date.

    ``certificates`` are (issued, expires) pairs; ``exams`` the (score, absence) of the officer's exams of
    ``on``'s year. Not in post (left on or before the date, or taking up the post after it) → left; no certificate
    valid on the date →
    expired; a failed exam or an unexcused absence in the year → suspended; otherwise active.
    """
    if (left_on is not None and left_on <= on) or (joined_on is not None and joined_on > on):
        return LEFT
    if not any(certificate_valid(issued, expires, on) for issued, expires in certificates):
        return EXPIRED
    if any(suspends(score, absence, pass_mark) for score, absence in exams):
        return SUSPENDED
    return ACTIVE


def case_file_score(items: Mapping[str, int]) -> int:
    return sum(items.values())


def case_file_problems(
    *, year: int, reviewed_on: dt.date | None, score: int | None, items: Mapping[str, int] | None
) -> list[tuple[str, Problem]]:
    problems = []
    if not FIRST_YEAR <= year <= LAST_YEAR:
        problems.append(
            (
                "year",
                Problem(gettext_noop("A year from %(first)d to %(last)d."), {"first": FIRST_YEAR, "last": LAST_YEAR}),
            )
        )
    if reviewed_on is None:
        problems.append(("reviewed_on", Problem(gettext_noop("Enter the date of the review."))))
    elif reviewed_on.year < year:
        problems.append(
            (
                "reviewed_on",
                Problem(
                    gettext_noop("A review of %(year)d's case files cannot be dated %(date)s, before that year."),
                    {"year": year, "date": reviewed_on.isoformat()},
                ),
            )
        )
    for code, points in (items or {}).items():
        item = ITEMS.get(code)
        if item is None:
            problems.append(("items", Problem(gettext_noop("Unknown checklist item %(code)s."), {"code": code})))
        elif not 0 <= points <= item.points:
            problems.append(
                (
                    f"item_{code}",
                    Problem(
                        gettext_noop("This item is worth 0 to %(max)d points, not %(points)s."),
                        {"max": item.points, "points": points},
                    ),
                )
            )
    if items:
        total = case_file_score(items)
        if score is not None and score != total:
            problems.append(
                (
                    "score",
                    Problem(
                        gettext_noop("The score %(score)d is not the sum of the checklist items (%(total)d)."),
                        {"score": score, "total": total},
                    ),
                )
            )
    elif score is None:
        problems.append(("score", Problem(gettext_noop("Enter the score, or the checklist items."))))
    elif not 0 <= score <= 100:
        problems.append(("score", Problem(gettext_noop("A score is from 0 to 100, not %(score)s."), {"score": score})))
    return problems


def case_file_grade(score: int, *, excellent: int, pass_mark: int) -> str:
    if score >= excellent:
        return EXCELLENT
    if score >= pass_mark:
        return PASS
    return FAIL
