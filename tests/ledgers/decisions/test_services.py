"""Services of the decisions ledger: the rules refuse with the step named and write nothing; changes are audited."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from fazhi.core.errors import DomainError
from fazhi.core.models import AuditEvent
from fazhi.ledgers.decisions import services
from fazhi.ledgers.decisions.models import Decision, Procedure, ProcedureEvidence, Status
from tests.ledgers.decisions.factories import FULL_STEPS, make_decided, make_decision, required_steps_only

D = dt.date
PDF = b"%PDF-1.7\n1 0 obj\n%%EOF\n"


def actions(decision) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type="decisions.decision", object_id=str(decision.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_deciding_without_a_legality_review_is_refused_naming_the_step(tree, personas):
    steps = required_steps_only()
    del steps["legality_review"]
    decision = make_decision(tree.township, steps=steps)
    with pytest.raises(DomainError) as refused:
        services.decision_decide(actor=personas["township_clerk"], decision=decision)
    assert refused.value.field == "legality_review"
    assert refused.value.rule == "decisions.legality_review_required"
    assert "legality review" in refused.value.message
    decision.refresh_from_db()
    assert decision.status == Status.CATALOGUED and decision.decided_on is None
    assert "decisions.decision.decided" not in actions(decision)


def test_deciding_with_the_review_after_the_meeting_is_refused(tree):
    steps = required_steps_only()
    steps["legality_review"] = (D(2026, 4, 20), D(2026, 4, 30))
    decision = make_decision(tree.township, steps=steps)
    with pytest.raises(DomainError) as refused:
        services.decision_decide(actor=None, decision=decision)
    assert refused.value.field == "legality_review" and refused.value.rule == "decisions.step_order"
    assert "before the collective decision" in refused.value.message


def test_a_complete_decision_is_decided_on_the_meeting_date_and_audited(tree, personas):
    decision = make_decision(tree.township, steps=required_steps_only())
    decided = services.decision_decide(actor=personas["township_clerk"], decision=decision)
    assert decided.status == Status.DECIDED and decided.decided_on == D(2026, 4, 28)
    assert actions(decision)[-1] == "decisions.decision.decided"
    event = AuditEvent.objects.get(action="decisions.decision.decided")
    assert event.actor == personas["township_clerk"] and event.new["decided_on"] == "2026-04-28"


def test_technical_decisions_need_expert_argumentation(tree):
    decision = make_decision(tree.township, technical=True, steps=required_steps_only())
    with pytest.raises(DomainError) as refused:
        services.decision_decide(actor=None, decision=decision)
    assert refused.value.field == "expert_argumentation"
    services.procedure_record(actor=None, decision=decision, kind="expert_argumentation", ended_on=D(2026, 4, 2))
    assert services.decision_decide(actor=None, decision=decision).status == Status.DECIDED


def test_the_risk_categories_come_from_settings(tree, settings):
    steps = required_steps_only(risk=False)
    decision = make_decision(tree.township, category="utility_prices", steps=steps)
    with pytest.raises(DomainError) as refused:
        services.decision_decide(actor=None, decision=decision)
    assert refused.value.field == "risk_assessment"
    settings.FAZHI_DECISION_RISK_CATEGORIES = ["land_acquisition"]
    assert services.decision_decide(actor=None, decision=decision).status == Status.DECIDED


def test_the_comment_period_comes_from_settings(tree, settings):
    decision = make_decision(tree.township, steps=required_steps_only())  # a 30-day period
    settings.FAZHI_DECISION_COMMENT_DAYS = 31
    with pytest.raises(DomainError) as refused:
        services.decision_decide(actor=None, decision=decision)
    assert refused.value.field == "public_participation" and "30 days" in refused.value.message
    settings.FAZHI_DECISION_COMMENT_DAYS = 30
    assert services.decision_decide(actor=None, decision=decision).status == Status.DECIDED


def test_the_review_period_is_counted_in_working_days(tree, settings):
    decision = make_decision(tree.township)
    # Sent Tuesday 7 April 2026; 7 working days run out on Thursday 16 April.
    review = services.procedure_record(
        actor=None, decision=decision, kind="legality_review", started_on=D(2026, 4, 7), ended_on=D(2026, 4, 15)
    )
    assert review.review_period_ok is False
    review = services.procedure_record(
        actor=None, decision=decision, kind="legality_review", started_on=D(2026, 4, 7), ended_on=D(2026, 4, 16)
    )
    assert review.review_period_ok is True
    assert Procedure.objects.filter(decision=decision).count() == 1  # corrected, not duplicated
    settings.FAZHI_DECISION_REVIEW_WORKING_DAYS = 6
    review = services.procedure_record(
        actor=None, decision=decision, kind="legality_review", started_on=D(2026, 4, 7), ended_on=D(2026, 4, 15)
    )
    assert review.review_period_ok is True


def test_a_review_clock_running_into_an_uncovered_year_is_refused(tree):
    decision = make_decision(tree.township)
    with pytest.raises(DomainError) as refused:
        services.procedure_record(
            actor=None, decision=decision, kind="legality_review", started_on=D(2026, 12, 28), ended_on=D(2027, 1, 12)
        )
    assert refused.value.rule == "calendar.year_not_covered" and "2027" in refused.value.message
    assert not Procedure.objects.filter(decision=decision).exists()


def test_step_dates_in_the_wrong_order_are_refused(tree):
    decision = make_decision(tree.township)
    with pytest.raises(DomainError) as refused:
        services.procedure_record(
            actor=None, decision=decision, kind="public_participation", started_on=D(2026, 4, 1), ended_on=D(2026, 3, 1)
        )
    assert refused.value.field == "ended_on"
    assert not Procedure.objects.exists()


def test_a_decided_decision_is_locked(tree):
    decision = make_decided(tree.township)
    with pytest.raises(DomainError) as refused:
        services.procedure_record(
            actor=None, decision=decision, kind="hearing", started_on=D(2026, 3, 1), ended_on=D(2026, 3, 9)
        )
    assert refused.value.rule == "decisions.not_open"
    with pytest.raises(DomainError):
        services.procedure_remove(actor=None, procedure=decision.procedures.get(kind="legality_review"))
    with pytest.raises(DomainError):
        services.decision_update(actor=None, decision=decision, title="改了")
    # The evaluation's due date may still be set.
    services.decision_update(actor=None, decision=decision, evaluation_due=D(2027, 4, 28))
    assert Decision.objects.get(pk=decision.pk).evaluation_due == D(2027, 4, 28)


def test_evaluation_only_after_the_decision(tree):
    decision = make_decision(tree.township)
    with pytest.raises(DomainError):
        services.decision_evaluate(actor=None, decision=decision, evaluated_on=D(2026, 10, 1), finding="良好")
    decided = make_decided(tree.township, title="另一事项")
    with pytest.raises(DomainError) as refused:
        services.decision_evaluate(actor=None, decision=decided, evaluated_on=D(2026, 4, 1), finding="良好")
    assert refused.value.field == "evaluated_on"
    services.decision_evaluate(actor=None, decision=decided, evaluated_on=D(2026, 10, 1), finding="实施效果良好")
    decided.refresh_from_db()
    assert decided.evaluated_on == D(2026, 10, 1) and actions(decided)[-1] == "decisions.decision.evaluated"


def test_withdrawal_needs_a_reason(tree):
    decision = make_decision(tree.township)
    with pytest.raises(DomainError):
        services.decision_withdraw(actor=None, decision=decision, reason="  ")
    services.decision_withdraw(actor=None, decision=decision, reason="上级政策调整，不再实施")
    decision.refresh_from_db()
    assert decision.status == Status.WITHDRAWN


def test_the_same_title_twice_in_a_year_is_refused(tree):
    make_decision(tree.township, title="同一事项")
    with pytest.raises(DomainError) as refused:
        make_decision(tree.township, title="同一事项")
    assert refused.value.rule == "decisions.duplicate"
    make_decision(tree.township, title="同一事项", year=2025)  # another year's catalogue


def test_only_editors_in_scope_may_write(tree, personas):
    with pytest.raises(PermissionDenied):
        make_decision(tree.other_county, actor=personas["township_clerk"])
    with pytest.raises(PermissionDenied):
        make_decision(tree.township, actor=personas["leader"])
    assert not Decision.objects.exists()


def test_evidence_is_checked_by_content_hashed_and_stored(tree, personas, settings):
    decision = make_decision(tree.township, steps={"legality_review": FULL_STEPS["legality_review"]})
    procedure = decision.procedures.get()
    evidence = services.evidence_add(
        actor=personas["township_clerk"], procedure=procedure, uploaded_file=ContentFile(PDF, name="审查意见书.pdf")
    )
    assert evidence.sha256 == hashlib.sha256(PDF).hexdigest() and evidence.content_type == "application/pdf"
    assert default_storage.exists(evidence.file.name) and "审查" not in evidence.file.name
    with pytest.raises(DomainError) as refused:
        services.evidence_add(actor=None, procedure=procedure, uploaded_file=ContentFile(b"MZ\x90\x00", name="x.pdf"))
    assert refused.value.rule == "decisions.evidence_type"
    settings.FAZHI_EVIDENCE_MAX_MB = 1
    with pytest.raises(DomainError) as refused:
        services.evidence_add(
            actor=None, procedure=procedure, uploaded_file=ContentFile(PDF + b"0" * 1024 * 1024, name="big.pdf")
        )
    assert refused.value.rule == "decisions.evidence_too_large"
    assert ProcedureEvidence.objects.count() == 1
    assert "decisions.evidence.added" in actions(decision)
