"""The pure rules of normative documents, at their boundaries (no database)."""

import datetime as dt

import pytest

from fazhi.ledgers.documents import rules

D = dt.date
START = D(2025, 3, 1)


def validity(title="青山县城市绿化管理办法", provisional=False, start=START, end=None, years=5, short=2):
    return rules.validity_problems(
        title=title,
        provisional=provisional,
        effective_from=start,
        expires_on=end,
        validity_years=years,
        provisional_validity_years=short,
    )


def test_validity_of_five_years_ends_the_day_before_the_anniversary():
    assert validity(end=D(2030, 2, 28)) == []
    [(field, problem)] = validity(end=D(2030, 3, 1))
    assert field == "expires_on"
    assert problem.params == {"years": 5, "latest": "2030-02-28"}


@pytest.mark.parametrize("title", ["青山县城市道路管理暂行办法", "青山县河道采砂管理试行规定"])
def test_provisional_title_gets_the_shorter_validity(title):
    assert validity(title=title, end=D(2027, 2, 28)) == []
    [(field, problem)] = validity(title=title, end=D(2027, 3, 1))
    assert problem.params["years"] == 2


def test_provisional_flag_without_the_word_in_the_title():
    assert validity(provisional=True, end=D(2027, 3, 1))
    assert not validity(provisional=False, end=D(2027, 3, 1))


def test_the_figures_come_from_the_arguments():
    assert validity(end=D(2033, 2, 28), years=8) == []
    assert validity(end=D(2033, 3, 1), years=8)


def test_expiry_before_start_is_refused():
    [(field, _problem)] = validity(end=D(2025, 2, 28))
    assert field == "expires_on"


def test_leap_day_anniversary():
    assert rules.add_years(D(2024, 2, 29), 1) == D(2025, 2, 28)
    assert rules.latest_expiry(D(2024, 2, 29), 5) == D(2029, 2, 27)


def test_evaluation_due_months_before_expiry_clamped_to_month_end():
    assert rules.evaluation_due(D(2030, 8, 31), 6) == D(2030, 2, 28)
    assert rules.evaluation_due(D(2030, 2, 28), 6) == D(2029, 8, 28)


def test_filing_on_time_is_inclusive_of_the_last_day():
    assert rules.filed_on_time(D(2025, 5, 1), D(2025, 5, 31), 30) is True
    assert rules.filed_on_time(D(2025, 5, 1), D(2025, 6, 1), 30) is False
    assert rules.filed_on_time(D(2025, 5, 1), None, 30) is None


def test_registration_needs_a_passed_review_and_a_decision():
    assert rules.registration_problems(review_outcome="pass_with_changes", decided_on=D(2025, 1, 1)) == []
    fields = [f for f, _p in rules.registration_problems(review_outcome="fail", decided_on=None)]
    assert fields == ["review_outcome", "decided_on"]


def test_comment_is_required_only_when_rights_are_affected():
    assert rules.comment_problems(affects_rights=False, comment_start=None, comment_end=None) == []
    assert rules.comment_problems(affects_rights=True, comment_start=D(2025, 1, 1), comment_end=D(2025, 2, 1)) == []
    assert rules.comment_problems(affects_rights=True, comment_start=None, comment_end=None)


def test_date_order_names_the_later_step():
    problems = rules.date_order_problems(
        {"drafted_on": D(2025, 3, 1), "review_submitted_on": D(2025, 2, 1), "decided_on": D(2025, 4, 1)}
    )
    assert [f for f, _p in problems] == ["review_submitted_on"]
    assert rules.date_order_problems({"published_on": D(2025, 3, 1), "evaluated_on": D(2025, 2, 1)})[0][0] == (
        "evaluated_on"
    )


def test_displayed_status_is_expired_after_the_last_day():
    assert rules.display_status("in_force", D(2025, 3, 1), D(2025, 3, 1)) == "in_force"
    assert rules.display_status("in_force", D(2025, 3, 1), D(2025, 3, 2)) == "expired"
    assert rules.display_status("repealed", D(2025, 3, 1), D(2025, 3, 2)) == "repealed"


def test_numbers():
    assert rules.document_number("青政规", 2025, 3) == "青政规〔2025〕3号"
    assert rules.registration_number("990101", 2025, 7) == "990101-2025-0007"


def test_serials_must_continue_without_gaps():
    assert rules.serial_problems([4, 3], 2) is None
    assert rules.serial_problems([3, 5], 2) is not None
    assert rules.serial_problems([3, 3], 2) is not None
    assert rules.serial_problems([], 9) is None
