"""Writes of the ledger "Administrative enforcement": each in one transaction, rules checked, audited.

Pages, the API and the imports all come through here, so a rule holds everywhere. A refusal is a
``DomainError(message, rule="enforcement.<rule>", field=...)`` and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from fazhi.core.audit import audit_record, audit_record_many
from fazhi.core.errors import DomainError
from fazhi.core.i18n import translate
from fazhi.ledgers.enforcement import rules
from fazhi.ledgers.enforcement.models import CaseFile, Certificate, Officer, OfficerYear
from fazhi.orgs import roles
from fazhi.orgs.access import has_capability

CASE_FLAGS = ("full_record", "major", "legal_review", "disclosed", "online")

# The rule code of each field's problems.
_RULES = {
    "name": "enforcement.officer_name",
    "id_number": "enforcement.id_number",
    "left_on": "enforcement.post_dates",
    "number": "enforcement.certificate_number",
    "issued_on": "enforcement.certificate_dates",
    "expires_on": "enforcement.certificate_dates",
    "year": "enforcement.year",
    "training_hours": "enforcement.training_hours",
    "reviewed_on": "enforcement.review_date",
    "score": "enforcement.score",
    "items": "enforcement.checklist",
}


def rule_for(field: str) -> str:
    if field.startswith(("general_", "special_")):
        return "enforcement.exam_result"
    if field.startswith("item_"):
        return "enforcement.checklist"
    return _RULES.get(field, "enforcement.invalid")


def raise_first(problems) -> None:
    if problems:
        field, problem = problems[0]
        raise DomainError(translate(problem), rule=rule_for(field), field=field)


def _require_active(org) -> None:
    """A new record (or one moved) goes only into the ledger of an organisation still active."""
    if not org.is_active:
        raise DomainError(
            _("%(name)s is no longer active: its ledger takes no new records.") % {"name": org.name},
            rule="enforcement.org_inactive",
            field="org",
        )


def _require_edit(actor, org) -> None:
    if actor is not None and not has_capability(actor, roles.LEDGER_EDIT, org):
        raise DomainError(
            _("You may not change the enforcement ledger of this organisation."),
            rule="enforcement.forbidden",
            field="org",
        )


# --- Officers and certificates ------------------------------------------------------------------------------


def _officer_values(officer: Officer) -> dict:
    return {"org": officer.org.code, "name": officer.name, "joined_on": officer.joined_on, "left_on": officer.left_on}


def _check_certificate(*, number: str, issued_on, expires_on, exclude_pk=None) -> None:
    raise_first(rules.certificate_problems(number=number, issued_on=issued_on, expires_on=expires_on))
    taken = Certificate.objects.filter(number=number)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise DomainError(
            _("Certificate number %(number)s is already recorded.") % {"number": number},
            rule="enforcement.certificate_number_taken",
            field="number",
        )


def officer_create(
    *,
    actor,
    org,
    name: str,
    id_number: str,
    certificate_number: str = "",
    issued_on: dt.date | None = None,
    expires_on: dt.date | None = None,
    joined_on: dt.date | None = None,
    left_on: dt.date | None = None,
) -> Officer:
    """An officer, with the first certificate when its number is given."""
    name, id_number = (name or "").strip(), (id_number or "").strip().upper()
    _require_edit(actor, org)
    _require_active(org)
    raise_first(rules.officer_problems(name=name, id_number=id_number, joined_on=joined_on, left_on=left_on))
    certificate_number = (certificate_number or "").strip()
    with transaction.atomic():
        if Officer.objects.filter(id_number=id_number).exists():
            raise DomainError(
                _("An officer with this ID number is already recorded."),
                rule="enforcement.id_number_taken",
                field="id_number",
            )
        if certificate_number or issued_on or expires_on:
            _check_certificate(number=certificate_number, issued_on=issued_on, expires_on=expires_on)
        officer = Officer.objects.create(org=org, name=name, id_number=id_number, joined_on=joined_on, left_on=left_on)
        audit_record(actor=actor, action="enforcement.officer.created", obj=officer, new=_officer_values(officer))
        if certificate_number:
            certificate = Certificate.objects.create(
                officer=officer, number=certificate_number, issued_on=issued_on, expires_on=expires_on
            )
            audit_record(
                actor=actor,
                action="enforcement.certificate.created",
                obj=certificate,
                org=org,
                new={
                    "officer": officer.pk,
                    "number": certificate.number,
                    "issued_on": issued_on,
                    "expires_on": expires_on,
                },
            )
    return officer


def officer_update(
    *, actor, officer: Officer, org=None, name: str | None = None, joined_on=..., left_on=...
) -> Officer:
    """Change the officer's org, name or dates in post (the ID number does not change)."""
    org = org or officer.org
    _require_edit(actor, officer.org)
    _require_edit(actor, org)
    if org.pk != officer.org_id:
        _require_active(org)
    name = officer.name if name is None else name.strip()
    joined_on = officer.joined_on if joined_on is ... else joined_on
    left_on = officer.left_on if left_on is ... else left_on
    raise_first(rules.officer_problems(name=name, id_number=officer.id_number, joined_on=joined_on, left_on=left_on))
    with transaction.atomic():
        officer = Officer.objects.select_for_update().select_related("org").get(pk=officer.pk)
        old = _officer_values(officer)
        officer.org, officer.name = org, name
        officer.joined_on, officer.left_on = joined_on, left_on
        officer.save()
        new = _officer_values(officer)
        if new != old:
            audit_record(actor=actor, action="enforcement.officer.updated", obj=officer, old=old, new=new)
    return officer


def certificate_add(*, actor, officer: Officer, number: str, issued_on, expires_on) -> Certificate:
    _require_edit(actor, officer.org)
    number = (number or "").strip()
    with transaction.atomic():
        _check_certificate(number=number, issued_on=issued_on, expires_on=expires_on)
        certificate = Certificate.objects.create(
            officer=officer, number=number, issued_on=issued_on, expires_on=expires_on
        )
        audit_record(
            actor=actor,
            action="enforcement.certificate.created",
            obj=certificate,
            org=officer.org,
            new={"officer": officer.pk, "number": number, "issued_on": issued_on, "expires_on": expires_on},
        )
    return certificate


# --- The officer's year: exams and training ----------------------------------------------------------------


def _year_values(year: OfficerYear) -> dict:
    return {
        name: getattr(year, name)
        for name in ("year", "general_score", "general_absence", "special_score", "special_absence", "training_hours")
    }


def officer_year_record(
    *,
    actor,
    officer: Officer,
    year: int,
    general_score: int | None = None,
    general_absence: str = "",
    special_score: int | None = None,
    special_absence: str = "",
    training_hours: Decimal | int | None = None,
) -> OfficerYear:
    """Record (or correct) the officer's exams and training hours of a year."""
    _require_edit(actor, officer.org)
    general_absence, special_absence = general_absence or "", special_absence or ""
    training_hours = Decimal(0) if training_hours is None else Decimal(training_hours)
    raise_first(
        rules.officer_year_problems(
            year=year,
            general_score=general_score,
            general_absence=general_absence,
            special_score=special_score,
            special_absence=special_absence,
            training_hours=training_hours,
        )
    )
    with transaction.atomic():
        record, created = OfficerYear.objects.select_for_update().get_or_create(
            officer=officer, year=year, defaults={"org": officer.org}
        )
        old = None if created else _year_values(record)
        record.org = officer.org
        record.general_score, record.general_absence = general_score, general_absence
        record.special_score, record.special_absence = special_score, special_absence
        record.training_hours = training_hours
        record.save()
        new = _year_values(record)
        if new != old:
            audit_record(
                actor=actor,
                action="enforcement.year.recorded",
                obj=record,
                object_repr=f"{officer.name} {year}",
                old=old,
                new=new,
            )
    return record


# --- Case-file reviews -------------------------------------------------------------------------------------


def _case_values(case: CaseFile) -> dict:
    return {
        name: getattr(case, name)
        for name in (
            "year",
            "case_number",
            "title",
            "reviewed_on",
            "score",
            "items",
            "full_record",
            "major",
            "legal_review",
            "disclosed",
            "online",
        )
    } | {"org": case.org.code}


def grade(score: int) -> str:
    return rules.case_file_grade(
        score, excellent=settings.FAZHI_CASE_FILE_EXCELLENT, pass_mark=settings.FAZHI_CASE_FILE_PASS
    )


def _check_case(*, org, year, case_number, title, reviewed_on, score, items, exclude_pk=None) -> int:
    if not case_number:
        raise DomainError(_("Enter the case number."), rule="enforcement.case_number", field="case_number")
    if not title:
        raise DomainError(_("Enter the case."), rule="enforcement.case_title", field="title")
    raise_first(rules.case_file_problems(year=year, reviewed_on=reviewed_on, score=score, items=items))
    taken = CaseFile.objects.filter(org=org, year=year, case_number=case_number)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise DomainError(
            _("Case %(number)s of %(year)d is already reviewed for this organisation.")
            % {"number": case_number, "year": year},
            rule="enforcement.case_file_duplicate",
            field="case_number",
        )
    return rules.case_file_score(items) if items else score


def case_file_create(
    *,
    actor,
    org,
    year: int,
    case_number: str,
    title: str,
    reviewed_on: dt.date,
    score: int | None = None,
    items: dict | None = None,
    full_record: bool = False,
    major: bool = False,
    legal_review: bool = False,
    disclosed: bool = False,
    online: bool = False,
) -> CaseFile:
    _require_edit(actor, org)
    _require_active(org)
    case_number, title, items = (case_number or "").strip(), (title or "").strip(), dict(items or {})
    with transaction.atomic():
        score = _check_case(
            org=org, year=year, case_number=case_number, title=title, reviewed_on=reviewed_on, score=score, items=items
        )
        case = CaseFile.objects.create(
            org=org,
            year=year,
            case_number=case_number,
            title=title,
            reviewed_on=reviewed_on,
            score=score,
            items=items,
            full_record=full_record,
            major=major,
            legal_review=legal_review,
            disclosed=disclosed,
            online=online,
        )
        audit_record(actor=actor, action="enforcement.case_file.created", obj=case, new=_case_values(case))
    return case


# The fields an update may change but not empty (the score may be emptied when the checklist gives it).
CASE_REQUIRED = ("org", "year", "case_number", "title", "reviewed_on", *CASE_FLAGS)


def case_file_update(*, actor, case: CaseFile, **changes) -> CaseFile:
    """Change any of the fields ``case_file_create`` takes; the score follows the items when they are given."""
    _require_edit(actor, case.org)
    for name in CASE_REQUIRED:
        if name in changes and changes[name] is None:
            raise DomainError(_("This field is required."), rule="enforcement.required", field=name)
    if "org" in changes:
        _require_edit(actor, changes["org"])
        if changes["org"].pk != case.org_id:
            _require_active(changes["org"])
    with transaction.atomic():
        case = CaseFile.objects.select_for_update().select_related("org").get(pk=case.pk)
        old = _case_values(case)
        for name, value in changes.items():
            if name in ("case_number", "title") and value is not None:
                value = value.strip()
            setattr(case, name, value)
        if "items" in changes:
            case.items = dict(changes["items"] or {})
            if case.items and "score" not in changes:
                case.score = None
        case.score = _check_case(
            org=case.org,
            year=case.year,
            case_number=case.case_number,
            title=case.title,
            reviewed_on=case.reviewed_on,
            score=case.score,
            items=case.items,
            exclude_pk=case.pk,
        )
        case.save()
        new = _case_values(case)
        if new != old:
            audit_record(actor=actor, action="enforcement.case_file.updated", obj=case, old=old, new=new)
    return case


# --- Exports -----------------------------------------------------------------------------------------------


def export_record(*, actor, register: str, filters: dict, count: int) -> None:
    """Record in the audit log that ``actor`` downloaded a register (the officers' one holds ID numbers)."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="enforcement.exported",
            object_type=f"enforcement.{register}",
            object_repr=register,
            new={"filters": filters, "rows": count},
        )


# --- Bulk writes (the imports) -----------------------------------------------------------------------------
#
# The same rules as the one-record services, checked again for the whole batch in a few queries, then one bulk
# insert per table and one audit event per record appended in bulk (the events the one-record services write).
# A refusal names the draft's index (``DomainError.field`` is "<index>:<field>") so the import can name its row.

CHUNK = 500


def _chunks(values):
    values = sorted(values)
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _refuse(index: int, field: str, message: str, rule: str):
    raise DomainError(message, rule=rule, field=f"{index}:{field}")


def _check_batch(index: int, problems) -> None:
    if problems:
        field, problem = problems[0]
        _refuse(index, field, translate(problem), rule_for(field))


@dataclass
class OfficerDraft:
    org: object
    name: str
    id_number: str
    certificate_number: str = ""
    issued_on: dt.date | None = None
    expires_on: dt.date | None = None
    joined_on: dt.date | None = None
    left_on: dt.date | None = None


def officer_bulk_create(*, actor, drafts: list[OfficerDraft]) -> list[Officer]:
    for index, d in enumerate(drafts):
        _require_edit(actor, d.org)
        d.name, d.id_number = d.name.strip(), d.id_number.strip().upper()
        d.certificate_number = (d.certificate_number or "").strip()
        _check_batch(
            index, rules.officer_problems(name=d.name, id_number=d.id_number, joined_on=d.joined_on, left_on=d.left_on)
        )
        if d.certificate_number or d.issued_on or d.expires_on:
            _check_batch(
                index,
                rules.certificate_problems(number=d.certificate_number, issued_on=d.issued_on, expires_on=d.expires_on),
            )
    with transaction.atomic():
        ids = [d.id_number for d in drafts]
        numbers = [d.certificate_number for d in drafts if d.certificate_number]
        taken_ids = {
            i
            for chunk in _chunks(set(ids))
            for i in Officer.objects.filter(id_number__in=chunk).values_list("id_number", flat=True)
        }
        taken_numbers = {
            n
            for chunk in _chunks(set(numbers))
            for n in Certificate.objects.filter(number__in=chunk).values_list("number", flat=True)
        }
        seen_ids, seen_numbers = set(), set()
        for index, d in enumerate(drafts):
            if d.id_number in taken_ids or d.id_number in seen_ids:
                _refuse(
                    index,
                    "id_number",
                    _("An officer with this ID number is already recorded."),
                    "enforcement.id_number_taken",
                )
            if d.certificate_number and (d.certificate_number in taken_numbers or d.certificate_number in seen_numbers):
                _refuse(
                    index,
                    "number",
                    _("Certificate number %(number)s is already recorded.") % {"number": d.certificate_number},
                    "enforcement.certificate_number_taken",
                )
            seen_ids.add(d.id_number)
            seen_numbers.add(d.certificate_number)
        officers = Officer.objects.bulk_create(
            [
                Officer(org=d.org, name=d.name, id_number=d.id_number, joined_on=d.joined_on, left_on=d.left_on)
                for d in drafts
            ],
            batch_size=CHUNK,
        )
        certificates = Certificate.objects.bulk_create(
            [
                Certificate(officer=o, number=d.certificate_number, issued_on=d.issued_on, expires_on=d.expires_on)
                for o, d in zip(officers, drafts, strict=True)
                if d.certificate_number
            ],
            batch_size=CHUNK,
        )
        audit_record_many(
            actor=actor,
            action="enforcement.officer.created",
            entries=[(o, None, _officer_values(o)) for o in officers],
        )
        audit_record_many(
            actor=actor,
            action="enforcement.certificate.created",
            entries=[
                (
                    c,
                    None,
                    {"officer": c.officer.pk, "number": c.number, "issued_on": c.issued_on, "expires_on": c.expires_on},
                )
                for c in certificates
            ],
        )
    return officers


@dataclass
class YearDraft:
    officer: Officer
    year: int
    general_score: int | None = None
    general_absence: str = ""
    special_score: int | None = None
    special_absence: str = ""
    training_hours: Decimal | None = None


_YEAR_FIELDS = ("general_score", "general_absence", "special_score", "special_absence", "training_hours")


def officer_year_bulk_record(*, actor, drafts: list[YearDraft]) -> int:
    """Record (or correct) many officers' years; one (officer, year) at most once in the batch."""
    seen = set()
    for index, d in enumerate(drafts):
        _require_edit(actor, d.officer.org)
        d.general_absence, d.special_absence = d.general_absence or "", d.special_absence or ""
        d.training_hours = Decimal(0) if d.training_hours is None else Decimal(d.training_hours)
        _check_batch(index, rules.officer_year_problems(year=d.year, **{f: getattr(d, f) for f in _YEAR_FIELDS}))
        key = (d.officer.pk, d.year)
        if key in seen:
            _refuse(index, "year", _("The officer's year is given twice."), "enforcement.officer_year_duplicate")
        seen.add(key)
    with transaction.atomic():
        existing = {}
        officer_ids = {d.officer.pk for d in drafts}
        for chunk in _chunks(officer_ids):
            for record in (
                OfficerYear.objects.select_for_update().filter(officer_id__in=chunk).select_related("officer")
            ):
                existing[(record.officer_id, record.year)] = record
        created, updated, entries_changed = [], [], []
        for d in drafts:
            record = existing.get((d.officer.pk, d.year))
            if record is None:
                record = OfficerYear(officer=d.officer, org=d.officer.org, year=d.year)
                for f in _YEAR_FIELDS:
                    setattr(record, f, getattr(d, f))
                created.append(record)
            else:
                old = _year_values(record)
                record.org = d.officer.org
                for f in _YEAR_FIELDS:
                    setattr(record, f, getattr(d, f))
                if _year_values(record) != old:
                    updated.append(record)
                    entries_changed.append((record, old))
        OfficerYear.objects.bulk_create(created, batch_size=CHUNK)
        OfficerYear.objects.bulk_update(updated, ["org", *_YEAR_FIELDS], batch_size=CHUNK)
        entries = [(r, None, _year_values(r)) for r in created]
        entries += [(r, old, _year_values(r)) for r, old in entries_changed]
        audit_record_many(actor=actor, action="enforcement.year.recorded", entries=entries)
    return len(created) + len(updated)


@dataclass
class CaseFileDraft:
    org: object
    year: int
    case_number: str
    title: str
    reviewed_on: dt.date
    score: int | None = None
    items: dict | None = None
    full_record: bool = False
    major: bool = False
    legal_review: bool = False
    disclosed: bool = False
    online: bool = False


def case_file_bulk_create(*, actor, drafts: list[CaseFileDraft]) -> list[CaseFile]:
    seen = set()
    for index, d in enumerate(drafts):
        _require_edit(actor, d.org)
        d.case_number, d.title, d.items = d.case_number.strip(), d.title.strip(), dict(d.items or {})
        if not d.case_number:
            _refuse(index, "case_number", _("Enter the case number."), "enforcement.case_number")
        if not d.title:
            _refuse(index, "title", _("Enter the case."), "enforcement.case_title")
        _check_batch(
            index, rules.case_file_problems(year=d.year, reviewed_on=d.reviewed_on, score=d.score, items=d.items)
        )
        if d.items:
            d.score = rules.case_file_score(d.items)
        key = (d.org.pk, d.year, d.case_number)
        if key in seen:
            _refuse(index, "case_number", _("The case file is given twice."), "enforcement.case_file_duplicate")
        seen.add(key)
    with transaction.atomic():
        taken = set()
        for chunk in _chunks({d.case_number for d in drafts}):
            taken.update(
                CaseFile.objects.filter(case_number__in=chunk, org_id__in={d.org.pk for d in drafts}).values_list(
                    "org_id", "year", "case_number"
                )
            )
        for index, d in enumerate(drafts):
            if (d.org.pk, d.year, d.case_number) in taken:
                _refuse(
                    index,
                    "case_number",
                    _("Case %(number)s of %(year)d is already reviewed for this organisation.")
                    % {"number": d.case_number, "year": d.year},
                    "enforcement.case_file_duplicate",
                )
        cases = CaseFile.objects.bulk_create(
            [CaseFile(**{name: getattr(d, name) for name in CaseFileDraft.__dataclass_fields__}) for d in drafts],
            batch_size=CHUNK,
        )
        audit_record_many(
            actor=actor, action="enforcement.case_file.created", entries=[(c, None, _case_values(c)) for c in cases]
        )
    return cases
