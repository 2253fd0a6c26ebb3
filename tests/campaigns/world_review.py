"""Objects of the review pages for the page tables: a proposed veto on ``application_review`` and a campaign
in the inspection stage (weights 60/20/20) with a scored application, the ``reviewer`` persona as its
inspector, and one unanswered survey link."""

from __future__ import annotations

from fazhi.campaigns import models as m
from tests.campaigns.world import _application, _campaign

SAMPLES = {"veto": "review_veto", "survey_token": "review_survey_token"}


def build(tree, personas, world) -> dict:
    review_application = m.Application.objects.get(pk=world["application_review"])
    item = review_application.campaign.standard.veto.get(code="V1")
    veto = m.Veto.objects.create(
        application=review_application,
        item=item,
        status=m.VetoStatus.PROPOSED,
        reason="发现重大违法行政案件",
        proposed_by=personas["reviewer"],
    )
    inspection = _campaign(
        review_application.campaign.standard,
        tree.county,
        m.Stage.INSPECTION,
        title="青山县法治社区创建",
        weight_review=60,
        weight_inspection=20,
        weight_survey=20,
    )
    scored = _application(inspection, tree.community, m.ApplicationState.SCORED)
    m.PoolMember.objects.create(campaign=inspection, user=personas["reviewer"], role=m.PoolRole.INSPECTOR)
    token = m.SurveyToken.objects.create(application=scored, token="world-review-survey-token-0001")
    return {
        "review_veto": veto.pk,
        "review_campaign_inspection": inspection.pk,
        "review_application_inspection": scored.pk,
        "review_survey_token": token.token,
    }
