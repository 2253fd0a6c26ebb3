"""The notice area's additions to the campaign world (see tests/campaigns/world.py).

The base world already has ``campaign_notice`` (stage notice, open today) with ``application_notice`` of 河口村 on
notice and an ``objection`` (张三, 13800000000), and ``campaign_named`` (closed) with the ``designation`` of 河口镇.
Here: the first version of ``campaign_named``'s published named list (``named_list``).
"""

from __future__ import annotations

from fazhi.campaigns import models as m
from fazhi.campaigns.services.designations import canonical_json, named_list_content, sha256_of

# URL parameter kinds of the public pages: the campaign whose notice is shown, a unit on notice, a named campaign.
SAMPLES = {"notice": "campaign_notice", "unit": "application_notice", "named": "campaign_named"}


def build(tree, personas, world) -> dict:
    campaign = m.Campaign.objects.get(pk=world["campaign_named"])
    content = canonical_json(named_list_content(campaign, 1))
    named_list = m.NamedList.objects.create(campaign=campaign, number=1, content=content, sha256=sha256_of(content))
    return {"named_list": named_list.pk}


# --- a scenario for the notice area's own tests --------------------------------------------------------------


def notice_scenario(tree, *, quota: int = 2, starts=None, ends=None) -> dict:
    """青山县's campaign on notice: 河口村 (rank 1) and 东门村 (rank 2) on notice, 西街社区 (rank 3) passed but
    outside the quota of 2, in the published result version 1. The notice runs ``starts``–``ends`` (default:
    from yesterday to five days on: 7 days, both ends included)."""
    import datetime as dt

    from django.utils import timezone

    from tests.campaigns.world import _application, _campaign, _standard

    today = timezone.localdate()
    campaign = _campaign(
        _standard(tree),
        tree.county,
        m.Stage.NOTICE,
        title="青山县民主法治示范村（社区）创建",
        notice_starts=starts or today - dt.timedelta(days=1),
        notice_ends=ends or today + dt.timedelta(days=5),
    )
    campaign.kind, campaign.quota = m.CampaignKind.DEMOCRACY_VILLAGE, quota
    campaign.save(update_fields=["kind", "quota"])
    first = _application(campaign, tree.village2, m.ApplicationState.ON_NOTICE)
    second = _application(campaign, tree.village, m.ApplicationState.ON_NOTICE)
    third = _application(campaign, tree.community, m.ApplicationState.PASSED)
    version = m.ResultVersion.objects.create(campaign=campaign, number=1, published_at=timezone.now(), sha256="0" * 64)
    for rank, (application, composite) in enumerate(((first, 9150), (second, 8720), (third, 8010)), start=1):
        m.ApplicationResult.objects.create(
            version=version,
            application=application,
            composite=composite,
            review_component=composite,
            review_total=composite // 4,
            passed=True,
            rank=rank,
            in_quota=rank <= quota,
            reviewers=3,
            sheets=3,
        )
    return {"campaign": campaign, "first": first, "second": second, "third": third, "version": version}
