"""The base of Fazhi's forms: Bootstrap's classes on every widget, and a service's DomainError shown
on the field it names. Forms check the shape of input only; services enforce the rules."""

from __future__ import annotations

from django import forms

from fazhi.core.errors import DomainError


class BootstrapForm(forms.Form):
    # The service's field name -> this form's field name, where they differ.
    domain_fields: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)

    def add_error(self, field, error):
        """Record the error, and mark every field with an error invalid (Bootstrap's ``is-invalid``)."""
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", "").split():
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    def add_domain_error(self, error: DomainError) -> None:
        name = self.domain_fields.get(error.field or "", error.field)
        self.add_error(name if name in self.fields else None, error.message)
