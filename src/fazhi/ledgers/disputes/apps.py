"""Ledger: Disputes."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisputesConfig(AppConfig):
    name = "fazhi.ledgers.disputes"
    label = "disputes"
    verbose_name = _("Disputes")

    def ready(self):
        from fazhi.core.audit import register_action_labels
        from fazhi.ledgers.common.registry import LedgerInfo, register_importer, register_ledger
        from fazhi.ledgers.disputes.audit_actions import ACTION_LABELS
        from fazhi.ledgers.disputes.importers import IMPORTERS
        from fazhi.ledgers.disputes.selectors import deadlines

        register_action_labels(ACTION_LABELS)
        register_ledger(
            LedgerInfo(
                name="disputes", title=_("Disputes"), index_url_name="disputes_index", order=40, deadlines=deadlines
            )
        )
        for register, importer in IMPORTERS.items():
            register_importer(f"disputes.{register}", importer)
