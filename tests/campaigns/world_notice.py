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
