"""Labels of the audit actions the ledger "Normative documents" writes (registered in ``DocumentsConfig.ready``)."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "documents.document.created": _("Normative document recorded"),
    "documents.document.updated": _("Normative document edited"),
    "documents.document.commented": _("Normative document: public comment recorded"),
    "documents.document.review_submitted": _("Normative document submitted for legality review"),
    "documents.document.reviewed": _("Normative document: legality review reported"),
    "documents.document.decided": _("Normative document: collective decision recorded"),
    "documents.document.registered": _("Normative document registered"),
    "documents.document.published": _("Normative document published"),
    "documents.document.filed": _("Normative document filed with the government above"),
    "documents.document.evaluated": _("Normative document evaluated before expiry"),
    "documents.document.ended": _("Normative document repealed, replaced or declared invalid"),
    "documents.document.ended_by_cleanup": _("Normative document ended by a cleanup"),
    "documents.document.expired": _("Normative document expired"),
    "documents.cleanup.started": _("Cleanup of normative documents started"),
    "documents.cleanup.decided": _("Cleanup: outcome recorded for a document"),
}
