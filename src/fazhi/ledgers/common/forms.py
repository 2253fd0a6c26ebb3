"""Form pieces every ledger shares.

:class:`OrgField` picks an organisation by its code. A select of every organisation in scope does not work for
an administrator of a province (tens of thousands of organisations) and a capped select hides the rest, so the
field is a text box with a browser suggestion list (``<datalist>``) of the first organisations of the user's
scope, by name and code; any organisation of the scope can be typed. It cleans to the :class:`~fazhi.orgs.models.Org`,
like a ``ModelChoiceField`` over the same queryset.
"""

from __future__ import annotations

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from fazhi.orgs.models import Org

# How many organisations the suggestion list offers (the user's scope from the top of the tree).
SUGGESTIONS = 200


class OrgCodeInput(forms.TextInput):
    """A text box for an organisation's code, followed by a ``<datalist>`` of suggestions from ``queryset``."""

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.queryset = Org.objects.none()
        self.suggestions = SUGGESTIONS

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["list"] = self._list_id(context["widget"]["attrs"], name)
        return context

    @staticmethod
    def _list_id(attrs, name) -> str:
        return f"{attrs.get('id') or 'id_' + name}-orgs"

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        orgs = self.queryset.order_by("path").only("code", "name")[: self.suggestions]
        options = format_html_join("", '<option value="{}">{}</option>', ((org.code, org.name) for org in orgs))
        return html + format_html('<datalist id="{}">{}</datalist>', self._list_id(attrs or {}, name), options)


class OrgField(forms.Field):
    """An organisation of ``queryset``, typed as its code; cleans to the Org (None when empty and not required)."""

    widget = OrgCodeInput
    default_error_messages = {
        "unknown": _("No organisation with the code %(code)s is among those you may pick here."),
    }

    def __init__(self, *, queryset=None, **kwargs):
        kwargs.setdefault("help_text", _("Type the organisation's name or code and pick it from the list."))
        super().__init__(**kwargs)
        self.queryset = queryset if queryset is not None else Org.objects.none()

    @property
    def queryset(self):
        return self._queryset

    @queryset.setter
    def queryset(self, queryset) -> None:
        self._queryset = queryset if queryset is not None else Org.objects.none()
        self.widget.queryset = self._queryset
        self.widget.suggestions = SUGGESTIONS

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.queryset = self._queryset
        return result

    def prepare_value(self, value):
        return value.code if isinstance(value, Org) else value

    def to_python(self, value):
        code = (value or "").strip().upper()
        if not code:
            return None
        org = self._queryset.filter(code=code).first()
        if org is None:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown", params={"code": code})
        return org

    def has_changed(self, initial, data):
        return (self.prepare_value(initial) or "") != (data or "").strip().upper()
