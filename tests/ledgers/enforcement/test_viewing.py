"""Opening an officer (name, ID number, certificates, exam results) is audited on the page and through the API:
one event with the reader and the officer's org; a refused request writes none. Case files name no one."""

from django.urls import reverse

from fazhi.core.models import AuditEvent
from fazhi.ledgers.common.viewing import VIEWED
from tests.ledgers.enforcement.factories import make_case, make_officer


def _viewed():
    return AuditEvent.objects.filter(action=VIEWED)


def test_the_officer_page_and_api_detail_are_audited(tree, personas, client_for, api_client):
    officer = make_officer(tree.village)
    assert client_for("leader").get(reverse("enforcement_officer_detail", args=[officer.pk])).status_code == 200
    event = _viewed().get()
    assert (event.actor, event.org, event.object_id, event.new) == (
        personas["leader"],
        tree.village,
        str(officer.pk),
        {"via": "page"},
    )
    response = api_client("township_clerk").get(f"/api/v1/ledgers/enforcement/officers/{officer.pk}")
    assert response.status_code == 200
    api_event = _viewed().exclude(pk=event.pk).get()
    assert (api_event.actor, api_event.org, api_event.new) == (personas["township_clerk"], tree.village, {"via": "api"})


def test_a_refused_request_writes_no_event(tree, client_for, api_client):
    officer = make_officer(tree.village)
    assert (
        client_for("village_clerk_elsewhere").get(reverse("enforcement_officer_detail", args=[officer.pk])).status_code
        == 404
    )
    assert api_client("reviewer").get(f"/api/v1/ledgers/enforcement/officers/{officer.pk}").status_code == 404
    assert not _viewed().exists()


def test_case_files_and_lists_are_not_audited_on_view(tree, client_for, api_client):
    case = make_case(tree.village)
    make_officer(tree.village)
    client = client_for("county_admin")
    assert client.get(case.get_absolute_url()).status_code == 200
    assert client.get(reverse("enforcement_officer_list")).status_code == 200
    assert api_client("county_admin").get(f"/api/v1/ledgers/enforcement/case-files/{case.pk}").status_code == 200
    assert not _viewed().exists()
