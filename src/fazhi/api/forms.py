from django import forms
from django.utils.translation import gettext_lazy as _

from fazhi.orgs.tokens import NAME_MAX


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("What the key is for"),
        max_length=NAME_MAX,
        help_text=_("For example the program's name."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
