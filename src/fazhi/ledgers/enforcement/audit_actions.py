"""Labels of the audit actions the enforcement ledger writes (registered in ``EnforcementConfig.ready``)."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "enforcement.officer.created": _("Enforcement officer added"),
    "enforcement.officer.updated": _("Enforcement officer edited"),
    "enforcement.certificate.created": _("Enforcement certificate added"),
    "enforcement.certificate.updated": _("Enforcement certificate edited"),
    "enforcement.year.recorded": _("Enforcement exams and training recorded"),
    "enforcement.case_file.created": _("Reviewed case file added"),
    "enforcement.case_file.updated": _("Reviewed case file edited"),
    "enforcement.exported": _("Enforcement register exported"),
}
