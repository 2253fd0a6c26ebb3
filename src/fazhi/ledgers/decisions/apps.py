from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "fazhi.ledgers.decisions"
    label = "decisions"
    verbose_name = _("Major administrative decisions")

    def ready(self):
        from fazhi.core.audit import register_action_labels
        from fazhi.ledgers.common.registry import LedgerInfo, register_importer, register_ledger
        from fazhi.ledgers.decisions.audit_actions import ACTION_LABELS
        from fazhi.ledgers.decisions.importers import DecisionImporter
        from fazhi.ledgers.decisions.selectors import deadlines

        register_action_labels(ACTION_LABELS)
        register_ledger(
            LedgerInfo(
                name="decisions",
                title=_("Major administrative decisions"),
                index_url_name="decision_list",
                order=20,
                deadlines=deadlines,
            )
        )
        register_importer("decisions", DecisionImporter)
