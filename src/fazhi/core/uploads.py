"""The upload form every spreadsheet import page uses, with the size limit ``FAZHI_UPLOAD_MAX_MB``."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


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
