"""The shared organisation picker and the audit of opened records holding personal data."""

from __future__ import annotations

import pytest

from fazhi.core.forms import BootstrapForm
from fazhi.core.models import AuditEvent
from fazhi.ledgers.common import forms as common_forms
from fazhi.ledgers.common.forms import OrgField
from fazhi.ledgers.common.viewing import VIEWED, record_viewed
from fazhi.orgs import roles
from fazhi.orgs.access import orgs_for_user

pytestmark = pytest.mark.django_db


class PickForm(BootstrapForm):
    org = OrgField(label="单位")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs_for_user(user, roles.LEDGER_EDIT)


def test_a_typed_code_in_scope_gives_the_org(tree, personas):
    form = PickForm({"org": f"  {tree.village.code.lower()} "}, user=personas["township_clerk"])
    assert form.is_valid(), form.errors
    assert form.cleaned_data["org"] == tree.village


def test_an_org_outside_scope_is_refused_by_its_code(tree, personas):
    form = PickForm({"org": tree.other_village.code}, user=personas["township_clerk"])
    assert not form.is_valid()
    assert tree.other_village.code in form.errors["org"][0]


def test_empty_is_required_unless_optional(tree, personas):
    assert "org" in PickForm({"org": ""}, user=personas["township_clerk"]).errors


def test_the_suggestions_are_the_scope_from_the_top_and_capped(tree, personas, monkeypatch):
    monkeypatch.setattr(common_forms, "SUGGESTIONS", 1)
    html = str(PickForm(user=personas["county_admin"])["org"])
    assert 'list="id_org-orgs"' in html
    assert '<datalist id="id_org-orgs">' in html
    assert f'<option value="{tree.county.code}">{tree.county.name}</option>' in html
    assert tree.township.code not in html  # only the first suggestion


def test_an_initial_org_shows_as_its_code(tree, personas):
    form = PickForm(initial={"org": tree.village}, user=personas["township_clerk"])
    assert f'value="{tree.village.code}"' in str(form["org"])


def test_a_form_instance_does_not_share_the_queryset_with_the_class(tree, personas):
    first = PickForm(user=personas["township_clerk"])
    second = PickForm(user=personas["county_admin"])
    assert tree.county not in first.fields["org"].queryset
    assert tree.county in second.fields["org"].queryset


def test_opening_a_record_is_audited_with_its_org(tree, personas):
    record_viewed(actor=personas["county_admin"], record=tree.village, via="api")
    event = AuditEvent.objects.get(action=VIEWED)
    assert event.actor == personas["county_admin"]
    assert event.org == tree.village
    assert event.new == {"via": "api"}
