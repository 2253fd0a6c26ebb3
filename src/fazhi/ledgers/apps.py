from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgersConfig(AppConfig):
    name = "fazhi.ledgers"
    label = "ledgers"
    verbose_name = _("Ledgers")

    def ready(self):
        from fazhi.ledgers.common.setup import ready

        ready()
