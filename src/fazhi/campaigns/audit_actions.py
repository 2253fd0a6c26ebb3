"""Labels of the audit actions the campaigns app writes (registered in ``CampaignsConfig.ready``).

Every action a campaigns service records must have a label here (a test checks the ones it sees).
"""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    # campaigns and stages
    "campaigns.campaign.created": _("Campaign created"),
    "campaigns.campaign.updated": _("Campaign settings changed"),
    "campaigns.campaign.stage_advanced": _("Campaign stage advanced"),
    "campaigns.campaign.reviewer_added": _("Reviewer added to a campaign"),
    "campaigns.campaign.reviewer_removed": _("Reviewer removed from a campaign"),
    "campaigns.campaign.conflict_declared": _("Reviewer conflict declared"),
}
