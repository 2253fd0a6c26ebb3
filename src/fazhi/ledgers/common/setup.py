"""What the ``ledgers`` app registers when Django starts: the calendar's import and the calendar's audit labels."""

from __future__ import annotations


def ready() -> None:
    from fazhi.core.audit import register_action_labels
    from fazhi.core.workdays import ACTION_LABELS
    from fazhi.ledgers.common.calendar import IMPORT_KEY, CalendarDayImporter
    from fazhi.ledgers.common.importing import ACTION_LABELS as EXPORT_LABELS
    from fazhi.ledgers.common.registry import register_importer
    from fazhi.ledgers.common.viewing import ACTION_LABELS as VIEWING_LABELS

    register_action_labels(ACTION_LABELS)
    register_action_labels(EXPORT_LABELS)
    register_action_labels(VIEWING_LABELS)
    register_importer(IMPORT_KEY, CalendarDayImporter)
