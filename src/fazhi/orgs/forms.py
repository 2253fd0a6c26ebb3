"""Forms of the orgs pages. They check the shape of the input only; the services enforce the rules
and raise :class:`~fazhi.core.errors.DomainError`, which :meth:`BootstrapForm.add_domain_error`
shows on the field it names.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fazhi.core.forms import BootstrapForm
from fazhi.orgs import codes, rules
from fazhi.orgs.models import Org, OrgKind

# ---------------------------------------------------------------------------------------------
# Organisation forms: create, edit, move
# ---------------------------------------------------------------------------------------------


def allowed_kinds(parent: Org | None) -> list[str]:
    """The kinds of organisation that may hang under ``parent`` (None: a root)."""
    parent_kind = parent.kind if parent else None
    return [kind for kind in rules.KINDS if rules.placement_problem(kind, parent_kind) is None]


def code_help(kind: str, parent: Org | None) -> str:
    """What the code of an organisation of ``kind`` under ``parent`` looks like, for the person typing it."""
    if not rules.is_area(kind):
        return gettext("an 18-character unified social credit code (GB 32100-2015), e.g. the one on its certificate")
    level = rules.LEVEL_NAMES[rules.AREA_LEVEL[kind]]
    length = codes.DIVISION_LENGTHS[level]
    zeros = length - codes.DIVISION_PREFIX[level]
    if parent is not None and parent.is_area:
        prefix = codes.division_prefix(parent.code, rules.LEVEL_NAMES[rules.AREA_LEVEL[parent.kind]])
        if zeros:
            return gettext(
                "a %(length)d-digit division code beginning with %(prefix)s and ending in %(zeros)d zeros"
            ) % {
                "length": length,
                "prefix": prefix,
                "zeros": zeros,
            }
        return gettext("a %(length)d-digit administrative division code beginning with %(prefix)s") % {
            "length": length,
            "prefix": prefix,
        }
    return gettext("a %(length)d-digit administrative division code ending in %(zeros)d zeros") % {
        "length": length,
        "zeros": zeros,
    }


def code_help_by_kind(kinds: list[str], parent: Org | None) -> list[tuple[str, str]]:
    """(kind labels, help) for each distinct help among ``kinds``, e.g. villages and communities together."""
    labels = dict(OrgKind.choices)
    grouped: dict[str, list[str]] = {}
    for kind in kinds:
        grouped.setdefault(code_help(kind, parent), []).append(str(labels[kind]))
    return [(" / ".join(names), text) for text, names in grouped.items()]


class OrgCreateForm(BootstrapForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"))
    code = forms.CharField(label=_("Code"), max_length=18)

    def __init__(self, *args, parent: Org | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent = parent
        labels = dict(OrgKind.choices)
        kinds = allowed_kinds(parent)
        self.fields["kind"].choices = [(kind, labels[kind]) for kind in kinds]
        self.code_help = code_help_by_kind(kinds, parent)


class OrgEditForm(BootstrapForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    code = forms.CharField(label=_("Code"), max_length=18)

    def __init__(self, *args, org: Org, **kwargs):
        kwargs.setdefault("initial", {"name": org.name, "code": org.code})
        super().__init__(*args, **kwargs)
        self.org = org
        self.fields["code"].help_text = code_help(org.kind, org.parent)


class OrgMoveForm(BootstrapForm):
    domain_fields = {"parent": "parent_code"}

    parent_code = forms.CharField(
        label=_("Code of the new parent"),
        max_length=18,
        help_text=_("Its administrative division code or unified social credit code; or search for it."),
    )
