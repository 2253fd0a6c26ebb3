"""The decisions pages: the list (filters, constant queries), the detail, recording steps and deciding through
forms (the refusal names the step), evidence served only to who may see the decision, the export."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fazhi.ledgers.decisions.models import Decision, ProcedureEvidence, Status
from tests.ledgers.decisions.factories import make_decided, make_decision, required_steps_only
from tests.spreadsheets import read_xlsx

D = dt.date
PDF = b"%PDF-1.7\n%%EOF\n"


def test_the_list_filters_by_subtree_year_and_status(tree, client_for):
    make_decided(tree.township, title="镇里已决策")
    make_decision(tree.county, title="县里目录内")
    make_decision(tree.county, title="县里去年", year=2025)
    make_decision(tree.other_county, title="别的县")
    client = client_for("county_admin")
    page = client.get(reverse("decision_list")).content.decode()
    assert "镇里已决策" in page and "县里目录内" in page and "别的县" not in page
    page = client.get(reverse("decision_list"), {"org": tree.township.code}).content.decode()
    assert "镇里已决策" in page and "县里目录内" not in page
    page = client.get(reverse("decision_list"), {"year": 2025}).content.decode()
    assert "县里去年" in page and "县里目录内" not in page
    page = client.get(reverse("decision_list"), {"status": "decided"}).content.decode()
    assert "镇里已决策" in page and "县里目录内" not in page
    fragment = client.get(reverse("decision_list"), {"status": "decided"}, headers={"HX-Request": "true"})
    assert "<html" not in fragment.content.decode() and "镇里已决策" in fragment.content.decode()


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_keeps_a_constant_number_of_queries(tree, client_for, django_assert_max_num_queries, count):
    for i in range(count):
        make_decision(tree.township if i % 2 else tree.village, title=f"事项{i}")
    client = client_for("county_admin")
    client.get(reverse("decision_list"))  # warm the session
    with django_assert_max_num_queries(12):
        response = client.get(reverse("decision_list"))
    assert response.status_code == 200 and "事项1" in response.content.decode()


def test_recording_steps_and_deciding_through_the_forms(tree, client_for):
    client = client_for("township_clerk")
    response = client.post(
        reverse("decision_create"),
        {
            "org": tree.township.code,
            "year": 2026,
            "title": "城关镇农贸市场搬迁",
            "category": "public_policy",
            "public_comment_required": "on",
        },
    )
    decision = Decision.objects.get()
    assert response.status_code == 302 and response.url == decision.get_absolute_url()
    url = reverse("decision_procedure", args=[decision.pk]) + "?kind=collective_decision"
    assert client.post(url, {"ended_on": "2026-04-28"}).status_code == 302
    # Deciding without the legality review: refused, the page names the step.
    response = client.post(reverse("decision_decide", args=[decision.pk]))
    assert response.status_code == 400
    text = response.content.decode()
    assert "legality review" in text
    decision.refresh_from_db()
    assert decision.status == Status.CATALOGUED
    # A review opinion after the meeting: refused on its form? No: recorded, but deciding names the order.
    url = reverse("decision_procedure", args=[decision.pk]) + "?kind=legality_review"
    bad = client.post(url, {"started_on": "2026-04-20", "ended_on": "2026-04-07"})
    assert bad.status_code == 400 and "before the start date" in bad.content.decode()
    client.post(url, {"started_on": "2026-04-07", "ended_on": "2026-04-20"})
    url = reverse("decision_procedure", args=[decision.pk]) + "?kind=public_participation"
    client.post(url, {"started_on": "2026-03-02", "ended_on": "2026-04-01"})
    detail = client.get(decision.get_absolute_url()).content.decode()
    assert "2026-04-07" in detail
    assert client.post(reverse("decision_decide", args=[decision.pk])).status_code == 302
    decision.refresh_from_db()
    assert decision.status == Status.DECIDED and decision.decided_on == D(2026, 4, 28)


def test_a_clerk_cannot_create_in_another_county(tree, client_for):
    response = client_for("township_clerk").post(
        reverse("decision_create"),
        {"org": tree.other_county.code, "year": 2026, "title": "越权", "category": "other"},
    )
    assert response.status_code == 400 and not Decision.objects.exists()
    assert f"No organisation with the code {tree.other_county.code}" in response.content.decode()


def test_the_org_filter_and_form_reach_an_org_beyond_the_suggestions(tree, client_for, monkeypatch):
    """No cap: the suggestion list offers one org, yet a typed code further down the scope works."""
    from fazhi.ledgers.common import forms as common_forms

    monkeypatch.setattr(common_forms, "SUGGESTIONS", 1)
    make_decision(tree.village, title="村里的事项")
    make_decision(tree.county, title="县里的事项")
    client = client_for("county_admin")
    page = client.get(reverse("decision_list"), {"org": tree.village.code}).content.decode()
    assert f'<option value="{tree.village.code}"' not in page  # not among the suggestions
    assert "村里的事项" in page and "县里的事项" not in page
    response = client.post(
        reverse("decision_create"), {"org": tree.village.code, "year": 2026, "title": "村道硬化", "category": "other"}
    )
    assert response.status_code == 302
    assert Decision.objects.get(title="村道硬化").org == tree.village


def test_the_org_filter_refuses_an_org_outside_the_scope_by_its_code(tree, client_for):
    make_decision(tree.county, title="县里的事项")
    response = client_for("township_clerk").get(reverse("decision_list"), {"org": tree.county.code})
    page = response.content.decode()
    assert "县里的事项" not in page
    assert f"No organisation with the code {tree.county.code} is among those you may pick here." in page
    fragment = client_for("township_clerk").get(
        reverse("decision_list"), {"org": tree.county.code}, headers={"HX-Request": "true"}
    )
    assert 'id="org-refused"' in fragment.content.decode()


def test_evidence_upload_and_download_are_permission_checked(tree, client_for):
    decision = make_decision(tree.township, steps={"legality_review": (D(2026, 4, 7), D(2026, 4, 20))})
    procedure = decision.procedures.get()
    clerk = client_for("township_clerk")
    upload = SimpleUploadedFile("审查意见书.pdf", PDF, content_type="application/pdf")
    clerk.post(reverse("decision_evidence_add", args=[procedure.pk]), {"file": upload})
    evidence = ProcedureEvidence.objects.get()
    response = clerk.get(reverse("decision_evidence_download", args=[evidence.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
    assert (
        client_for("village_clerk_elsewhere").get(reverse("decision_evidence_download", args=[evidence.pk])).status_code
        == 404
    )
    fake = SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00", content_type="application/pdf")
    clerk.post(reverse("decision_evidence_add", args=[procedure.pk]), {"file": fake})
    assert ProcedureEvidence.objects.count() == 1


def test_opening_an_evidence_file_is_audited_once_and_a_refusal_writes_nothing(tree, personas, client_for):
    from fazhi.core.models import AuditEvent
    from fazhi.ledgers.common.viewing import VIEWED

    decision = make_decision(tree.township, steps={"legality_review": (D(2026, 4, 7), D(2026, 4, 20))})
    procedure = decision.procedures.get()
    clerk = client_for("township_clerk")
    upload = SimpleUploadedFile("公众意见汇总.pdf", PDF, content_type="application/pdf")
    clerk.post(reverse("decision_evidence_add", args=[procedure.pk]), {"file": upload})
    evidence = ProcedureEvidence.objects.get()
    url = reverse("decision_evidence_download", args=[evidence.pk])
    assert client_for("village_clerk_elsewhere").get(url).status_code == 404
    assert not AuditEvent.objects.filter(action=VIEWED).exists()
    assert clerk.get(decision.get_absolute_url()).status_code == 200  # the decision's page names no one
    assert not AuditEvent.objects.filter(action=VIEWED).exists()
    assert client_for("leader").get(url).status_code == 200
    event = AuditEvent.objects.get(action=VIEWED)
    assert event.actor == personas["leader"] and event.org == tree.township
    assert event.object_id == str(evidence.pk) and event.new == {"via": "page"}


def test_the_export_is_the_filtered_list(tree, client_for):
    make_decided(tree.township, title="镇里已决策")
    make_decision(tree.county, title="县里目录内", steps=required_steps_only())
    response = client_for("county_admin").get(reverse("decision_export"), {"status": "decided"})
    cells = read_xlsx(response.content)
    assert len(cells) == 2 and "镇里已决策" in cells[1]


def test_the_detail_shows_the_required_steps_and_warnings(tree, client_for):
    steps = required_steps_only(hearing=True)
    steps["hearing"] = (D(2026, 3, 25), D(2026, 3, 30))
    decision = make_decision(tree.township, hearing_required=True, steps=steps)
    page = client_for("leader").get(decision.get_absolute_url()).content.decode()
    assert "announced fewer than 7 days ahead" in page
    assert reverse("decision_decide", args=[decision.pk]) not in page  # the leader may not write


@pytest.mark.parametrize("files", [1, 6])
def test_the_detail_keeps_a_constant_number_of_queries(tree, client_for, django_assert_max_num_queries, files):
    from django.core.files.base import ContentFile

    from fazhi.ledgers.decisions import services

    decision = make_decision(tree.township, steps=required_steps_only(technical=True, hearing=True), technical=True)
    for procedure in decision.procedures.all():
        for i in range(files):
            services.evidence_add(
                actor=None, procedure=procedure, uploaded_file=ContentFile(PDF + bytes([i]), name=f"{i}.pdf")
            )
    client = client_for("township_clerk")
    client.get(decision.get_absolute_url())
    with django_assert_max_num_queries(12):
        response = client.get(decision.get_absolute_url())
    assert response.content.decode().count("5.pdf" if files == 6 else "0.pdf") == 6


def test_the_list_links_the_shared_import_page_and_its_template(tree, client_for):
    page = client_for("county_admin").get(reverse("decision_list")).content.decode()
    assert reverse("ledger_import", kwargs={"importer_key": "decisions"}) in page
    assert reverse("ledger_import_template", kwargs={"importer_key": "decisions"}) in page
    assert client_for("county_admin").get("/ledgers/decisions/import/").status_code == 404
    response = client_for("county_admin").get(reverse("ledger_import", kwargs={"importer_key": "decisions"}))
    assert response.status_code == 200 and "决策" in response.content.decode()
