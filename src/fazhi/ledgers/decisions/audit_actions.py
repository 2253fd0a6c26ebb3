"""Labels of the audit actions the decisions ledger writes (registered in ``DecisionsConfig.ready``)."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "decisions.decision.created": _("Major decision added to the catalogue"),
    "decisions.decision.updated": _("Major decision edited"),
    "decisions.decision.decided": _("Major decision recorded as decided"),
    "decisions.decision.withdrawn": _("Major decision withdrawn"),
    "decisions.decision.evaluated": _("Major decision evaluated"),
    "decisions.decision.imported": _("Major decision imported"),
    "decisions.procedure.recorded": _("Decision procedure recorded"),
    "decisions.procedure.removed": _("Decision procedure removed"),
    "decisions.evidence.added": _("Decision evidence file added"),
    "decisions.evidence.removed": _("Decision evidence file removed"),
}
