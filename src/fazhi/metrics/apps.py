from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetricsConfig(AppConfig):
    name = "fazhi.metrics"
    label = "metrics"
    verbose_name = _("Metrics")

    def ready(self):
        # Each ledger's metrics module registers its metrics when imported.
        from fazhi.metrics import decisions, disputes, documents, enforcement, study  # noqa: F401
