"""Evidence files of an application: add (size and real type checked, SHA-256 stored) and remove.

Files go through Django's default storage under a name that carries no user input
(:func:`fazhi.campaigns.models.evidence_path`); the original name is kept in ``Evidence.name`` for the
download. The type is read from the content (:func:`fazhi.core.filetypes.sniff`), never from the name: an
``.exe`` renamed ``.pdf`` is refused, a PDF named ``.jpg`` is stored as a PDF. Files are served only by
the permission-checked download view.
"""

from __future__ import annotations

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
from fazhi.core.uploads import evidence_check, evidence_name, file_sha256


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
    name = evidence_name(uploaded_file, Evidence._meta.get_field("name").max_length)
    kind = evidence_check(uploaded_file, name, rule_prefix="campaigns")
    evidence = Evidence(
        application=application,
        indicator=indicator,
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
