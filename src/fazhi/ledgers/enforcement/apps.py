from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    name = "fazhi.ledgers.enforcement"
    label = "enforcement"
    verbose_name = _("Administrative enforcement")

    def ready(self):
        from fazhi.core.audit import register_action_labels
        from fazhi.ledgers.common.registry import LedgerInfo, register_importer, register_ledger
        from fazhi.ledgers.enforcement import audit_actions, importers, selectors

        register_action_labels(audit_actions.ACTION_LABELS)
        register_ledger(
            LedgerInfo(
                name="enforcement",
                title=_("Administrative enforcement"),
                index_url_name="enforcement_index",
                order=30,
                deadlines=selectors.deadlines,
            )
        )
        register_importer("enforcement.officers", importers.OfficerImporter)
        register_importer("enforcement.exams", importers.ExamImporter)
        register_importer("enforcement.case_files", importers.CaseFileImporter)
