"""The pure rules of the ledger "Normative documents": plain data in, ``Problem``s out. No Django.

Every statutory figure (validity years, filing days, evaluation months) is an argument: the services read it from
the settings and pass it in, so the rules are tested at their boundaries without a database.
"""

from __future__ import annotations

import calendar
import datetime as dt

from fazhi.core.problems import Problem, gettext_noop

# The words in a title that make a document provisional (暂行) or trial (试行): a shorter validity applies.
PROVISIONAL_WORDS = ("暂行", "试行")

# Statuses, as plain strings (the model's TextChoices uses the same values).
DRAFTING, COMMENT, REVIEW, DECISION, DECIDED, REGISTERED = (
    "drafting",
    "comment",
    "review",
    "decision",
    "decided",
    "registered",
)
IN_FORCE, EXPIRED, REPEALED, REPLACED, INVALID = "in_force", "expired", "repealed", "replaced", "invalid"
ENDED = (EXPIRED, REPEALED, REPLACED, INVALID)

REVIEW_PASS, REVIEW_PASS_WITH_CHANGES, REVIEW_FAIL = "pass", "pass_with_changes", "fail"
REVIEW_PASSED = (REVIEW_PASS, REVIEW_PASS_WITH_CHANGES)


def is_provisional(title: str, flag: bool = False) -> bool:
    """A provisional (暂行) or trial (试行) document: by the explicit flag, or by its title."""
    return bool(flag) or any(word in (title or "") for word in PROVISIONAL_WORDS)


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (29 February becomes 28 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (negative: earlier), clamped to the month's last day."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def latest_expiry(effective_from: dt.date, years: int) -> dt.date:
    """The last day a document in force from ``effective_from`` may stay in force: ``years`` years, so one day
    before the same date ``years`` later (in force 2025-03-01 for 5 years: until 2030-02-28)."""
    return add_years(effective_from, years) - dt.timedelta(days=1)


def validity_problems(
    *,
    title: str,
    provisional: bool,
    effective_from: dt.date | None,
    expires_on: dt.date | None,
    validity_years: int,
    provisional_validity_years: int,
) -> list[tuple[str, Problem]]:
    """(field, problem) for a validity period that is missing, reversed or too long."""
    if effective_from is None or expires_on is None:
        return []
    if expires_on < effective_from:
        return [
            (
                "expires_on",
                Problem(gettext_noop("The expiry date must not be before the date the document takes effect.")),
            )
        ]
    if is_provisional(title, provisional):
        years = provisional_validity_years
        message = gettext_noop(
            "A provisional or trial (暂行/试行) document may be in force for at most %(years)d years: "
            "until %(latest)s at the latest."
        )
    else:
        years = validity_years
        message = gettext_noop(
            "A normative document may be in force for at most %(years)d years: until %(latest)s at the latest."
        )
    latest = latest_expiry(effective_from, years)
    if expires_on > latest:
        return [("expires_on", Problem(message, {"years": years, "latest": latest.isoformat()}))]
    return []


def order_problem(earlier: dt.date | None, later: dt.date | None, field: str, message: str):
    """(field, problem) when ``later`` is before ``earlier`` (both given), else None."""
    if earlier is not None and later is not None and later < earlier:
        return field, Problem(message, {"earlier": earlier.isoformat()})
    return None


def comment_problems(*, affects_rights: bool, comment_start: dt.date | None, comment_end: dt.date | None):
    """A document that affects rights or duties must have gone through public comment (a period recorded)."""
    if affects_rights and (comment_start is None or comment_end is None):
        return [
            (
                "comment_start",
                Problem(
                    gettext_noop(
                        "This document affects citizens' or organisations' rights or duties: it must go through "
                        "public comment first (record the comment period)."
                    )
                ),
            )
        ]
    return []


def registration_problems(*, review_outcome: str, decided_on: dt.date | None) -> list[tuple[str, Problem]]:
    """No registration without a passed legality review and a collective decision."""
    problems = []
    if review_outcome not in REVIEW_PASSED:
        problems.append(
            (
                "review_outcome",
                Problem(gettext_noop("A document cannot be registered before it has passed its legality review.")),
            )
        )
    if decided_on is None:
        problems.append(
            (
                "decided_on",
                Problem(gettext_noop("A document cannot be registered before its collective decision.")),
            )
        )
    return problems


def filing_due(published_on: dt.date, filing_days: int) -> dt.date:
    """The last day to file the document with the government above."""
    return published_on + dt.timedelta(days=filing_days)


def filed_on_time(published_on: dt.date | None, filed_on: dt.date | None, filing_days: int) -> bool | None:
    """True/False once filed; None while not filed."""
    if published_on is None or filed_on is None:
        return None
    return filed_on <= filing_due(published_on, filing_days)


def evaluation_due(expires_on: dt.date, months: int) -> dt.date:
    """The evaluation before expiry is due ``months`` months before the document expires."""
    return add_months(expires_on, -months)


def display_status(status: str, expires_on: dt.date | None, today: dt.date) -> str:
    """The status people see: a document in force past its last day is expired, whatever the daily job did."""
    if status == IN_FORCE and expires_on is not None and expires_on < today:
        return EXPIRED
    return status


def document_number(prefix: str, year: int, serial: int) -> str:
    """The document number as printed: 青政规〔2025〕3号."""
    return f"{prefix}〔{year}〕{serial}号"


def registration_number(office_code: str, year: int, serial: int) -> str:
    """The unified registration number: the registering office's code, the year and a gap-free serial."""
    return f"{office_code}-{year}-{serial:04d}"


def serial_problems(given: list[int], last: int) -> Problem | None:
    """Registration serials given for one office and year, after ``last`` already used: they must continue the
    sequence without gaps or repeats (last + 1, last + 2, …) in some order."""
    if sorted(given) != list(range(last + 1, last + 1 + len(given))):
        return Problem(
            gettext_noop(
                "Registration numbers of one office and year run without gaps: the next ones are %(first)d to %(last)d."
            ),
            {"first": last + 1, "last": last + len(given)},
        )
    return None


# The workflow's dates in order: each one given must not be before any earlier one given.
DATE_CHAIN = (
    "drafted_on",
    "comment_start",
    "comment_end",
    "review_submitted_on",
    "review_reported_on",
    "decided_on",
    "registered_on",
    "published_on",
    "filed_on",
)
# Dates that must not be before publication.
AFTER_PUBLICATION = ("filed_on", "evaluated_on", "ended_on")


def date_order_problems(values: dict[str, dt.date | None]) -> list[tuple[str, Problem]]:
    """(field, problem) for each workflow date that comes before the date of an earlier step."""
    problems = []
    latest: dt.date | None = None
    for field in DATE_CHAIN:
        day = values.get(field)
        if day is None:
            continue
        if latest is not None and day < latest:
            problems.append(
                (
                    field,
                    Problem(
                        gettext_noop("This date must not be before the date of an earlier step (%(earlier)s)."),
                        {"earlier": latest.isoformat()},
                    ),
                )
            )
        else:
            latest = day
    published = values.get("published_on")
    for field in AFTER_PUBLICATION:
        day = values.get(field)
        if field != "filed_on" and published is not None and day is not None and day < published:
            problems.append(
                (
                    field,
                    Problem(
                        gettext_noop("This date must not be before the publication (%(earlier)s)."),
                        {"earlier": published.isoformat()},
                    ),
                )
            )
    return problems


# Actions → (statuses they may start from, the status they lead to; None: unchanged).
TRANSITIONS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "update": ((DRAFTING, COMMENT, REVIEW, DECISION, DECIDED), None),
    "comment": ((DRAFTING, COMMENT), COMMENT),
    "submit_review": ((DRAFTING, COMMENT), REVIEW),
    "review": ((REVIEW,), None),  # to DECISION when passed, back to DRAFTING when failed
    "decide": ((DECISION,), DECIDED),
    "register": ((DECIDED,), REGISTERED),
    "publish": ((REGISTERED,), IN_FORCE),
    "file": ((IN_FORCE, EXPIRED, REPEALED, REPLACED, INVALID), None),
    "evaluate": ((IN_FORCE,), None),
    "end": ((IN_FORCE,), None),
}


def allowed(action: str, status: str) -> bool:
    """Whether ``action`` may be taken on a document in ``status``."""
    return status in TRANSITIONS[action][0]
