"""Opening a disputes record that names people (reconsideration, mediation, disclosure) is audited, on the page
and through the API: one event with the reader and the record's org; a refused request writes none. Litigation
records name no one and lists are not audited (the export and the detail are the access points)."""

import pytest
from django.urls import reverse

from fazhi.core.models import AuditEvent
from fazhi.ledgers.common.viewing import VIEWED
from fazhi.orgs.tokens import api_token_create
from tests.ledgers.disputes import factories


def _viewed():
    return AuditEvent.objects.filter(action=VIEWED)


@pytest.mark.parametrize("register", ["reconsideration", "mediation", "disclosure"])
def test_the_detail_page_and_api_detail_are_audited(tree, personas, client_for, client, register):
    record = getattr(factories, register)(tree.township)
    assert client_for("leader").get(reverse(f"{register}_detail", args=[record.pk])).status_code == 200
    event = _viewed().get()
    assert (event.actor, event.org, event.object_id) == (personas["leader"], tree.township, str(record.pk))
    assert event.new == {"via": "page"}

    key = api_token_create(actor=None, user=personas["township_clerk"], name="脚本")[1]
    response = client.get(
        f"/api/v1/ledgers/disputes/{register}/{record.pk}", headers={"Authorization": f"Bearer {key}"}
    )
    assert response.status_code == 200
    api_event = _viewed().exclude(pk=event.pk).get()
    assert (api_event.actor, api_event.org, api_event.new) == (
        personas["township_clerk"],
        tree.township,
        {"via": "api"},
    )


@pytest.mark.parametrize("register", ["reconsideration", "mediation", "disclosure"])
def test_a_refused_request_writes_no_event(tree, personas, client_for, client, register):
    record = getattr(factories, register)(tree.township)
    assert client_for("village_clerk_elsewhere").get(reverse(f"{register}_detail", args=[record.pk])).status_code == 404
    assert client_for("reviewer").get(reverse(f"{register}_detail", args=[record.pk])).status_code == 404
    key = api_token_create(actor=None, user=personas["village_clerk_elsewhere"], name="脚本")[1]
    response = client.get(
        f"/api/v1/ledgers/disputes/{register}/{record.pk}", headers={"Authorization": f"Bearer {key}"}
    )
    assert response.status_code == 404
    assert not _viewed().exists()


def test_litigation_and_lists_are_not_audited_on_view(tree, client_for):
    case = factories.litigation(tree.township)
    factories.mediation(tree.township)
    client = client_for("county_admin")
    assert client.get(case.get_absolute_url()).status_code == 200
    assert client.get(reverse("mediation_list")).status_code == 200
    assert not _viewed().exists()
