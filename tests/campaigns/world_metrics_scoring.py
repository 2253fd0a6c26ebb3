"""Objects of the scores-from-records pages: a campaign in review on the world's standard that scores its
metric-bound leaf (1.4, disputes.mediation_success_rate) from the ledgers, 西街社区's application assigned to the
reviewer persona (who holds no ledger.view over it), the leaf's indicator, and a metric the standard does not use."""

from __future__ import annotations

from fazhi.campaigns import models as m
from fazhi.indicators.models import Indicator
from tests.campaigns.world import _application, _campaign

SAMPLES: dict[str, str] = {}


def build(tree, personas, world) -> dict:
    standard = m.Campaign.objects.get(pk=world["campaign_review"]).standard
    campaign = _campaign(standard, tree.county, m.Stage.REVIEW, title="青山县依法行政示范单位创建（台账计分）",
                         scores_from_records=True)  # fmt: skip
    application = _application(campaign, tree.community, m.ApplicationState.IN_REVIEW)
    assignment = m.Assignment.objects.create(application=application, reviewer=personas["reviewer"])
    m.ScoreSheet.objects.create(assignment=assignment)
    return {
        "ms_application": application.pk,
        "ms_assignment": assignment.pk,
        "ms_indicator": Indicator.objects.get(standard=standard, code="1.4").pk,
        "ms_metric": "disputes.mediation_success_rate",
        "ms_other_metric": "study.sessions_held",
    }
