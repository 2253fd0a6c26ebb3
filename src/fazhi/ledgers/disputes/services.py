"""Writing the ledger "Disputes": every page, API call and import goes through these functions.

Each call runs in one transaction: the pure rules (``rules.py``) are checked with the settings' figures, the
derived fields (due dates, handler count, whether the act was corrected) are computed, the row is written and an
audit event appended. A broken rule raises ``DomainError(rule="disputes.<rule>", field=...)`` and writes nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from fazhi.core import calendar
from fazhi.core.audit import audit_record, audit_record_many
from fazhi.core.errors import DomainError
from fazhi.core.i18n import translate
from fazhi.core.workdays import add_working_days
from fazhi.ledgers.disputes import rules
from fazhi.ledgers.disputes.models import DisclosureRequest, LitigationCase, Mediation, ReconsiderationCase
from fazhi.orgs import roles
from fazhi.orgs.access import has_capability


@dataclass(frozen=True)
class RegisterSpec:
    """What the generic create/update/bulk-create need to know about one register."""

    name: str  # "reconsideration", …
    model: type
    fields: tuple[str, ...]  # the editable fields, in form order
    number_field: str  # unique within the org (within the org and court for litigation)
    problems: Callable[[Mapping[str, Any]], list[rules.Broken]]
    derive: Callable[[dict[str, Any]], dict[str, Any]]
    defaults: Mapping[str, Any]


def _reconsideration_problems(values):
    return rules.reconsideration_problems(
        values,
        min_handlers=settings.FAZHI_RECONSIDERATION_MIN_HANDLERS,
        max_extension_days=settings.FAZHI_RECONSIDERATION_EXTENSION_DAYS,
    )


def _reconsideration_derive(values):
    names = rules.handler_names(values.get("handlers") or "")
    return {
        "handlers": "、".join(names),
        "handler_count": len(names),
        "due_on": rules.reconsideration_due(
            values["accepted_on"], values.get("extension_days") or 0, days=settings.FAZHI_RECONSIDERATION_DAYS
        ),
        "act_corrected": rules.reconsideration_corrected(values.get("decision") or "", values.get("act_corrected")),
    }


def _disclosure_problems(values):
    return rules.disclosure_problems(values, max_extension_days=settings.FAZHI_DISCLOSURE_EXTENSION_WORKING_DAYS)


@functools.lru_cache(maxsize=4096)
def _official_due(start, days: int):
    """The clock on the official calendar alone (fixed data, so cached: imports ask for the same dates often);
    None when it runs into a year the official data does not cover."""
    try:
        return calendar.add_working_days(start, days)
    except calendar.YearNotCovered:
        return None


def disclosure_due(received_on, extension_days: int):
    """The answer is due FAZHI_DISCLOSURE_WORKING_DAYS working days after receipt, plus the extension."""
    days = settings.FAZHI_DISCLOSURE_WORKING_DAYS + (extension_days or 0)
    # Past the official data, the clock reads the years administrators entered (which may change): not cached.
    return _official_due(received_on, days) or add_working_days(received_on, days, field="received_on")


def _disclosure_derive(values):
    return {"due_on": disclosure_due(values["received_on"], values.get("extension_days") or 0)}


RECONSIDERATION = RegisterSpec(
    name="reconsideration",
    model=ReconsiderationCase,
    fields=(
        "case_number",
        "applicant",
        "respondent",
        "matter",
        "received_on",
        "accepted_on",
        "handlers",
        "extension_days",
        "decided_on",
        "decision",
        "act_corrected",
        "complied",
    ),
    number_field="case_number",
    problems=_reconsideration_problems,
    derive=_reconsideration_derive,
    defaults={"applicant": "", "extension_days": 0, "decision": "", "handlers": ""},
)
LITIGATION = RegisterSpec(
    name="litigation",
    model=LitigationCase,
    fields=(
        "court",
        "case_number",
        "matter",
        "filed_on",
        "hearing_on",
        "head_appeared",
        "outcome",
        "closed_on",
        "complied",
    ),
    number_field="case_number",
    problems=rules.litigation_problems,
    derive=lambda values: {},
    defaults={"outcome": rules.PENDING},
)
MEDIATION = RegisterSpec(
    name="mediation",
    model=Mediation,
    fields=("number", "kind", "matter", "parties", "screened_on", "mediated_on", "outcome", "concluded_on"),
    number_field="number",
    problems=rules.mediation_problems,
    derive=lambda values: {},
    defaults={"parties": "", "outcome": ""},
)
DISCLOSURE = RegisterSpec(
    name="disclosure",
    model=DisclosureRequest,
    fields=("number", "applicant", "subject", "received_on", "extension_days", "answered_on", "reply"),
    number_field="number",
    problems=_disclosure_problems,
    derive=_disclosure_derive,
    defaults={"applicant": "", "extension_days": 0, "reply": ""},
)
SPECS = {spec.name: spec for spec in (RECONSIDERATION, LITIGATION, MEDIATION, DISCLOSURE)}


# ---------------------------------------------------------------------------------------------
# Generic steps


def _raise_first(problems: list[rules.Broken]) -> None:
    if problems:
        first = problems[0]
        raise DomainError(translate(first), rule=first.rule, field=first.field)


def _require_edit(actor, org) -> None:
    if actor is not None and not has_capability(actor, roles.LEDGER_EDIT, org):
        raise PermissionDenied


def _clean(spec: RegisterSpec, given: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(given) - set(spec.fields)
    if unknown:
        raise TypeError(f"unknown fields for {spec.name}: {sorted(unknown)}")
    values = {field: given.get(field) for field in spec.fields}
    for field, default in spec.defaults.items():
        if values.get(field) in (None, ""):
            values[field] = default
    for field, value in values.items():
        if isinstance(value, str):
            values[field] = value.strip()
    return values


def _number_key(spec: RegisterSpec, values: Mapping[str, Any]) -> tuple:
    return (values.get("court"), values[spec.number_field]) if spec is LITIGATION else (values[spec.number_field],)


def _check_unique(spec: RegisterSpec, org, values, *, exclude_pk=None) -> None:
    lookup = {"org": org, spec.number_field: values[spec.number_field]}
    if spec is LITIGATION:
        lookup["court"] = values["court"]
    taken = spec.model.objects.filter(**lookup)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise DomainError(
            _("The number %(number)s is already in this organisation's register.")
            % {"number": values[spec.number_field]},
            rule="disputes.duplicate_number",
            field=spec.number_field,
        )


@functools.cache
def _required_fields(name: str) -> tuple[str, ...]:
    spec = SPECS[name]
    fields = (spec.model._meta.get_field(field) for field in spec.fields)
    return tuple(
        f.name for f in fields if not f.null and not f.blank and not f.has_default() and f.name not in spec.defaults
    )


def required_fields(spec: RegisterSpec) -> tuple[str, ...]:
    """The editable fields a record cannot be without (neither nullable, blank nor defaulted)."""
    return _required_fields(spec.name)


def problems(spec: RegisterSpec, values: Mapping[str, Any]) -> list[rules.Broken]:
    """Every broken rule of the cleaned ``values``: a required field left empty first, then the register's rules."""
    return rules.required_problems(values, required_fields(spec)) or spec.problems(values)


def prepare(spec: RegisterSpec, given: Mapping[str, Any]) -> dict[str, Any]:
    """The values to store: the given ones checked by the rules, plus the derived fields (or a DomainError)."""
    values = _clean(spec, given)
    _raise_first(problems(spec, values))
    values.update(spec.derive(values))
    return values


def _snapshot(spec: RegisterSpec, record) -> dict[str, Any]:
    return {field: getattr(record, field) for field in (*spec.fields, *_derived_fields(spec))}


def _derived_fields(spec: RegisterSpec) -> tuple[str, ...]:
    return {"reconsideration": ("handler_count", "due_on"), "disclosure": ("due_on",)}.get(spec.name, ())


def record_create(spec: RegisterSpec, *, actor, org, fields: Mapping[str, Any]):
    _require_edit(actor, org)
    if not org.is_active:
        raise DomainError(
            _("%(name)s is no longer active: its ledger takes no new records.") % {"name": org.name},
            rule="disputes.org_inactive",
            field="org",
        )
    values = prepare(spec, fields)
    with transaction.atomic():
        _check_unique(spec, org, values)
        record = spec.model.objects.create(org=org, **values)
        audit_record(actor=actor, action=f"disputes.{spec.name}.created", obj=record, new=_snapshot(spec, record))
    return record


def record_update(spec: RegisterSpec, *, actor, record, fields: Mapping[str, Any]):
    """Change the given fields (the others keep their values); the rules are checked on the whole record."""
    _require_edit(actor, record.org)
    if "extension_days" in fields and (fields["extension_days"] or 0) != record.extension_days:
        # Changing it here would be a second extension, or one after the decision: only record_extend grants it.
        raise DomainError(
            _("The period is extended with its own action, once; an update cannot change the extension."),
            rule=f"disputes.{spec.name}_extension",
            field="extension_days",
        )
    merged = {field: getattr(record, field) for field in spec.fields}
    if spec is RECONSIDERATION and "decision" in fields and "act_corrected" not in fields:
        merged["act_corrected"] = None  # derived from the old decision type: derive it again from the new one
    merged.update(fields)
    values = prepare(spec, merged)
    with transaction.atomic():
        locked = spec.model.objects.select_for_update().get(pk=record.pk)
        old = _snapshot(spec, locked)
        _check_unique(spec, locked.org, values, exclude_pk=locked.pk)
        for field, value in values.items():
            setattr(locked, field, value)
        locked.save()
        new = _snapshot(spec, locked)
        changed = {k for k in new if old[k] != new[k]}
        audit_record(
            actor=actor,
            action=f"disputes.{spec.name}.updated",
            obj=locked,
            old={k: old[k] for k in sorted(changed)},
            new={k: new[k] for k in sorted(changed)},
        )
    return locked


def record_bulk_create(spec: RegisterSpec, *, actor, drafts: Iterable[tuple[Any, Mapping[str, Any]]]) -> int:
    """Create many records (an import): every rule re-checked, one bulk insert, one audit event per record.

    Must run inside the caller's transaction; any broken rule or taken number refuses the whole batch.
    """
    records, keys = [], set()
    for org, fields in drafts:
        _require_edit(actor, org)
        values = prepare(spec, fields)
        key = (org.pk, *_number_key(spec, values))
        if key in keys:
            raise DomainError(
                _("The number %(number)s appears twice.") % {"number": values[spec.number_field]},
                rule="disputes.duplicate_number",
                field=spec.number_field,
            )
        keys.add(key)
        records.append(spec.model(org=org, **values))
    numbers = sorted({r.__dict__[spec.number_field] for r in records})
    existing = set()
    for start in range(0, len(numbers), 5000):
        chunk = numbers[start : start + 5000]
        rows = spec.model.objects.filter(**{f"{spec.number_field}__in": chunk})
        if spec is LITIGATION:
            existing |= set(rows.values_list("org_id", "court", "case_number"))
        else:
            existing |= set(rows.values_list("org_id", spec.number_field))
    for record in records:
        key = (record.org_id, *_number_key(spec, record.__dict__))
        if key in existing:
            raise DomainError(
                _("The number %(number)s is already in this organisation's register.")
                % {"number": getattr(record, spec.number_field)},
                rule="disputes.duplicate_number",
                field=spec.number_field,
            )
    created = spec.model.objects.bulk_create(records, batch_size=1000)
    audit_record_many(
        actor=actor,
        action=f"disputes.{spec.name}.created",
        entries=((record, None, _snapshot(spec, record)) for record in created),
    )
    return len(created)


# ---------------------------------------------------------------------------------------------
# The registers' services


def reconsideration_create(*, actor, org, **fields) -> ReconsiderationCase:
    return record_create(RECONSIDERATION, actor=actor, org=org, fields=fields)


def reconsideration_update(*, actor, case: ReconsiderationCase, **fields) -> ReconsiderationCase:
    return record_update(RECONSIDERATION, actor=actor, record=case, fields=fields)


def reconsideration_extend(*, actor, case: ReconsiderationCase, days: int) -> ReconsiderationCase:
    """Extend the decision period once, by at most FAZHI_RECONSIDERATION_EXTENSION_DAYS days (before the decision)."""
    return record_extend(RECONSIDERATION, actor=actor, record=case, days=days)


def litigation_create(*, actor, org, **fields) -> LitigationCase:
    return record_create(LITIGATION, actor=actor, org=org, fields=fields)


def litigation_update(*, actor, case: LitigationCase, **fields) -> LitigationCase:
    return record_update(LITIGATION, actor=actor, record=case, fields=fields)


def mediation_create(*, actor, org, **fields) -> Mediation:
    return record_create(MEDIATION, actor=actor, org=org, fields=fields)


def mediation_update(*, actor, mediation: Mediation, **fields) -> Mediation:
    return record_update(MEDIATION, actor=actor, record=mediation, fields=fields)


def disclosure_create(*, actor, org, **fields) -> DisclosureRequest:
    return record_create(DISCLOSURE, actor=actor, org=org, fields=fields)


def disclosure_update(*, actor, request: DisclosureRequest, **fields) -> DisclosureRequest:
    return record_update(DISCLOSURE, actor=actor, record=request, fields=fields)


def disclosure_extend(*, actor, request: DisclosureRequest, days: int) -> DisclosureRequest:
    """Extend the answer period once, by at most FAZHI_DISCLOSURE_EXTENSION_WORKING_DAYS working days."""
    return record_extend(DISCLOSURE, actor=actor, record=request, days=days)


@dataclass(frozen=True)
class Extension:
    """A register whose period may be extended once: the date that closes it, the setting of the longest
    extension, the unit, and what the refusal after the closing date says."""

    done_field: str
    max_setting: str
    unit: str
    done_message: str


EXTENSIONS = {
    "reconsideration": Extension(
        "decided_on",
        "FAZHI_RECONSIDERATION_EXTENSION_DAYS",
        "days",
        gettext_noop("The case is decided: its period can no longer be extended."),
    ),
    "disclosure": Extension(
        "answered_on",
        "FAZHI_DISCLOSURE_EXTENSION_WORKING_DAYS",
        "working days",
        gettext_noop("The request is answered: its period can no longer be extended."),
    ),
}


def record_extend(spec: RegisterSpec, *, actor, record, days: int):
    """Extend the record's period once (by at most the register's setting), before it is decided or answered."""
    extension = EXTENSIONS[spec.name]
    _require_edit(actor, record.org)
    if getattr(record, extension.done_field) is not None:
        raise DomainError(_(extension.done_message), rule=f"disputes.{spec.name}_extension", field="extension_days")
    _raise_first(
        rules.extension_problems(
            record.extension_days,
            days,
            max_days=getattr(settings, extension.max_setting),
            rule=spec.name,
            unit=extension.unit,
        )
    )
    return _extend(spec, actor, record, days)


def _extend(spec: RegisterSpec, actor, record, days: int):
    values = prepare(spec, {**{f: getattr(record, f) for f in spec.fields}, "extension_days": days})
    with transaction.atomic():
        locked = spec.model.objects.select_for_update().get(pk=record.pk)
        if locked.extension_days:
            _raise_first(rules.extension_problems(locked.extension_days, days, max_days=days, rule=spec.name, unit=""))
        old_due = locked.due_on
        locked.extension_days, locked.due_on = days, values["due_on"]
        locked.save(update_fields=["extension_days", "due_on", "updated_at"])
        audit_record(
            actor=actor,
            action=f"disputes.{spec.name}.extended",
            obj=locked,
            old={"extension_days": 0, "due_on": old_due},
            new={"extension_days": days, "due_on": locked.due_on},
        )
    return locked


def register_exported(*, actor, register: str, count: int, query: str = "") -> None:
    """Record that ``actor`` exported a register's list (it may hold parties' names: PIPL asks who read it)."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=f"disputes.{register}.exported",
            object_type=f"disputes.{register}",
            object_repr=str(SPECS[register].model._meta.verbose_name_plural),
            new={"rows": count, "filters": query},
        )
