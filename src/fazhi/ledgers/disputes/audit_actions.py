"""Labels of the ledger "Disputes"' audit actions (registered by the app's ready())."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "disputes.reconsideration.created": _("Reconsideration case recorded"),
    "disputes.reconsideration.updated": _("Reconsideration case changed"),
    "disputes.reconsideration.extended": _("Reconsideration decision period extended"),
    "disputes.litigation.created": _("Litigation case recorded"),
    "disputes.litigation.updated": _("Litigation case changed"),
    "disputes.mediation.created": _("Mediation recorded"),
    "disputes.mediation.updated": _("Mediation changed"),
    "disputes.disclosure.created": _("Disclosure request recorded"),
    "disputes.disclosure.updated": _("Disclosure request changed"),
    "disputes.disclosure.extended": _("Disclosure answer period extended"),
    "disputes.reconsideration.exported": _("Reconsideration cases exported"),
    "disputes.litigation.exported": _("Litigation cases exported"),
    "disputes.mediation.exported": _("Mediations exported"),
    "disputes.disclosure.exported": _("Disclosure requests exported"),
}
