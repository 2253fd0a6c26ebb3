"""The campaigns area's additions to the campaign world (see tests/campaigns/world.py).

``campaign_pooled`` (organiser 青山县, stage application) has the ``reviewer`` persona in its pool with a declared
``conflict`` (城关镇), and a second reviewer, 池中专家, as ``pool_member`` (no assignments, so removable).
The base campaigns have no pool: a reviewer sees them only through their assignments' pages.
"""

from __future__ import annotations

from fazhi.campaigns import models as m
from tests.factories import make_user

SAMPLES = {"member": "pool_member", "conflict": "conflict"}


def build(tree, personas, world) -> dict:
    campaign = m.Campaign.objects.create(
        organiser=tree.county,
        kind=m.CampaignKind.COMMUNITY,
        title="青山县法治社区创建",
        batch="第一批",
        year=2026,
        standard_id=world["world_standard"],
        pass_score=6000,
        quota=2,
        stage=m.Stage.APPLICATION,
    )
    m.PoolMember.objects.create(campaign=campaign, user=personas["reviewer"])
    spare = make_user("pool_reviewer", org=tree.county, role="reviewer", full_name="池中专家")
    member = m.PoolMember.objects.create(campaign=campaign, user=spare)
    conflict = m.Conflict.objects.create(
        campaign=campaign, reviewer=personas["reviewer"], org=tree.township, reason="曾在城关镇任职"
    )
    return {"campaign_pooled": campaign.pk, "pool_member": member.pk, "conflict": conflict.pk}
