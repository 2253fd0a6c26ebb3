"""Whole scoring standards: import, header edits, publish, retire, new version, delete, the
problems that stop publishing, and the shipped standards. Each is one transaction and one audit event.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fazhi.core.audit import audit_record
from fazhi.core.errors import DomainError
from fazhi.indicators import spec
from fazhi.indicators.formats import load_yaml
from fazhi.indicators.models import Standard
from fazhi.indicators.services.rows import standard_to_spec, write_contents
from fazhi.indicators.shipped import shipped_standards
from fazhi.indicators.validation import StandardError, validate

VERSION_MAX = Standard._meta.get_field("version").max_length


class UNCHANGED:  # noqa: N801 - a sentinel: "leave this field as it is"
    pass


class StandardProblems(DomainError):
    """The standard breaks validation rules; ``problems`` lists every one of them
    (:class:`~fazhi.indicators.validation.StandardError`: where, rule, message)."""

    def __init__(self, message: str, *, problems: Iterable[StandardError], rule: str = "standard.invalid"):
        super().__init__(message, rule=rule)
        self.problems = list(problems)


def standard_problems(standard: Standard) -> list[StandardError]:
    """What stops this standard being published, computed from its rows as they are now."""
    return validate(standard_to_spec(standard))


def _problems_error(problems: list, *, rule: str) -> StandardProblems:
    message = ngettext("The standard has %(count)d problem.", "The standard has %(count)d problems.", len(problems)) % {
        "count": len(problems)
    }
    return StandardProblems(message, problems=problems, rule=rule)


def _summary(standard: Standard) -> dict:
    return {
        "code": standard.code,
        "version": standard.version,
        "title": standard.title,
        "status": standard.status,
        "total": standard.total,
        "pass_score": standard.pass_score,
        "bonus_cap": standard.bonus_cap,
        "owner_org": standard.owner_org_id,
    }


def _check_version_free(code: str, version: str) -> None:
    if not version or len(version) > VERSION_MAX:
        raise DomainError(
            _("A version of 1 to %(max)d characters is required.") % {"max": VERSION_MAX},
            rule="standard.version",
            field="version",
        )
    if Standard.objects.filter(code=code, version=version).exists():
        raise DomainError(
            _("Standard %(code)s version %(version)s already exists.") % {"code": code, "version": version},
            rule="standard.exists",
            field="version",
        )


# ---------------------------------------------------------------------------------------------
# Whole standards
# ---------------------------------------------------------------------------------------------


def standard_import(*, actor, owner_org, spec: spec.Standard, dry_run: bool = False) -> Standard | None:
    """Save a parsed standard as a draft owned by ``owner_org``; every problem refuses it.

    Raises :class:`StandardProblems` (all the problems) or :class:`DomainError` (the code and version
    exist). With ``dry_run`` it checks the same and saves nothing, returning None.
    """
    std = spec
    problems = validate(std)
    if problems:
        raise _problems_error(problems, rule="standard.invalid")
    _check_version_free(std.code, std.version)
    if dry_run:
        return None
    return _import(actor=actor, owner_org=owner_org, std=std)


def _create_standard(std: spec.Standard, *, owner_org, actor) -> tuple[Standard, int]:
    """The one write path of a whole standard (import, new version): a draft with every row of ``std``."""
    _check_version_free(std.code, std.version)
    try:
        with transaction.atomic():
            standard = Standard.objects.create(
                code=std.code,
                version=std.version,
                title=std.title,
                source=std.source,
                total=std.total,
                pass_score=std.pass_score,
                bonus_cap=std.bonus_cap,
                owner_org=owner_org,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError:  # saved by someone else since the check above
        _check_version_free(std.code, std.version)
        raise
    return standard, write_contents(standard, std)


@transaction.atomic
def _import(*, actor, owner_org, std: spec.Standard) -> Standard:
    standard, count = _create_standard(std, owner_org=owner_org, actor=actor)
    new = _summary(standard) | {"indicators": count, "bonus": len(std.bonus), "veto": len(std.veto)}
    audit_record(actor=actor, action="indicators.standard.imported", obj=standard, new=new)
    return standard


def locked_draft(standard: Standard) -> Standard:
    """The standard's row, locked for this transaction; refuses unless it is a draft."""
    standard = Standard.objects.select_for_update().select_related("owner_org").get(pk=standard.pk)
    if standard.status != Standard.Status.DRAFT:
        raise DomainError(
            _("%(standard)s is %(status)s and can no longer change; make a new version to edit it.")
            % {"standard": standard, "status": standard.get_status_display()},
            rule="standard.not_draft",
        )
    return standard


@transaction.atomic
def standard_update(
    *,
    actor,
    standard: Standard,
    title=UNCHANGED,
    source=UNCHANGED,
    total=UNCHANGED,
    pass_score=UNCHANGED,
    bonus_cap=UNCHANGED,
) -> Standard:
    """Change a draft's header (its code and version stay: a new version is a new standard)."""
    standard = locked_draft(standard)
    old = _summary(standard)
    changes = {"title": title, "source": source, "total": total, "pass_score": pass_score, "bonus_cap": bonus_cap}
    for field, value in changes.items():
        if value is UNCHANGED:
            continue
        if field == "title":
            value = value.strip()
            if not value:
                raise DomainError(_("The title is required."), rule="standard.title", field="title")
        if field in {"total", "pass_score", "bonus_cap"} and value is not None and value < 0:
            raise DomainError(_("Points cannot be negative."), rule="standard.points", field=field)
        if field == "total" and value is None:
            raise DomainError(_("The total is required."), rule="standard.total", field="total")
        setattr(standard, field, value)
    if standard.pass_score is not None and standard.pass_score > standard.total:
        raise DomainError(
            _("The pass score cannot be above the declared total."), rule="standard.pass_score", field="pass_score"
        )
    standard.save()
    audit_record(actor=actor, action="indicators.standard.updated", obj=standard, old=old, new=_summary(standard))
    return standard


@transaction.atomic
def standard_publish(*, actor, standard: Standard) -> Standard:
    """Draft → published, once it has no problem; from then on it never changes."""
    standard = locked_draft(standard)
    problems = standard_problems(standard)
    if problems:
        raise _problems_error(problems, rule="standard.has_problems")
    old = _summary(standard)
    standard.status, standard.published_at = Standard.Status.PUBLISHED, timezone.now()
    standard.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(actor=actor, action="indicators.standard.published", obj=standard, old=old, new=_summary(standard))
    return standard


@transaction.atomic
def standard_retire(*, actor, standard: Standard) -> Standard:
    """Published → retired: no new campaign may use it; what already used it keeps it."""
    standard = Standard.objects.select_for_update().select_related("owner_org").get(pk=standard.pk)
    if standard.status != Standard.Status.PUBLISHED:
        raise DomainError(
            _("Only a published standard can be retired; %(standard)s is %(status)s.")
            % {"standard": standard, "status": standard.get_status_display()},
            rule="standard.not_published",
        )
    old = _summary(standard)
    standard.status = Standard.Status.RETIRED
    standard.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="indicators.standard.retired", obj=standard, old=old, new=_summary(standard))
    return standard


@transaction.atomic
def standard_new_version(*, actor, standard: Standard, version: str, owner_org=None) -> Standard:
    """A draft copy of ``standard`` (any status) under a new version string, owned by ``owner_org``
    (by default the same organisation)."""
    version = (version or "").strip()
    _check_version_free(standard.code, version)
    std = dataclasses.replace(standard_to_spec(standard), version=version)
    copy, _count = _create_standard(std, owner_org=owner_org or standard.owner_org, actor=actor)
    new = _summary(copy) | {"copied_from": standard.pk, "copied_version": standard.version}
    audit_record(actor=actor, action="indicators.standard.version_created", obj=copy, new=new)
    return copy


@transaction.atomic
def standard_delete(*, actor, standard: Standard) -> None:
    """Delete a draft and everything in it (published and retired standards stay for the record)."""
    standard = locked_draft(standard)
    audit_record(actor=actor, action="indicators.standard.deleted", obj=standard, old=_summary(standard))
    standard.delete()


@transaction.atomic
def load_shipped_standards(*, actor, owner_org) -> list[Standard]:
    """Import every standard Fazhi ships (``indicators/standards/*.yaml``) under ``owner_org`` and
    publish it; all or nothing (refused if any of their codes and versions is already there)."""
    loaded = []
    for path in shipped_standards():
        standard = standard_import(actor=actor, owner_org=owner_org, spec=load_yaml(path.read_bytes()))
        loaded.append(standard_publish(actor=actor, standard=standard))
    return loaded
