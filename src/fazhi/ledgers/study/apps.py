from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudyConfig(AppConfig):
    name = "fazhi.ledgers.study"
    label = "study"
    verbose_name = _("Law study and publicity")

    def ready(self):
        from fazhi.core.audit import register_action_labels
        from fazhi.ledgers.common.registry import LedgerInfo, register_importer, register_ledger
        from fazhi.ledgers.study import importers, selectors
        from fazhi.ledgers.study.audit_actions import ACTION_LABELS

        register_action_labels(ACTION_LABELS)
        register_ledger(
            LedgerInfo(
                name="study",
                title=_("Law study and publicity"),
                index_url_name="study_index",
                order=50,
                deadlines=selectors.deadlines,
            )
        )
        register_importer("study.sessions", importers.SessionImporter)
        register_importer("study.learners", importers.LearnerImporter)
        register_importer("study.publicity", importers.PublicityImporter)
        register_importer("study.meetings", importers.MeetingImporter)
        register_importer("study.appointments", importers.AppointmentImporter)
