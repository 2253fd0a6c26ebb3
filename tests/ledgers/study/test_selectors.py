"""The study ledger's reads: scope of single records, yearly compliance, and the deadlines on the board."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from fazhi.ledgers.common.registry import ledger
from fazhi.ledgers.study import selectors
from fazhi.orgs import roles
from fazhi.orgs.access import scope_q
from fazhi.orgs.models import subtree_q
from tests.ledgers.study import factories as f

pytestmark = pytest.mark.django_db


def test_a_record_outside_the_scope_is_not_found_and_a_leader_may_not_write(tree, personas):
    session = f.session(tree.township)
    assert selectors.session_get_for_user(personas["leader"], session.pk) == session
    with pytest.raises(PermissionDenied):
        selectors.session_get_for_user(personas["leader"], session.pk, write=True)
    assert selectors.session_get_for_user(personas["township_clerk"], session.pk, write=True) == session
    for persona in ("village_clerk_elsewhere", "reviewer"):
        with pytest.raises(Http404):
            selectors.session_get_for_user(personas[persona], session.pk)


def test_compliance_counts_each_organisations_own_sessions_in_the_year(tree, settings):
    settings.FAZHI_SEMINARS_MIN = 1
    f.session(tree.county, kind="central_group", date=dt.date(2025, 3, 1))
    f.session(tree.county, kind="seminar", date=dt.date(2025, 4, 1))
    f.session(tree.county, kind="report_hearing", date=dt.date(2025, 5, 1))
    f.session(tree.county, kind="report_hearing", date=dt.date(2025, 11, 1))
    f.session(tree.township, kind="seminar", date=dt.date(2025, 4, 1))  # the township's, not the county's
    f.session(tree.county, kind="central_group", date=dt.date(2024, 3, 1))  # another year
    rows = {r.org.name: r for r in selectors.compliance_rows(orgs=[tree.county, tree.township], year=2025)}
    county = {r.kind: (r.held, r.met) for r in rows["青山县"].requirements}
    assert county == {"central_group": (1, True), "seminar": (1, True), "report_hearing": (2, True)}
    assert rows["青山县"].met
    assert [(r.kind, r.held, r.met) for r in rows["城关镇"].requirements] == [("central_group", 0, False)]


def test_deadlines_list_the_requirements_still_short_due_31_december(tree, personas):
    this_year = dt.date.today().year
    f.session(tree.county, kind="central_group", date=dt.date(this_year, 1, 1))
    found = ledger("study").deadlines(
        subtree_q(tree.county.path, "org__path"), dt.date(2000, 1, 1), dt.date(this_year, 12, 31)
    )
    by_org = {}
    for d in found:
        by_org.setdefault(d.org_name, []).append(d)
    # 青山县 owes seminars and hearings (its central group is done); 城关镇, 河口镇 and the bureau owe a central group.
    assert sorted(by_org) == ["城关镇", "河口镇", "青山县", "青山县司法局"]
    county = [d for d in by_org["青山县"] if d.due.year == this_year]
    assert len(county) == 2 and all(d.due == dt.date(this_year, 12, 31) for d in county)
    assert all(d.ledger == "study" and d.url.startswith("/ledgers/study/compliance/") for d in found)
    # The link filters the compliance table by the organisation's code (the list filters take codes, not ids).
    assert county[0].url == f"/ledgers/study/compliance/?org={tree.county.code}&year={this_year}"
    # Before 31 December comes into the range, nothing of this year is due.
    early = ledger("study").deadlines(
        subtree_q(tree.county.path, "org__path"), dt.date(this_year, 1, 1), dt.date(this_year, 12, 30)
    )
    assert all(d.due.year < this_year for d in early)


def test_deadlines_respect_the_users_scope(tree, personas):
    this_year = dt.date.today().year
    scope = scope_q(personas["township_clerk"], roles.LEDGER_VIEW, "org__path")
    found = ledger("study").deadlines(scope, dt.date(this_year, 1, 1), dt.date(this_year, 12, 31))
    assert {d.org_name for d in found} == {"城关镇"}
    nobody = scope_q(personas["reviewer"], roles.LEDGER_VIEW, "org__path")
    assert ledger("study").deadlines(nobody, dt.date(this_year, 1, 1), dt.date(this_year, 12, 31)) == []


def test_the_board_shows_last_years_shortfalls_as_overdue_and_this_years_when_due_soon(tree, personas):
    from fazhi.ledgers.common.board import board_scope, deadline_board

    f.session(tree.county, kind="central_group", date=dt.date(2025, 3, 1))
    scope = board_scope(personas["county_admin"], tree.county)
    mid_year = deadline_board(scope=scope, today=dt.date(2026, 6, 1), soon_days=7)
    overdue = [(r.deadline.due, r.deadline.org_name) for r in mid_year.overdue if r.deadline.ledger == "study"]
    assert (dt.date(2025, 12, 31), "青山县") in overdue  # seminars and hearings of 2025
    assert not [r for r in mid_year.due_soon if r.deadline.ledger == "study"]
    year_end = deadline_board(scope=scope, today=dt.date(2026, 12, 27), soon_days=7)
    soon = [r.deadline for r in year_end.due_soon if r.deadline.ledger == "study"]
    assert soon and all(d.due == dt.date(2026, 12, 31) for d in soon)
