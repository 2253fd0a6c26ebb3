from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "fazhi.ledgers.documents"
    label = "documents"
    verbose_name = _("Normative documents")

    def ready(self):
        from fazhi.core.audit import register_action_labels
        from fazhi.ledgers.common.registry import LedgerInfo, register_importer, register_ledger
        from fazhi.ledgers.documents import selectors, services
        from fazhi.ledgers.documents.audit_actions import ACTION_LABELS
        from fazhi.ledgers.documents.importers import DocumentImporter

        register_action_labels(ACTION_LABELS)
        register_ledger(
            LedgerInfo(
                name="documents",
                title=_("Normative documents"),
                index_url_name="document_index",
                order=10,
                deadlines=selectors.deadlines,
                daily=services.daily,
            )
        )
        register_importer("documents", DocumentImporter)
