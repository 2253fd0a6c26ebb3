"""Labels of the audit actions the study ledger writes (registered in ``StudyConfig.ready``)."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "study.learner.created": _("Learner added"),
    "study.learner.updated": _("Learner changed"),
    "study.learners.exported": _("Learners exported"),
    "study.sessions.exported": _("Study sessions exported"),
    "study.appointments.exported": _("Appointments exported"),
    "study.session.created": _("Study session recorded"),
    "study.session.updated": _("Study session changed"),
    "study.meeting.created": _("Standing meeting recorded"),
    "study.meeting.updated": _("Standing meeting changed"),
    "study.appointment.created": _("Appointment and law test recorded"),
    "study.appointment.updated": _("Appointment and law test changed"),
    "study.publicity.created": _("Publicity event recorded"),
    "study.publicity.updated": _("Publicity event changed"),
}
