"""Pages: lists keep a constant number of queries, filters work, forms show the services' refusals on the field,
exports download, and personal data stays on the ledger's pages."""

import datetime as dt

import pytest
from django.urls import reverse

from fazhi.core.models import AuditEvent
from fazhi.ledgers.enforcement.models import CaseFile, Officer, OfficerYear
from tests.ledgers.enforcement.factories import make_case, make_officer, make_year
from tests.spreadsheets import read_xlsx

D = dt.date


def _fill(tree, n):
    for i in range(n):
        officer = make_officer(tree.village if i % 2 else tree.community, f"执法{i}")
        make_year(officer, 2025, general=50 if i % 3 == 0 else 80)
        make_case(tree.village, score=50 + i)


@pytest.mark.parametrize("name", ["enforcement_officer_list", "enforcement_exam_list", "enforcement_casefile_list"])
def test_lists_keep_a_constant_number_of_queries(tree, client_for, django_assert_max_num_queries, name):
    client = client_for("township_clerk")
    _fill(tree, 3)
    with django_assert_max_num_queries(20) as small:
        assert client.get(reverse(name), {"org": tree.township.code}).status_code == 200
    _fill(tree, 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse(name), {"org": tree.township.code})
    assert response.status_code == 200


def test_officer_list_filters_by_status_and_org(tree, client_for):
    good = make_officer(tree.village, "合格者")
    make_year(good, 2025)
    bad = make_officer(tree.community, "不合格者")
    make_year(bad, 2025, general=30)
    client = client_for("township_clerk")
    page = client.get(reverse("enforcement_officer_list"), {"status": "suspended", "year": 2025}).content.decode()
    assert "不合格者" in page and '">合格者</a>' not in page
    page = client.get(reverse("enforcement_officer_list"), {"org": tree.village.code}).content.decode()
    assert "合格者" in page and "不合格者" not in page
    partial = client.get(reverse("enforcement_officer_list"), headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and "合格者" in partial


def test_certificate_form_shows_the_rule_on_its_field(tree, client_for):
    officer = make_officer(tree.village)
    response = client_for("township_clerk").post(
        reverse("enforcement_certificate_create", args=[officer.pk]),
        {"number": "NEW-1", "issued_on": "2026-01-01", "expires_on": "2025-01-01"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["expires_on"]
    assert officer.certificates.count() == 1


def test_officer_is_created_through_the_form(tree, client_for):
    response = client_for("township_clerk").post(
        reverse("enforcement_officer_create"),
        {
            "org": tree.village.code,
            "name": "新执法员",
            "id_number": "990101199001011234",
            "certificate_number": "QS-NEW",
            "issued_on": "2025-01-01",
            "expires_on": "2030-01-01",
        },
    )
    officer = Officer.objects.get(name="新执法员")
    assert response.status_code == 302 and response.url == officer.get_absolute_url()
    assert officer.certificates.get().number == "QS-NEW"


def test_year_form_records_and_corrects(tree, client_for):
    officer = make_officer(tree.village)
    client = client_for("township_clerk")
    url = reverse("enforcement_year_record", args=[officer.pk])
    data = {"year": 2025, "general_score": 55, "general_absence": "", "special_score": "", "special_absence": "excused"}
    assert client.post(url, data).status_code == 302
    assert client.get(url, {"year": 2025}).context["form"].initial["general_score"] == 55
    response = client.post(url, data | {"general_absence": "excused"})
    assert response.status_code == 400 and response.context["form"].errors["general_score"]
    assert OfficerYear.objects.get().general_absence == ""


def test_case_file_form_takes_the_checklist(tree, client_for):
    client = client_for("township_clerk")
    data = {
        "org": tree.village.code,
        "year": 2025,
        "case_number": "青执罚〔2025〕9号",
        "title": "无证经营案",
        "reviewed_on": "2025-11-01",
        "item_authority": 10,
        "item_facts": 20,
        "item_law": 20,
        "item_procedure": 25,
        "item_documents": 10,
        "item_filing": 10,
        "online": "on",
    }
    assert client.post(reverse("enforcement_casefile_create"), data).status_code == 302
    case = CaseFile.objects.get()
    assert (case.score, case.online, case.major) == (95, True, False)
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'id="case-score">95' in page
    edit = reverse("enforcement_casefile_edit", args=[case.pk])
    assert client.post(edit, data | {"item_facts": 10, "score": 95}).status_code == 302
    case.refresh_from_db()
    assert case.score == 85  # the score follows the checklist
    response = client.post(edit, data | {"score": 99})
    assert response.status_code == 400 and response.context["form"].errors["score"]


def test_exports_are_the_filtered_lists(tree, client_for):
    make_case(tree.village, score=95)
    make_case(tree.community, score=40)
    make_case(tree.other_village, score=96)
    client = client_for("township_clerk")
    rows = read_xlsx(client.get(reverse("enforcement_casefile_export"), {"status": "excellent"}).content)
    assert len(rows) == 2 and rows[1][5] == 95
    make_officer(tree.village, "导出者")
    rows = read_xlsx(client.get(reverse("enforcement_officer_export")).content)
    assert [r[1] for r in rows[1:]] == ["导出者"]
    exported = AuditEvent.objects.filter(action="enforcement.exported").order_by("seq")
    assert [(e.object_repr, e.new["rows"]) for e in exported] == [("case_files", 1), ("officers", 1)]


def test_index_counts_officers_by_status(tree, client_for):
    make_officer(tree.village)
    make_officer(tree.village, issued_on=None)
    page = client_for("leader").get(reverse("enforcement_index")).content.decode()
    assert 'id="count-active">1<' in page and 'id="count-expired">1<' in page


def test_orgs_beyond_the_suggestions_are_reachable_and_outside_ones_refused(tree, client_for, monkeypatch):
    """The picker suggests a few organisations; any other of the scope is reachable by its code, and an org
    outside the scope is refused with its code named (and nothing listed or written)."""
    from fazhi.ledgers.common import forms as common_forms

    monkeypatch.setattr(common_forms, "SUGGESTIONS", 1)
    make_officer(tree.village, "东门执法员")
    make_officer(tree.village2, "河口执法员")
    client = client_for("county_admin")
    page = client.get(reverse("enforcement_officer_create")).content.decode()
    datalist = page.split("<datalist")[1].split("</datalist>")[0]
    assert datalist.count("<option") == 1 and tree.village.code not in datalist
    page = client.get(reverse("enforcement_officer_list"), {"org": tree.village.code}).content.decode()
    assert "东门执法员" in page and "河口执法员" not in page
    data = {"org": tree.village.code, "name": "远方执法员", "id_number": "990101199001019999"}
    assert client.post(reverse("enforcement_officer_create"), data).status_code == 302
    assert Officer.objects.get(name="远方执法员").org == tree.village

    clerk = client_for("township_clerk")
    response = clerk.post(reverse("enforcement_officer_create"), data | {"org": "990102", "id_number": "X1"})
    assert response.status_code == 400 and "990102" in response.context["form"].errors["org"][0]
    assert not Officer.objects.filter(id_number="X1").exists()
    page = clerk.get(reverse("enforcement_officer_list"), {"org": "990102"}).content.decode()
    assert "990102" in page.split('id="filter-org-error"')[1].split("</div>")[0] and "东门执法员" not in page


def test_an_inactive_units_officer_can_still_be_corrected_but_not_moved_there(tree, client_for):
    from fazhi.orgs.models import Org

    officer = make_officer(tree.village, "旧名")
    Org.objects.filter(pk=tree.village.pk).update(is_active=False)
    client = client_for("township_clerk")
    url = reverse("enforcement_officer_edit", args=[officer.pk])
    response = client.post(url, {"org": tree.village.code, "name": "新名"})
    assert response.status_code == 302, response.context["form"].errors
    officer.refresh_from_db()
    assert officer.name == "新名"
    other = make_officer(tree.community, "别人")
    response = client.post(
        reverse("enforcement_officer_edit", args=[other.pk]), {"org": tree.village.code, "name": "别人"}
    )
    assert response.status_code == 400 and tree.village.code in response.context["form"].errors["org"][0]
    other.refresh_from_db()
    assert other.org == tree.community
