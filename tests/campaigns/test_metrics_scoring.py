"""Scores from records: a campaign on the shipped city/county standard scores its metric-bound leaves from the
ledgers (records made through the ledgers' own factories), the clerk cannot overwrite them, the reviewer overrides
only with a written reason (audited, shown to the administrator), the drill-down lists exactly the records
counted, and the engine and the SQL results path both use the effective leaf scores."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi.campaigns import models as m
from fazhi.campaigns.results_sql import campaign_review_rows
from fazhi.campaigns.selectors.applications import application_assessment
from fazhi.campaigns.selectors.metrics_scoring import campaign_metric_leaves, leaf_metric
from fazhi.campaigns.selectors.results import campaign_review_engine
from fazhi.campaigns.services import applications as apps
from fazhi.campaigns.services import campaigns as campaign_services
from fazhi.campaigns.services import sheets as sheet_services
from fazhi.campaigns.services.metrics_scoring import leaf_score_override
from fazhi.core.errors import DomainError
from fazhi.core.models import AuditEvent
from fazhi.indicators import spec
from fazhi.indicators.formats.yaml_format import load_yaml
from fazhi.indicators.scoring import Fixed, Sheet, aggregate
from fazhi.indicators.services import standard_import, standard_publish
from fazhi.indicators.shipped import shipped_standards
from fazhi.ledgers.disputes.models import Mediation
from fazhi.metrics.registry import RATE, metric_get
from tests.campaigns.results_data import reviewers, scored_campaign
from tests.indicators.test_scoring_properties import sheets_for, standards
from tests.ledgers.disputes import factories as disputes
from tests.ledgers.study import factories as study

D = dt.date
CITY_COUNTY = "city-county-rule-of-law-government.yaml"
MEDIATION, HEAD, SEMINARS, RECONSIDERATION, LEADER_HOURS = "6.3.1", "6.2.1", "9.1.2", "6.1.1", "9.1.1"


def _shipped(name: str) -> spec.Standard:
    return load_yaml(next(p for p in shipped_standards() if p.name == name).read_bytes())


@pytest.fixture
def standard(tree):
    row = standard_import(actor=None, owner_org=tree.county, spec=_shipped(CITY_COUNTY))
    return standard_publish(actor=None, standard=row)


@pytest.fixture
def campaign(standard, tree):
    # A 2027 campaign: by default it judges the calendar year 2026.
    return m.Campaign.objects.create(
        organiser=tree.county, kind=m.CampaignKind.LAW_BASED_ADMINISTRATION, title="青山县法治政府建设示范创建",
        batch="第一批", year=2027, standard=standard, pass_score=6000, quota=3, stage=m.Stage.APPLICATION,
        scores_from_records=True,
    )  # fmt: skip


def _records(tree):
    """In the township's subtree in 2026: 4 disputes mediated, 3 settled (75 %); 2 cases heard, the head present
    at 1 (50 %); 1 seminar. Around them, records that must not count."""
    for outcome in ("settled", "settled", "settled", "failed"):
        disputes.mediation(tree.village, screened_on=D(2026, 5, 1), mediated_on=D(2026, 5, 2), outcome=outcome,
                           concluded_on=D(2026, 5, 9))  # fmt: skip
    disputes.mediation(tree.township, screened_on=D(2026, 6, 1))  # screened, never mediated: not in the rate
    disputes.mediation(tree.village, screened_on=D(2025, 6, 1), mediated_on=D(2025, 6, 2), outcome="failed",
                       concluded_on=D(2025, 6, 3))  # fmt: skip  # outside the period
    disputes.mediation(tree.other_village, screened_on=D(2026, 5, 1), mediated_on=D(2026, 5, 2), outcome="failed",
                       concluded_on=D(2026, 5, 3))  # fmt: skip  # another county
    disputes.litigation(tree.township, hearing_on=D(2026, 4, 1), head_appeared=True)
    disputes.litigation(tree.township, hearing_on=D(2026, 4, 2), head_appeared=False)
    study.session(tree.township, kind="seminar", date=D(2026, 3, 12), topic="法治政府建设专题研讨")


def _hand_answers(standard: spec.Standard, bound) -> list[apps.AnswerInput]:
    """Full marks on every leaf answered by hand."""
    answers = []
    for leaf in standard.leaves():
        if leaf.code in bound:
            continue
        rule = leaf.rule
        value = {
            spec.MANUAL: leaf.points,
            spec.CHECKLIST: list(range(len(rule.items))),
            spec.DEDUCTION: 0,
            spec.RATIO: Decimal(1),
            spec.TIERS: rule.tiers[0].min if rule.tiers else Decimal(0),
        }[rule.kind]
        answers.append(apps.AnswerInput(leaf.code, value))
    return answers


def _leaf(standard: spec.Standard, code: str) -> spec.Indicator:
    return next(leaf for leaf in standard.leaves() if leaf.code == code)


def _answer(application, code):
    return m.Answer.objects.get(application=application, indicator__code=code)


def test_the_default_assessment_period_is_the_year_before_and_new_campaigns_score_from_records(
    standard, tree, client_for
):
    campaign = campaign_services.campaign_create(
        actor=None, organiser=tree.county, kind=m.CampaignKind.LAW_BASED_ADMINISTRATION, title="示范创建",
        batch="一", year=2027, standard=standard, pass_score=6000, quota=2,
    )  # fmt: skip
    assert campaign.scores_from_records is True
    assert campaign.assessment_period == (D(2026, 1, 1), D(2026, 12, 31))
    page = client_for("county_admin").get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "2026-01-01 – 2026-12-31" in page
    api = client_for("county_admin").get(f"/api/v1/campaigns/{campaign.pk}").json()
    assert (api["period_start"], api["period_end"], api["scores_from_records"]) == ("2026-01-01", "2026-12-31", True)
    campaign = campaign_services.campaign_update(
        actor=None, campaign=campaign, period_start=D(2026, 7, 1), period_end=D(2027, 6, 30)
    )
    assert campaign.assessment_period == (D(2026, 7, 1), D(2027, 6, 30))
    with pytest.raises(DomainError) as refused:
        campaign_services.campaign_update(actor=None, campaign=campaign, period_start=D(2027, 7, 1))
    assert refused.value.rule == "campaigns.period_order"
    with pytest.raises(DomainError) as refused:
        campaign_services.campaign_update(actor=None, campaign=campaign, period_end=None)
    assert refused.value.rule == "campaigns.period_incomplete"


def test_metric_bound_leaves_score_from_the_records_and_the_clerk_cannot_overwrite_them(
    campaign, tree, personas, client_for
):
    _records(tree)
    clerk = personas["township_clerk"]
    application = apps.application_create(actor=clerk, campaign=campaign, org=tree.township)
    std = _shipped(CITY_COUNTY)
    bound = campaign_metric_leaves(campaign)
    assert len(bound) == 34  # every metric-bound leaf of the shipped standard is bound

    with pytest.raises(apps.AnswersInvalid) as refused:
        apps.answers_save(actor=clerk, application=application, answers=[apps.AnswerInput(MEDIATION, Decimal(1))])
    assert [(e["code"], e["rule"]) for e in refused.value.errors] == [(MEDIATION, "campaigns.answer_computed")]
    assert "6.3.1" in refused.value.errors[0]["message"]
    assert not m.Answer.objects.filter(application=application).exists()

    # Saving the statement of the leaf stores the figure beside it.
    apps.answers_save(
        actor=clerk, application=application, answers=[apps.AnswerInput(MEDIATION, None, "调解台账见附件")]
    )
    row = _answer(application, MEDIATION)
    assert (row.answer, row.metric_numerator, row.metric_denominator, row.statement) == ("0.75", 3, 4, "调解台账见附件")
    assert row.metric_computed_at is not None
    assessed = application_assessment(application).score.leaves
    # 6.3.1: 1.5 points, full at 0.95, none at 0.6: 1.5 × (0.75 − 0.6) ÷ 0.35 = 0.642… → 0.64
    assert assessed[MEDIATION] == 64
    # 6.2.1: 2.5 points, full at 0.8, none at 0.4: 2.5 × (0.5 − 0.4) ÷ 0.4 = 0.625 → 0.63 (half up)
    assert assessed[HEAD] == 63
    # 9.1.2: 1 seminar reaches the tier ≥ 1 → 0.5 point
    assert assessed[SEMINARS] == 50
    assert assessed[RECONSIDERATION] == 0  # no records
    assert not set(application_assessment(application).unanswered) & set(bound)  # computed, never unanswered
    assert _answer(application, RECONSIDERATION).answer is None

    # The clerk's page shows the figure with its drill-down and no input for it.
    page = client_for("township_clerk").get(f"/campaigns/applications/{application.pk}/")
    html = page.content.decode()
    assert 'data-leaf="6.3.1"' in html and "75.00 %" in html and "(3 / 4)" in html
    assert f"/campaigns/applications/{application.pk}/metrics/disputes.mediation_success_rate/" in html

    # A record entered before submission counts: the figures are recomputed when the application is submitted.
    disputes.mediation(tree.village, screened_on=D(2026, 7, 1), mediated_on=D(2026, 7, 2), outcome="settled",
                       concluded_on=D(2026, 7, 3))  # fmt: skip
    apps.answers_save(actor=clerk, application=application, answers=_hand_answers(std, bound))
    apps.application_submit(actor=clerk, application=application)
    row = _answer(application, MEDIATION)
    assert (row.answer, row.metric_numerator, row.metric_denominator) == ("0.8", 4, 5)
    assert AuditEvent.objects.filter(action="campaigns.application.metrics_computed").exists()


def _with_metrics_only_on(standard: spec.Standard, keep: set[str], code: str) -> spec.Standard:
    """The standard with the metric taken off every leaf but those of ``keep`` (they are answered by hand)."""

    def strip(node: spec.Indicator) -> spec.Indicator:
        if node.is_leaf:
            if node.rule.metric and node.code not in keep:
                return dataclasses.replace(node, rule=dataclasses.replace(node.rule, metric=None))
            return node
        return dataclasses.replace(node, children=tuple(strip(child) for child in node.children))

    return dataclasses.replace(standard, code=code, indicators=tuple(strip(node) for node in standard.indicators))


def test_the_clerks_page_takes_as_many_queries_with_2_metric_bound_leaves_as_with_34(
    campaign, tree, personas, client_for, django_assert_max_num_queries
):
    """The page recomputes every metric-bound leaf on each load, all metrics together: its queries do not grow
    with the leaves (the average, study.leader_law_hours on 9.1.1, is counted apart: both standards have it)."""
    _records(tree)
    few = _with_metrics_only_on(_shipped(CITY_COUNTY), {MEDIATION, LEADER_HOURS}, "city-county-few-metrics")
    few = standard_publish(actor=None, standard=standard_import(actor=None, owner_org=tree.county, spec=few))
    few_campaign = m.Campaign.objects.create(
        organiser=tree.county, kind=m.CampaignKind.LAW_BASED_ADMINISTRATION, title="少量台账指标的示范创建",
        batch="第一批", year=2027, standard=few, pass_score=6000, quota=3, stage=m.Stage.APPLICATION,
        scores_from_records=True,
    )  # fmt: skip
    assert len(campaign_metric_leaves(few_campaign)) == 2 and len(campaign_metric_leaves(campaign)) == 34
    clerk, client = personas["township_clerk"], client_for("township_clerk")
    counts = {}
    for label, each in (("few", few_campaign), ("many", campaign)):
        application = apps.application_create(actor=clerk, campaign=each, org=tree.township)
        url = f"/campaigns/applications/{application.pk}/"
        with django_assert_max_num_queries(25) as first:  # the figures stored for the first time
            assert client.get(url).status_code == 200
        with django_assert_max_num_queries(25) as again:
            page = client.get(url)
        assert "75.00 %" in page.content.decode()
        counts[label] = (len(first), len(again))
    assert counts["few"] == counts["many"]


def test_a_record_entered_while_the_application_is_editable_shows_on_the_next_load(
    campaign, tree, personas, client_for
):
    _records(tree)
    application = apps.application_create(actor=personas["township_clerk"], campaign=campaign, org=tree.township)
    client, url = client_for("township_clerk"), f"/campaigns/applications/{application.pk}/"
    assert "(3 / 4)" in client.get(url).content.decode()
    disputes.mediation(tree.village, screened_on=D(2026, 7, 1), mediated_on=D(2026, 7, 2), outcome="settled",
                       concluded_on=D(2026, 7, 3))  # fmt: skip
    html = client.get(url).content.decode()
    assert "80.00 %" in html and "(4 / 5)" in html
    row = _answer(application, MEDIATION)
    assert (row.answer, row.metric_numerator, row.metric_denominator) == ("0.8", 4, 5)
    # a metric that lost its last record stores no value (SQL NULL: the leaf scores 0, "no records")
    Mediation.objects.filter(org__path__startswith=tree.township.path).delete()
    client.get(url)
    assert m.Answer.objects.filter(application=application, indicator__code=MEDIATION, answer__isnull=True).exists()


@pytest.fixture
def in_review(campaign, tree, personas):
    _records(tree)
    clerk = personas["township_clerk"]
    application = apps.application_create(actor=clerk, campaign=campaign, org=tree.township)
    apps.answers_save(
        actor=clerk,
        application=application,
        answers=_hand_answers(_shipped(CITY_COUNTY), campaign_metric_leaves(campaign)),
    )
    apps.application_submit(actor=clerk, application=application)
    m.Campaign.objects.filter(pk=campaign.pk).update(stage=m.Stage.REVIEW)
    m.Application.objects.filter(pk=application.pk).update(state=m.ApplicationState.IN_REVIEW)
    assignment = m.Assignment.objects.create(application=application, reviewer=personas["reviewer"])
    m.ScoreSheet.objects.create(assignment=assignment)
    return m.Assignment.objects.select_related("application__campaign", "sheet").get(pk=assignment.pk)


def _full_sheet(standard: spec.Standard, bound) -> dict:
    return {entry.code: entry.answer for entry in _hand_answers(standard, bound)}


def test_the_reviewer_sheet_scores_from_the_stored_figures_and_overrides_need_a_reason(in_review, tree, personas):
    reviewer = personas["reviewer"]
    sheet, application = in_review.sheet, in_review.application
    std = _shipped(CITY_COUNTY)
    bound = campaign_metric_leaves(application.campaign)

    with pytest.raises(sheet_services.SheetProblems) as refused:
        sheet_services.sheet_save(actor=reviewer, sheet=sheet, answers={MEDIATION: "1"})
    assert set(refused.value.problems) == {MEDIATION}

    # A record entered after submission does not move the sheet: it scores the figures as submitted.
    disputes.mediation(tree.village, screened_on=D(2026, 8, 1), mediated_on=D(2026, 8, 2), outcome="settled",
                       concluded_on=D(2026, 8, 3))  # fmt: skip
    sheet_services.sheet_save(actor=reviewer, sheet=sheet, answers=_full_sheet(std, bound))
    row = m.LeafScore.objects.get(sheet=sheet, indicator__code=MEDIATION)
    assert (row.answer, row.score, row.computed_score) == ("0.75", 64, 64)
    empty = m.LeafScore.objects.get(sheet=sheet, indicator__code=RECONSIDERATION)
    assert (empty.answer, empty.score, empty.computed_score) == ({"fixed": 0}, 0, None)

    with pytest.raises(DomainError) as refused:
        leaf_score_override(actor=reviewer, sheet=sheet, code=MEDIATION, score="1.5", reason="  ")
    assert refused.value.rule == "review.override_reason_required"
    with pytest.raises(DomainError) as refused:
        leaf_score_override(actor=reviewer, sheet=sheet, code=MEDIATION, score="1.6", reason="超出满分")
    assert refused.value.rule == "review.override_out_of_range"
    with pytest.raises(DomainError) as refused:
        leaf_score_override(actor=reviewer, sheet=sheet, code="1.1.1", score="1", reason="手工项")
    assert refused.value.rule == "review.override_not_computed"
    with pytest.raises(PermissionDenied):
        leaf_score_override(actor=personas["county_admin"], sheet=sheet, code=MEDIATION, score="1", reason="代评")
    assert m.LeafScore.objects.get(pk=row.pk).score == 64

    reason = "本年度两起调解因当事人撤回申请终止，不应计入失败"
    leaf_score_override(actor=reviewer, sheet=sheet, code=MEDIATION, score="1.5", reason=reason)
    leaf_score_override(
        actor=reviewer, sheet=sheet, code=RECONSIDERATION, score="1.5", reason="本年度无行政复议案件，按满分计"
    )
    row.refresh_from_db()
    assert (row.answer, row.score, row.computed_score, row.override_reason) == ({"fixed": 150}, 150, 64, reason)
    event = AuditEvent.objects.filter(action="campaigns.review.leaf_overridden").order_by("seq").first()
    assert event.actor == reviewer
    assert event.old["score"] == 64 and event.new["score"] == 150 and event.new["reason"] == reason

    sheet_services.sheet_submit(actor=reviewer, sheet=sheet)
    sheet.refresh_from_db()
    leaves_sum = sum(m.LeafScore.objects.filter(sheet=sheet).values_list("score", flat=True))
    assert sheet.total == leaves_sum  # the standard has no bonus items awarded here
    # Both results paths use the effective leaf scores.
    by_sql, by_engine = campaign_review_rows(application.campaign), campaign_review_engine(application.campaign)
    assert by_sql[application.pk].total == by_engine[application.pk].total == sheet.total
    chapter = MEDIATION.split(".")[0]
    assert by_sql[application.pk].subtotals[chapter] == by_engine[application.pk].subtotals[chapter]


def test_taking_an_override_back_restores_the_computed_score(in_review, personas):
    reviewer, sheet = personas["reviewer"], in_review.sheet
    leaf_score_override(actor=reviewer, sheet=sheet, code=HEAD, score="0", reason="出庭记录存疑")
    leaf_score_override(actor=reviewer, sheet=sheet, code=HEAD, score=None)
    row = m.LeafScore.objects.get(sheet=sheet, indicator__code=HEAD)
    assert (row.answer, row.score, row.computed_score, row.override_reason) == ("0.5", 63, 63, "")
    with pytest.raises(DomainError) as refused:
        leaf_score_override(actor=reviewer, sheet=sheet, code=HEAD, score=None)
    assert refused.value.rule == "review.override_none"


def test_the_administrator_sees_the_overrides_with_their_reasons_and_the_clerk_does_not(
    in_review, personas, client_for
):
    leaf_score_override(
        actor=personas["reviewer"], sheet=in_review.sheet, code=MEDIATION, score="1", reason="口径不一致"
    )
    url = f"/campaigns/applications/{in_review.application.pk}/"
    admin = client_for("county_admin").get(url).content.decode()
    assert 'id="overrides"' in admin and "口径不一致" in admin and "陈专家" in admin
    clerk = client_for("township_clerk").get(url).content.decode()
    assert "口径不一致" not in clerk


def test_the_sheet_page_shows_the_figure_with_its_records_and_the_override_page_works(in_review, client_for):
    client = client_for("reviewer")
    html = client.get(f"/campaigns/reviews/{in_review.pk}/").content.decode()
    pk = in_review.application.pk
    assert f"/campaigns/applications/{pk}/metrics/disputes.mediation_success_rate/" in html
    assert "75.00 %" in html
    indicator = m.Answer.objects.get(application=in_review.application, indicator__code=MEDIATION).indicator_id
    url = f"/campaigns/reviews/{in_review.pk}/leaves/{indicator}/override/"
    assert client.get(url).status_code == 200
    refused = client.post(url, {"score": "1", "reason": "", "action": "override"})
    assert refused.status_code == 400 and not m.LeafScore.objects.exclude(override_reason="").exists()
    done = client.post(url, {"score": "1", "reason": "抽查发现台账漏登", "action": "override"})
    assert done.status_code == 302
    assert m.LeafScore.objects.get(sheet=in_review.sheet, indicator_id=indicator).score == 100


def test_the_drill_down_lists_exactly_the_records_counted_for_the_assigned_reviewer(in_review, tree, client_for):
    pk = in_review.application.pk
    counted = set(
        Mediation.objects.filter(
            org__path__startswith=tree.township.path, screened_on__year=2026, mediated_on__isnull=False
        ).values_list("pk", flat=True)
    )
    assert len(counted) == 4
    page = client_for("reviewer").get(f"/campaigns/applications/{pk}/metrics/disputes.mediation_success_rate/")
    assert page.status_code == 200  # the reviewer holds no ledger.view over the township
    shown = {int(v) for v in __import__("re").findall(r'data-record="(\d+)"', page.content.decode())}
    assert shown == counted
    assert (
        client_for("village_clerk_elsewhere")
        .get(f"/campaigns/applications/{pk}/metrics/disputes.mediation_success_rate/")
        .status_code
        == 404
    )
    # a metric the campaign's standard does not score by is not offered
    assert client_for("reviewer").get(f"/campaigns/applications/{pk}/metrics/study.sessions_held/").status_code == 404


def test_a_campaign_that_does_not_score_from_records_lets_the_clerk_answer(campaign, tree, personas):
    m.Campaign.objects.filter(pk=campaign.pk).update(scores_from_records=False)
    campaign.refresh_from_db()
    application = apps.application_create(actor=personas["township_clerk"], campaign=campaign, org=tree.township)
    apps.answers_save(
        actor=personas["township_clerk"], application=application, answers=[apps.AnswerInput(MEDIATION, Decimal(1))]
    )
    assert _answer(application, MEDIATION).answer == "1"


@pytest.mark.parametrize("path", shipped_standards(), ids=lambda p: p.name)
def test_every_metric_bound_leaf_of_a_shipped_standard_takes_its_metric_in_the_right_unit(path):
    """The registration of every named metric is tests/metrics/test_standards.py; here: a ratio leaf is bound to a
    rate (its percent ÷ 100 is the [0, 1] value), and a tiers leaf to an average or a count, whose thresholds are
    in the metric's own unit — so every named metric binds its leaf."""
    standard = load_yaml(path.read_bytes())
    for leaf in standard.leaves():
        if leaf.rule.metric:
            metric = metric_get(leaf.rule.metric)
            if leaf.rule.kind == spec.RATIO:
                assert metric.kind == RATE, leaf.code
            else:
                assert leaf.rule.kind == spec.TIERS and metric.kind != RATE, leaf.code
            assert leaf_metric(leaf) == metric


def _api(user):
    from django.test import Client

    from fazhi.orgs.tokens import api_token_create

    return Client(headers={"Authorization": f"Bearer {api_token_create(actor=None, user=user, name='测试程序')[1]}"})


def test_the_api_gives_the_figures_the_record_ids_and_takes_an_override_with_a_reason(in_review, tree, personas):
    client, pk = _api(personas["reviewer"]), in_review.application.pk
    figures = client.get(f"/api/v1/applications/{pk}/figures").json()
    assert (figures["period_start"], figures["period_end"]) == ("2026-01-01", "2026-12-31")
    mediation = next(f for f in figures["figures"] if f["code"] == MEDIATION)
    assert (mediation["metric"], mediation["value"], mediation["numerator"], mediation["denominator"]) == (
        "disputes.mediation_success_rate",
        75.0,
        3,
        4,
    )
    records = client.get(mediation["records"]).json()
    counted = Mediation.objects.filter(
        org__path__startswith=tree.township.path, screened_on__year=2026, mediated_on__isnull=False
    )
    assert sorted(records["ids"]) == sorted(counted.values_list("pk", flat=True))
    assert sorted(records["numerator"]) == sorted(counted.filter(outcome="settled").values_list("pk", flat=True))

    url = f"/api/v1/campaigns/assignments/{in_review.pk}/sheet/override"
    refused = client.post(url, {"code": MEDIATION, "score": 1}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["rule"] == "review.override_reason_required"
    done = client.post(url, {"code": MEDIATION, "score": 1, "reason": "台账漏登两起"}, content_type="application/json")
    assert done.json() == {"code": MEDIATION, "score": 1.0, "computed_score": 0.64, "reason": "台账漏登两起"}
    other = _api(personas["county_admin"]).post(url, {"code": MEDIATION, "score": 1, "reason": "代评"},
                                                content_type="application/json")  # fmt: skip
    assert other.status_code == 404


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(data=st.data())
def test_the_sql_path_and_the_engine_agree_with_overridden_leaf_scores(tree, data):
    """Random standards and sheets (the engine's own strategies), some leaf answers replaced by a score given
    outright (an override, or a leaf without records): both results paths give the same totals and subtotals."""
    users = reviewers(4, tree.county)
    std = data.draw(standards(), label="standard")
    orgs = [tree.village, tree.community]
    sheets_by_org = {}
    for org in orgs:
        sheets = []
        for i in range(data.draw(st.integers(1, 3), label="sheets")):
            sheet = data.draw(sheets_for(std, users[i]))
            answers = dict(sheet.answers)
            for leaf in std.leaves():
                if data.draw(st.booleans(), label=f"override {leaf.code}"):
                    answers[leaf.code] = Fixed(data.draw(st.integers(0, leaf.points), label="points"))
            sheets.append(Sheet(reviewer=sheet.reviewer, answers=answers, bonus=sheet.bonus))
        sheets_by_org[org] = sheets
    campaign, apps_by_org = scored_campaign(tree, std, sheets_by_org)
    by_sql, by_engine = campaign_review_rows(campaign), campaign_review_engine(campaign)
    for org, app in apps_by_org.items():
        assert (by_sql[app.pk].total, by_sql[app.pk].subtotals) == (
            by_engine[app.pk].total,
            by_engine[app.pk].subtotals,
        )
        assert by_engine[app.pk].total == aggregate(std, sheets_by_org[org], application=app.pk).total
