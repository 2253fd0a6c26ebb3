"""The decisions ledger's objects for the permission table and the air-gap test.

``decision``: 城关镇's catalogued decision (inside 青山县), with its legality review (``decision_procedure``) and an
evidence file (``decision_evidence``); ``decision_decided``: 城关镇's decided one (evaluation page);
``decision_other``: 白水村's (the other county), with a step (``decision_procedure_other``) and a file
(``decision_evidence_other``) — its clerk may remove them, no one in 青山县 may see them.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile

from fazhi.ledgers.decisions import services
from tests.ledgers.decisions.factories import make_decided, make_decision

PDF = b"%PDF-1.7\n%%EOF\n"

SAMPLES = {
    "decision": "decision",
    "decision_procedure": "decision_procedure",
    "decision_evidence": "decision_evidence",
}


def _with_step_and_file(decision, name: str):
    procedure = services.procedure_record(
        actor=None,
        decision=decision,
        kind="legality_review",
        started_on=dt.date(2026, 4, 7),
        ended_on=dt.date(2026, 4, 20),
    )
    upload = ContentFile(PDF + name.encode(), name=name)
    evidence = services.evidence_add(actor=None, procedure=procedure, uploaded_file=upload)
    return procedure, evidence


def build(tree, personas, world) -> dict:
    decision = make_decision(tree.township, title="城关镇农贸市场搬迁", category="public_facilities")
    procedure, evidence = _with_step_and_file(decision, "合法性审查意见书.pdf")
    decided = make_decided(tree.township, title="城关镇集镇总体规划修编", category="development_plan")
    other = make_decision(tree.other_village, title="白水村集体土地征收补偿", category="land_acquisition")
    other_procedure, other_evidence = _with_step_and_file(other, "审查意见.pdf")
    return {
        "decision": decision.pk,
        "decision_procedure": procedure.pk,
        "decision_evidence": evidence.pk,
        "decision_decided": decided.pk,
        "decision_other": other.pk,
        "decision_procedure_other": other_procedure.pk,
        "decision_evidence_other": other_evidence.pk,
    }
