"""Objects of the results pages for the permission table and the air-gap test (see tests/campaigns/world.py).

``campaign_notice`` (stage notice) already has the published ``result_version`` with one row; this adds an
unpublished ``result_version_draft`` of the same campaign (which leaders may not read).
"""

from __future__ import annotations

from fazhi.campaigns import models as m


def build(tree, personas, world) -> dict:
    campaign = m.Campaign.objects.get(pk=world["campaign_notice"])
    draft = m.ResultVersion.objects.create(
        campaign=campaign, number=2, reason="复核", computed_by=personas["county_admin"]
    )
    m.ApplicationResult.objects.create(
        version=draft,
        application_id=world["application_notice"],
        review_total=2300,
        review_component=8846,
        composite=8846,
        subtotals={"1": 2300},
        passed=True,
        rank=1,
        in_quota=True,
        reviewers=3,
        sheets=3,
        outliers=[personas["reviewer"].pk],
    )
    return {"result_version_draft": draft.pk}


# results_* pages name the campaign as ``pk`` (kind "results"); versions as ``version_pk`` (kind "version").
SAMPLES = {"results": "campaign_notice"}
