"""Uploads: the form every spreadsheet import page uses (size limit ``FAZHI_UPLOAD_MAX_MB``), and the checks every
evidence file goes through (``FAZHI_EVIDENCE_MAX_MB``, the real type among ``FAZHI_EVIDENCE_TYPES``, SHA-256)."""

from __future__ import annotations

import hashlib
import os

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fazhi.core import filetypes
from fazhi.core.errors import DomainError


def upload_limit_bytes() -> int:
    return settings.FAZHI_UPLOAD_MAX_MB * 1024 * 1024


def too_large_message(size: int) -> str:
    return gettext("The file is %(size).1f MB; the limit is %(limit)d MB.") % {
        "size": size / 1024 / 1024,
        "limit": settings.FAZHI_UPLOAD_MAX_MB,
    }


class SpreadsheetUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "class": "form-control",
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file (dry run): report errors, write nothing"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > upload_limit_bytes():
            raise forms.ValidationError(too_large_message(upload.size))
        if upload.size == 0:
            raise forms.ValidationError(gettext("The file is empty."))
        return upload


def evidence_name(uploaded_file, max_length: int) -> str:
    """The file's own name, without any folder, quotes or unprintable characters, cut to ``max_length``."""
    name = os.path.basename((uploaded_file.name or "").replace("\\", "/")).strip()
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"')
    return (name or "evidence")[-max_length:]


def evidence_check(uploaded_file, name: str, *, rule_prefix: str) -> str:
    """The file's real kind (from its content), or a DomainError ``<rule_prefix>.evidence_too_large`` /
    ``_empty`` / ``_type`` naming the file."""
    limit = settings.FAZHI_EVIDENCE_MAX_MB * 1024 * 1024
    if uploaded_file.size > limit:
        raise DomainError(
            gettext("%(name)s is too large: %(size).1f MB; the limit is %(limit)d MB.")
            % {"name": name, "size": uploaded_file.size / 1024 / 1024, "limit": settings.FAZHI_EVIDENCE_MAX_MB},
            rule=f"{rule_prefix}.evidence_too_large",
            field="file",
        )
    if uploaded_file.size == 0:
        raise DomainError(
            gettext("%(name)s is empty.") % {"name": name}, rule=f"{rule_prefix}.evidence_empty", field="file"
        )
    uploaded_file.seek(0)
    kind = filetypes.sniff(uploaded_file.file if hasattr(uploaded_file, "file") else uploaded_file)
    allowed = [kind for kind in settings.FAZHI_EVIDENCE_TYPES if kind in filetypes.KINDS]
    if kind not in allowed:
        raise DomainError(
            gettext(
                "%(name)s is not an accepted kind of file (its content was checked, not its name); accepted: %(kinds)s."
            )
            % {"name": name, "kinds": ", ".join(kind.upper() for kind in allowed)},
            rule=f"{rule_prefix}.evidence_type",
            field="file",
        )
    return kind


def file_sha256(uploaded_file) -> str:
    digest = hashlib.sha256()
    uploaded_file.seek(0)
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    return digest.hexdigest()
