from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "fazhi.orgs"
    label = "orgs"
    verbose_name = _("Organisations")

    def ready(self):
        from fazhi.core.audit import register_action_labels
        from fazhi.orgs.audit_actions import ACTION_LABELS

        register_action_labels(ACTION_LABELS)
