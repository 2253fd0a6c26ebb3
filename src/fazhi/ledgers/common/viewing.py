"""Who opened which ledger record holding personal data.

Ledgers hold personal data (officers' certificates and exam results, the parties of reconsideration, litigation
and mediation, requesters of information, learners' hours). The Personal Information Protection Law asks that
access to it be traceable: exports are audited (:func:`fazhi.ledgers.common.importing.export_dicts`), and a
detail page or API detail that shows a record's personal data calls :func:`record_viewed`.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy

from fazhi.core.audit import audit_record

VIEWED = "ledgers.record_viewed"
ACTION_LABELS = {VIEWED: gettext_lazy("Ledger record with personal data viewed")}


def record_viewed(*, actor, record, via: str = "page") -> None:
    """Audit that ``actor`` opened ``record`` (a ledger model instance with an ``org``); ``via`` is "page" or "api"."""
    with transaction.atomic():
        audit_record(actor=actor, action=VIEWED, obj=record, new={"via": via})
