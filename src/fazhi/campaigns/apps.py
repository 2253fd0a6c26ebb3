from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "fazhi.campaigns"
    label = "campaigns"
    verbose_name = _("Creation campaigns")

    def ready(self):
        from fazhi.campaigns.audit_actions import ACTION_LABELS
        from fazhi.core.audit import register_action_labels

        register_action_labels(ACTION_LABELS)
