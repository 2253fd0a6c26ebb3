"""The study metrics on a small hand-made world: numerator, denominator, value, subtree grouping, drill-down."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.metrics.registry import metric_get, metric_value
from tests.ledgers.study import factories as f

pytestmark = pytest.mark.django_db

YEAR = (dt.date(2025, 1, 1), dt.date(2025, 12, 31))


@pytest.fixture
def world(tree):
    """青山县 (county): leaders 张伟 (43.5 h in 2025) and 王芳 (30 h); 城关镇: 李娜 (40 h, not a leader);
    白水县: 赵强 (50 h, leader). One 2024 session that must not count."""
    zhang = f.learner(tree.county, "张伟", is_leader=True)
    wang = f.learner(tree.county, "王芳", is_leader=True)
    li = f.learner(tree.township, "李娜")
    zhao = f.learner(tree.other_county, "赵强", is_leader=True)
    f.session(tree.county, kind="seminar", hours="30", attendees=[zhang, wang], date=dt.date(2025, 5, 1))
    f.session(tree.county, kind="online_course", hours="2", attendees=[(zhang, "12.5")], date=dt.date(2025, 6, 1))
    f.session(tree.county, kind="pre_meeting", hours="1", attendees=[zhang], date=dt.date(2025, 3, 12))
    f.session(tree.county, kind="seminar", hours="30", attendees=[zhang, wang], date=dt.date(2024, 12, 31))
    f.session(tree.township, kind="lecture", hours="40", attendees=[li], date=dt.date(2025, 7, 1))
    f.session(tree.other_county, kind="seminar", hours="40", attendees=[zhao], date=dt.date(2025, 7, 1))
    f.session(tree.other_county, kind="lecture", hours="10", attendees=[zhao], date=dt.date(2025, 8, 1))
    met = f.meeting(tree.county, date=dt.date(2025, 3, 12), title="县政府第5次常务会议")
    missed = f.meeting(tree.county, date=dt.date(2025, 4, 12), title="县政府第6次常务会议")
    tested = f.appointment(tree.county, zhang, appointed_on=dt.date(2025, 6, 1), tested_on=dt.date(2025, 5, 1))
    untested = f.appointment(tree.county, wang, appointed_on=dt.date(2025, 7, 1), post="副局长")
    return locals()


def counts(code, tree, *orgs):
    metric = metric_get(code)
    found = metric.counts([o.path for o in orgs], *YEAR)
    return [found[o.path] for o in orgs], metric


def test_hours_compliance_rate_counts_people_reaching_the_yearly_hours(tree, world):
    (county, township, city), metric = counts(
        "study.hours_compliance_rate", tree, tree.county, tree.township, tree.city
    )
    # 张伟 43.5 (met), 王芳 30 (short), 李娜 40 (met, exactly); 白水县's 赵强 50 (met) only in the city.
    assert county == (2, 3)
    assert township == (1, 1)
    assert city == (3, 4)
    assert metric_value(metric.kind, *county).value == Decimal("66.67")


def test_the_hours_requirement_is_read_from_settings(tree, world, settings):
    settings.FAZHI_STUDY_HOURS_PER_YEAR = 41
    (county,), _ = counts("study.hours_compliance_rate", tree, tree.county)
    assert county == (1, 3)


def test_leaders_average_hours(tree, world):
    (county, city, township), metric = counts("study.leader_law_hours", tree, tree.county, tree.city, tree.township)
    assert county == (Decimal("73.5"), 2)  # 张伟 43.5 + 王芳 30
    assert metric_value(metric.kind, *county).value == Decimal("36.75")
    assert city == (Decimal("123.5"), 3)
    assert township == (0, 0)
    assert metric_value(metric.kind, *township).value is None


def test_session_counts(tree, world):
    (county, city), _ = counts("study.sessions_held", tree, tree.county, tree.city)
    assert county[0] == 4 and city[0] == 6  # the 2024 seminar is outside the year
    (county, city), metric = counts("study.leader_seminar_count", tree, tree.county, tree.city)
    assert county[0] == 1 and city[0] == 2
    assert metric_value(metric.kind, *county).value == Decimal(1)


def test_pre_meeting_study_rate(tree, world):
    (county, other), metric = counts("study.pre_meeting_study_rate", tree, tree.county, tree.other_county)
    assert county == (1, 2)
    assert other == (0, 0)
    assert metric_value(metric.kind, *county).value == Decimal("50.00")
    records = metric.records(tree.county.path, *YEAR)
    assert {(r.pk, r.in_numerator) for r in records} == {(world["met"].pk, True), (world["missed"].pk, False)}


def test_pre_appointment_test_rate_with_drill_down(tree, world):
    (county,), metric = counts("study.pre_appointment_test_rate", tree, tree.county)
    assert county == (1, 2)
    records = list(metric.records(tree.city.path, *YEAR))
    assert {(r.pk, r.in_numerator) for r in records} == {
        (world["tested"].pk, True),
        (world["untested"].pk, False),
    }
    assert all(r.get_absolute_url() for r in records)


def test_drill_down_of_hours_names_who_is_short(tree, world):
    records = list(metric_get("study.hours_compliance_rate").records(tree.county.path, *YEAR))
    assert {(r.name, r.in_numerator) for r in records} == {("张伟", True), ("王芳", False), ("李娜", True)}
    leaders = list(metric_get("study.leader_law_hours").records(tree.county.path, *YEAR))
    assert {r.name for r in leaders} == {"张伟", "王芳"}


def test_counts_for_many_subtrees_take_a_fixed_number_of_queries(tree, world, django_assert_max_num_queries):
    paths = [o.path for o in (tree.province, tree.city, tree.county, tree.township, tree.village, tree.other_county)]
    for code in (
        "study.hours_compliance_rate",
        "study.leader_law_hours",
        "study.sessions_held",
        "study.leader_seminar_count",
        "study.pre_meeting_study_rate",
        "study.pre_appointment_test_rate",
    ):
        with django_assert_max_num_queries(5):  # one grouped query per depth: 5 depths here
            metric_get(code).counts(paths, *YEAR)


def test_the_metrics_api_gives_the_leaders_average_hours_with_a_fractional_numerator(tree, world, personas):
    from django.test import Client

    from fazhi.orgs.tokens import api_token_create

    key = api_token_create(actor=None, user=personas["county_admin"], name="脚本")[1]
    client = Client(headers={"Authorization": f"Bearer {key}"})
    response = client.get(
        "/api/v1/metrics/study.leader_law_hours", {"org": "990101", "from": "2025-01-01", "to": "2025-12-31"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["numerator"], body["denominator"], body["value"]) == (73.5, 2, 36.75)


def test_the_metric_page_and_command_show_the_leaders_hours(tree, world, client_for):
    import io

    from django.core.management import call_command
    from django.urls import reverse

    page = client_for("county_admin").get(
        reverse("metric_detail", args=["study.leader_law_hours"]),
        {"org": "990101", "from": "2025-01-01", "to": "2025-12-31"},
    )
    assert page.status_code == 200
    assert "36.75" in page.content.decode()
    out = io.StringIO()
    call_command(
        "metrics", "show", "study.leader_law_hours", "--org", "990101", "--from", "2025-01-01", "--to", "2025-12-31",
        stdout=out,
    )  # fmt: skip
    assert "73.5" in out.getvalue() and "36.75" in out.getvalue()
