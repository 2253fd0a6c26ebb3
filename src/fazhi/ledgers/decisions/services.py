"""Writes to the ledger of major decisions: each one atomic, its rules checked (``rules.py``), and audited.

The pages, the API and the importer all come through here, so a rule holds everywhere. Rules are refused with a
``DomainError`` whose ``rule`` is ``decisions.<rule>`` and whose ``field`` names the input (for the steps of a
decision: the step's kind).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from fazhi.core import filetypes
from fazhi.core.audit import audit_record, audit_record_many
from fazhi.core.errors import DomainError
from fazhi.core.problems import Problem
from fazhi.core.uploads import evidence_check, evidence_name, file_sha256
from fazhi.core.workdays import add_working_days
from fazhi.ledgers.decisions import rules
from fazhi.ledgers.decisions.models import Category, Decision, Procedure, ProcedureEvidence, Status
from fazhi.orgs import roles
from fazhi.orgs.access import has_capability

EDITABLE_FIELDS = (
    "year",
    "title",
    "category",
    "technical",
    "public_comment_required",
    "hearing_required",
    "evaluation_due",
    "note",
)
_STEP_NAMES = set(rules.STEP_NAMES.values())


def message(problem: Problem) -> str:
    """The problem in the active language, the step names in its parameters translated too."""
    params = {key: _(value) if value in _STEP_NAMES else value for key, value in problem.params.items()}
    return _(problem.message) % params


def _require_edit(actor, org) -> None:
    if actor is not None and not has_capability(actor, roles.LEDGER_EDIT, org):
        raise PermissionDenied


def _lock(decision: Decision) -> Decision:
    return Decision.objects.select_for_update().select_related("org").get(pk=decision.pk)


def _require_open(decision: Decision) -> None:
    if decision.status != Status.CATALOGUED:
        raise DomainError(
            _("This decision is %(status)s: its catalogue entry and procedures can no longer change.")
            % {"status": decision.get_status_display()},
            rule="decisions.not_open",
            field="status",
        )


def _check_fields(*, year: int, title: str, category: str) -> None:
    if not title.strip():
        raise DomainError(_("The title is required."), rule="decisions.title_required", field="title")
    if category not in Category.values:
        raise DomainError(_("Unknown category."), rule="decisions.category", field="category")
    if not 2000 <= year <= 2100:
        raise DomainError(_("The year must lie between 2000 and 2100."), rule="decisions.year", field="year")


def _check_unique(*, org, year: int, title: str, exclude: int | None = None) -> None:
    taken = Decision.objects.filter(org=org, year=year, title=title.strip())
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise DomainError(
            _("%(org)s's catalogue for %(year)d already holds a decision with this title.")
            % {"org": org.name, "year": year},
            rule="decisions.duplicate",
            field="title",
        )


def _snapshot(decision: Decision) -> dict:
    return {name: getattr(decision, name) for name in (*EDITABLE_FIELDS, "status", "decided_on")}


@transaction.atomic
def decision_create(
    *,
    actor,
    org,
    year: int,
    title: str,
    category: str,
    technical: bool = False,
    public_comment_required: bool = True,
    hearing_required: bool = False,
    evaluation_due: dt.date | None = None,
    note: str = "",
) -> Decision:
    """Add a matter to ``org``'s catalogue of major decisions for ``year``."""
    _require_edit(actor, org)
    _check_fields(year=year, title=title, category=category)
    _check_unique(org=org, year=year, title=title)
    decision = Decision.objects.create(
        org=org,
        year=year,
        title=title.strip(),
        category=category,
        technical=technical,
        public_comment_required=public_comment_required,
        hearing_required=hearing_required,
        evaluation_due=evaluation_due,
        note=note,
    )
    audit_record(actor=actor, action="decisions.decision.created", obj=decision, new=_snapshot(decision))
    return decision


@transaction.atomic
def decision_update(*, actor, decision: Decision, **changes) -> Decision:
    """Change the catalogue entry (while the decision is open; only the evaluation's due date afterwards)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    _require_edit(actor, decision.org)
    decision = _lock(decision)
    if set(changes) - {"evaluation_due", "note"} or decision.status == Status.WITHDRAWN:
        _require_open(decision)
    old = _snapshot(decision)
    for name, value in changes.items():
        setattr(decision, name, value.strip() if name == "title" else value)
    _check_fields(year=decision.year, title=decision.title, category=decision.category)
    _check_unique(org=decision.org, year=decision.year, title=decision.title, exclude=decision.pk)
    decision.save()
    new = _snapshot(decision)
    changed = {k for k in new if new[k] != old[k]}
    if changed:
        audit_record(
            actor=actor,
            action="decisions.decision.updated",
            obj=decision,
            old={k: old[k] for k in changed},
            new={k: new[k] for k in changed},
        )
    return decision


def _review_ok(started_on: dt.date | None, ended_on: dt.date, field_name: str = "ended_on") -> bool | None:
    if started_on is None:
        return None
    earliest = add_working_days(started_on, settings.FAZHI_DECISION_REVIEW_WORKING_DAYS, field=field_name)
    return rules.review_period_ok(started_on, ended_on, earliest)


@transaction.atomic
def procedure_record(
    *,
    actor,
    decision: Decision,
    kind: str,
    started_on: dt.date | None = None,
    ended_on: dt.date | None,
    summary: str = "",
) -> Procedure:
    """Record (or correct) the decision's procedure of this kind."""
    _require_edit(actor, decision.org)
    if kind not in rules.PROCEDURES:
        raise DomainError(_("Unknown step."), rule="decisions.step", field="kind")
    decision = _lock(decision)
    _require_open(decision)
    if kind not in rules.STARTED:
        started_on = started_on or None
    for name, problem in rules.step_problems(kind, started_on, ended_on):
        raise DomainError(message(problem), rule=rules.rule_of(name, problem), field=name)
    procedure = Procedure.objects.filter(decision=decision, kind=kind).first()
    old = None
    if procedure is None:
        procedure = Procedure(decision=decision, kind=kind)
    else:
        old = {"started_on": procedure.started_on, "ended_on": procedure.ended_on, "summary": procedure.summary}
    procedure.started_on = started_on
    procedure.ended_on = ended_on
    procedure.summary = summary
    procedure.period_days = rules.period_days(started_on, ended_on)
    procedure.review_period_ok = _review_ok(started_on, ended_on) if kind == rules.LEGALITY_REVIEW else None
    procedure.save()
    audit_record(
        actor=actor,
        action="decisions.procedure.recorded",
        obj=decision,
        old={"step": kind, **old} if old else None,
        new={"step": kind, "started_on": started_on, "ended_on": ended_on, "summary": summary},
    )
    return procedure


@transaction.atomic
def procedure_remove(*, actor, procedure: Procedure) -> None:
    decision = procedure.decision
    _require_edit(actor, decision.org)
    decision = _lock(decision)
    _require_open(decision)
    stored = [e.file.name for e in procedure.evidence.all()]
    old = {"step": procedure.kind, "started_on": procedure.started_on, "ended_on": procedure.ended_on}
    procedure.delete()
    audit_record(actor=actor, action="decisions.procedure.removed", obj=decision, old=old)
    transaction.on_commit(lambda: [default_storage.delete(name) for name in stored])


def facts_of(decision: Decision) -> rules.DecisionFacts:
    return rules.DecisionFacts(
        category=decision.category,
        technical=decision.technical,
        public_comment_required=decision.public_comment_required,
        hearing_required=decision.hearing_required,
    )


def steps_of(procedures) -> dict[str, rules.Step]:
    return {p.kind: rules.Step(p.started_on, p.ended_on) for p in procedures}


def decide_problems(decision: Decision, procedures) -> list[tuple[str, Problem]]:
    """What keeps the decision from being recorded as decided, with today's settings."""
    return rules.decide_problems(
        facts_of(decision),
        steps_of(procedures),
        risk_categories=settings.FAZHI_DECISION_RISK_CATEGORIES,
        comment_days=settings.FAZHI_DECISION_COMMENT_DAYS,
    )


@transaction.atomic
def decision_decide(*, actor, decision: Decision) -> Decision:
    """Record that the decision was taken (on the collective decision's date): refused, naming the step, when a
    required step is missing or out of order."""
    _require_edit(actor, decision.org)
    decision = _lock(decision)
    _require_open(decision)
    procedures = list(decision.procedures.all())
    problems = decide_problems(decision, procedures)
    if problems:
        step, problem = problems[0]
        raise DomainError(message(problem), rule=rules.rule_of(step, problem), field=step)
    decision.status = Status.DECIDED
    decision.decided_on = next(p.ended_on for p in procedures if p.kind == rules.COLLECTIVE_DECISION)
    decision.save(update_fields=["status", "decided_on", "updated_at"])
    audit_record(
        actor=actor,
        action="decisions.decision.decided",
        obj=decision,
        old={"status": Status.CATALOGUED},
        new={"status": Status.DECIDED, "decided_on": decision.decided_on},
    )
    return decision


@transaction.atomic
def decision_withdraw(*, actor, decision: Decision, reason: str) -> Decision:
    """Take the matter out of the year's catalogue (not decided), with a reason."""
    _require_edit(actor, decision.org)
    decision = _lock(decision)
    _require_open(decision)
    if not reason.strip():
        raise DomainError(_("Give the reason for the withdrawal."), rule="decisions.reason_required", field="reason")
    decision.status = Status.WITHDRAWN
    decision.withdrawn_reason = reason.strip()
    decision.save(update_fields=["status", "withdrawn_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="decisions.decision.withdrawn",
        obj=decision,
        old={"status": Status.CATALOGUED},
        new={"status": Status.WITHDRAWN, "reason": decision.withdrawn_reason},
    )
    return decision


@transaction.atomic
def decision_evaluate(*, actor, decision: Decision, evaluated_on: dt.date | None, finding: str) -> Decision:
    """Record the evaluation after the decision (date and finding)."""
    _require_edit(actor, decision.org)
    decision = _lock(decision)
    if decision.status != Status.DECIDED:
        raise DomainError(
            _("Only a decision that was taken can be evaluated."), rule="decisions.not_decided", field="status"
        )
    for name, problem in rules.evaluation_problems(decision.decided_on, evaluated_on, finding):
        raise DomainError(message(problem), rule=rules.rule_of(name, problem), field=name)
    old = {"evaluated_on": decision.evaluated_on, "evaluation_finding": decision.evaluation_finding}
    decision.evaluated_on = evaluated_on
    decision.evaluation_finding = finding.strip()
    decision.save(update_fields=["evaluated_on", "evaluation_finding", "updated_at"])
    audit_record(
        actor=actor,
        action="decisions.decision.evaluated",
        obj=decision,
        old=old,
        new={"evaluated_on": evaluated_on, "evaluation_finding": decision.evaluation_finding},
    )
    return decision


# --- Evidence files --------------------------------------------------------------------------------------------


@transaction.atomic
def evidence_add(*, actor, procedure: Procedure, uploaded_file) -> ProcedureEvidence:
    """Attach a file (its size and real type checked, its SHA-256 stored) to a procedure record. Evidence may be
    added after the decision too (the minutes often come later); it is never served but through the checked view."""
    decision = procedure.decision
    _require_edit(actor, decision.org)
    decision = _lock(decision)
    if decision.status == Status.WITHDRAWN:
        _require_open(decision)
    name = evidence_name(uploaded_file, ProcedureEvidence._meta.get_field("name").max_length)
    kind = evidence_check(uploaded_file, name, rule_prefix="decisions")
    evidence = ProcedureEvidence(
        procedure=procedure,
        name=name,
        content_type=filetypes.content_type(kind),
        size=uploaded_file.size,
        sha256=file_sha256(uploaded_file),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    evidence.file.save(evidence.sha256, uploaded_file, save=False)
    try:
        evidence.save()
        audit_record(
            actor=actor,
            action="decisions.evidence.added",
            obj=decision,
            new={
                "evidence": evidence.pk,
                "step": procedure.kind,
                "name": name,
                "type": kind,
                "size": evidence.size,
                "sha256": evidence.sha256,
            },
        )
    except BaseException:
        default_storage.delete(evidence.file.name)  # the row is not written: neither is the file
        raise
    return evidence


@transaction.atomic
def evidence_remove(*, actor, evidence: ProcedureEvidence) -> None:
    decision = evidence.procedure.decision
    _require_edit(actor, decision.org)
    decision = _lock(decision)
    _require_open(decision)
    stored = evidence.file.name
    old = {"evidence": evidence.pk, "step": evidence.procedure.kind, "name": evidence.name, "sha256": evidence.sha256}
    evidence.delete()
    audit_record(actor=actor, action="decisions.evidence.removed", obj=decision, old=old)
    transaction.on_commit(lambda: default_storage.delete(stored))


# --- Bulk import -----------------------------------------------------------------------------------------------


@dataclass
class DecisionDraft:
    """One decision of an import, checked by the importer with the same rules, written by ``decision_bulk_import``."""

    org: object
    year: int
    title: str
    category: str
    technical: bool = False
    public_comment_required: bool = True
    hearing_required: bool = False
    status: str = Status.CATALOGUED
    evaluation_due: dt.date | None = None
    evaluated_on: dt.date | None = None
    evaluation_finding: str = ""
    note: str = ""
    steps: dict[str, tuple[dt.date | None, dt.date, bool | None]] = field(default_factory=dict)

    @property
    def decided(self) -> bool:
        return self.status == Status.DECIDED


def draft_problems(draft: DecisionDraft) -> list[tuple[str, Problem]]:
    """Every rule a single decision of an import must meet (the services' rules): ``(step or field, problem)``."""
    problems: list[tuple[str, Problem]] = []
    steps = {kind: rules.Step(start, end) for kind, (start, end, _ok) in draft.steps.items()}
    for kind, step in steps.items():
        problems += [(kind, p) for _f, p in rules.step_problems(kind, step.started_on, step.ended_on)]
    if draft.decided:
        problems += rules.decide_problems(
            rules.DecisionFacts(draft.category, draft.technical, draft.public_comment_required, draft.hearing_required),
            steps,
            risk_categories=settings.FAZHI_DECISION_RISK_CATEGORIES,
            comment_days=settings.FAZHI_DECISION_COMMENT_DAYS,
        )
        if draft.evaluated_on is not None or draft.evaluation_finding:
            decided_on = steps[rules.COLLECTIVE_DECISION].ended_on if rules.COLLECTIVE_DECISION in steps else None
            problems += rules.evaluation_problems(decided_on, draft.evaluated_on, draft.evaluation_finding)
    elif draft.evaluated_on is not None or draft.evaluation_finding:
        problems.append(("evaluated_on", Problem(rules.NOT_DECIDED)))
    if draft.status == Status.WITHDRAWN and not draft.note.strip():
        problems.append(("note", Problem(rules.WITHDRAWAL_REASON_REQUIRED)))
    return problems


def review_ok_for(started_on: dt.date | None, ended_on: dt.date) -> bool | None:
    """For importers: whether a legality review was given its working days (a DomainError names an uncovered year)."""
    return _review_ok(started_on, ended_on)


@transaction.atomic
def decision_bulk_import(*, actor, drafts: list[DecisionDraft]) -> list[Decision]:
    """Write checked drafts in a few statements: the decisions, their procedures, one audit event per decision.

    The importer checked every rule; the scope and the unique titles are checked again here, and a broken rule
    refuses the whole batch (nothing is written)."""
    for draft in drafts:
        _require_edit(actor, draft.org)
        for kind, problem in draft_problems(draft):
            raise DomainError(message(problem), rule=rules.rule_of(kind, problem), field=kind)
    keys = {(d.org.pk, d.year, d.title) for d in drafts}
    if len(keys) != len(drafts):
        raise DomainError(_("The same decision appears twice."), rule="decisions.duplicate", field="title")
    years = {d.year for d in drafts}
    orgs = {d.org.pk for d in drafts}
    taken = set(
        Decision.objects.filter(org_id__in=orgs, year__in=years).values_list("org_id", "year", "title").iterator()
    )
    if keys & taken:
        org_id, year, title = sorted(keys & taken)[0]
        raise DomainError(
            _("%(year)d's catalogue already holds “%(title)s”.") % {"year": year, "title": title},
            rule="decisions.duplicate",
            field="title",
        )
    decisions = [
        Decision(
            org=d.org,
            year=d.year,
            title=d.title,
            category=d.category,
            technical=d.technical,
            public_comment_required=d.public_comment_required,
            hearing_required=d.hearing_required,
            status=d.status,
            withdrawn_reason=d.note if d.status == Status.WITHDRAWN else "",
            decided_on=d.steps[rules.COLLECTIVE_DECISION][1] if d.decided else None,
            evaluation_due=d.evaluation_due,
            evaluated_on=d.evaluated_on,
            evaluation_finding=d.evaluation_finding,
            note="" if d.status == Status.WITHDRAWN else d.note,
        )
        for d in drafts
    ]
    Decision.objects.bulk_create(decisions, batch_size=500)
    procedures = [
        Procedure(
            decision=decision,
            kind=kind,
            started_on=start,
            ended_on=end,
            period_days=rules.period_days(start, end),
            review_period_ok=ok if kind == rules.LEGALITY_REVIEW else None,
        )
        for decision, draft in zip(decisions, drafts, strict=True)
        for kind, (start, end, ok) in draft.steps.items()
    ]
    Procedure.objects.bulk_create(procedures, batch_size=1000)
    audit_record_many(
        actor=actor,
        action="decisions.decision.imported",
        entries=(
            (
                decision,
                None,
                {
                    **_snapshot(decision),
                    "steps": {kind: [start, end] for kind, (start, end, _ok) in draft.steps.items()},
                },
            )
            for decision, draft in zip(decisions, drafts, strict=True)
        ),
    )
    return decisions
