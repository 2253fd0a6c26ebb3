"""Evidence files of an application: add (size and real type checked, SHA-256 stored) and remove.

Files go through Django's default storage under a name that carries no user input
(:func:`fazhi.campaigns.models.evidence_path`); the original name is kept in ``Evidence.name`` for the
download. The type is read from the content (:func:`fazhi.core.filetypes.sniff`), never from the name: an
``.exe`` renamed ``.pdf`` is refused, a PDF named ``.jpg`` is stored as a PDF. Files are served only by
the permission-checked download view.
"""

from __future__ import annotations

import hashlib
import os

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from fazhi.campaigns import access
from fazhi.campaigns.models import Application, Evidence
from fazhi.campaigns.selectors.applications import campaign_leaves
from fazhi.campaigns.services.applications import _lock, require_editable
from fazhi.core import filetypes
from fazhi.core.audit import audit_record
from fazhi.core.errors import DomainError

NAME_MAX = Evidence._meta.get_field("name").max_length


def _original_name(uploaded_file) -> str:
    name = os.path.basename((uploaded_file.name or "").replace("\\", "/")).strip()
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"')
    return (name or "evidence")[-NAME_MAX:]


def _check_file(uploaded_file, name: str) -> str:
    limit = settings.FAZHI_EVIDENCE_MAX_MB * 1024 * 1024
    if uploaded_file.size > limit:
        raise DomainError(
            _("%(name)s is too large: %(size).1f MB; the limit is %(limit)d MB.")
            % {"name": name, "size": uploaded_file.size / 1024 / 1024, "limit": settings.FAZHI_EVIDENCE_MAX_MB},
            rule="campaigns.evidence_too_large",
            field="file",
        )
    if uploaded_file.size == 0:
        raise DomainError(_("%(name)s is empty.") % {"name": name}, rule="campaigns.evidence_empty", field="file")
    uploaded_file.seek(0)
    kind = filetypes.sniff(uploaded_file.file if hasattr(uploaded_file, "file") else uploaded_file)
    allowed = [kind for kind in settings.FAZHI_EVIDENCE_TYPES if kind in filetypes.KINDS]
    if kind not in allowed:
        raise DomainError(
            _("%(name)s is not an accepted kind of file (its content was checked, not its name); accepted: %(kinds)s.")
            % {"name": name, "kinds": ", ".join(kind.upper() for kind in allowed)},
            rule="campaigns.evidence_type",
            field="file",
        )
    return kind


def _sha256(uploaded_file) -> str:
    digest = hashlib.sha256()
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    return digest.hexdigest()


@transaction.atomic
def evidence_add(*, actor, application: Application, indicator=None, uploaded_file) -> Evidence:
    """Attach ``uploaded_file`` (a Django ``UploadedFile`` or ``File``) to ``application``, for one leaf
    (``indicator``) or the application as a whole (None)."""
    if not access.can_edit(actor, application):
        raise PermissionDenied
    application = _lock(application)
    require_editable(application)
    if indicator is not None and (
        indicator.standard_id != application.campaign.standard_id
        or indicator.code not in campaign_leaves(application.campaign)
    ):
        raise DomainError(
            _("%(code)s is not a scored indicator of this campaign's standard.") % {"code": indicator.code},
            rule="campaigns.not_a_leaf",
            field="indicator",
        )
    name = _original_name(uploaded_file)
    kind = _check_file(uploaded_file, name)
    evidence = Evidence(
        application=application,
        indicator=indicator,
        name=name,
        content_type=filetypes.content_type(kind),
        size=uploaded_file.size,
        sha256=_sha256(uploaded_file),
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    evidence.file.save(evidence.sha256, uploaded_file, save=False)
    try:
        evidence.save()
        audit_record(
            actor=actor,
            action="campaigns.application.evidence_added",
            obj=application,
            new={
                "evidence": evidence.pk,
                "name": name,
                "indicator": indicator.code if indicator else None,
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
def evidence_remove(*, actor, evidence: Evidence) -> None:
    """Remove an evidence file while the application may still change."""
    application = evidence.application
    if not access.can_edit(actor, application):
        raise PermissionDenied
    application = _lock(application)
    require_editable(application)
    name, stored = evidence.name, evidence.file.name
    old = {"evidence": evidence.pk, "name": name, "sha256": evidence.sha256, "size": evidence.size}
    evidence.delete()
    audit_record(actor=actor, action="campaigns.application.evidence_removed", obj=application, old=old)
    transaction.on_commit(lambda: default_storage.delete(stored))
