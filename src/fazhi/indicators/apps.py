from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "fazhi.indicators"
    label = "indicators"
    verbose_name = _("Scoring standards")

    def ready(self):
        from fazhi.core.audit import register_action_labels
        from fazhi.indicators.audit_actions import ACTION_LABELS

        register_action_labels(ACTION_LABELS)
