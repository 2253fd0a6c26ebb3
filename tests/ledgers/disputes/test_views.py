"""The disputes pages: lists with constant queries and filters, forms showing a rule's refusal on its field,
the extension button, the export (audited), the import page, the index."""

import datetime as dt

import pytest
from django.urls import reverse

from fazhi.core.models import AuditEvent, Job
from fazhi.ledgers.disputes.models import Mediation, ReconsiderationCase
from tests.ledgers.disputes import factories
from tests.spreadsheets import make_xlsx, read_xlsx

D = dt.date


def _mediations(org, count, start=0):
    Mediation.objects.bulk_create(
        Mediation(org=org, number=f"调{start + i}", kind="peoples", matter="纠纷", screened_on=D(2026, 3, 1))
        for i in range(count)
    )


@pytest.mark.parametrize("register", ["reconsideration", "litigation", "mediation", "disclosure"])
def test_list_takes_constant_queries(tree, client_for, django_assert_max_num_queries, register):
    client = client_for("county_admin")
    make = getattr(factories, register)
    make(tree.township)
    with django_assert_max_num_queries(12) as small:
        assert client.get(reverse(f"{register}_list")).status_code == 200
    for _ in range(12):
        make(tree.village)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse(f"{register}_list"))
    assert response.status_code == 200 and response.content.count(b"<tr>") == 14


def test_list_filters_by_subtree_year_and_status(tree, client_for):
    factories.mediation(tree.village, number="东门1")
    factories.mediation(tree.village2, number="河口1", mediated_on=D(2026, 3, 2))
    factories.mediation(tree.village, number="旧1", screened_on=D(2025, 3, 1))
    client = client_for("county_admin")
    page = client.get(reverse("mediation_list"), {"org": "990101001", "year": 2026}).content.decode()
    assert "东门1" in page and "河口1" not in page and "旧1" not in page
    page = client.get(reverse("mediation_list"), {"status": "mediating"}).content.decode()
    assert "河口1" in page and "东门1" not in page
    page = client.get(reverse("mediation_list"), {"org": "990102"}).content.decode()
    assert "东门1" not in page and "990102" in page.split('id="org-refused"')[1].split("</div>")[0]
    fragment = client.get(reverse("mediation_list"), {"year": 2025}, headers={"HX-Request": "true"})
    assert "旧1" in fragment.content.decode() and "<html" not in fragment.content.decode()


def test_pagination(tree, client_for):
    _mediations(tree.village, 51)
    client = client_for("county_admin")
    assert client.get(reverse("mediation_list")).content.count(b"<tr>") == 51  # header + 50
    assert client.get(reverse("mediation_list"), {"page": 2}).content.count(b"<tr>") == 2


def test_create_shows_the_rule_on_its_field(tree, client_for):
    client = client_for("township_clerk")
    data = {
        "org": "990101001",
        "case_number": "复1",
        "respondent": "城关镇人民政府",
        "matter": "不服处罚",
        "received_on": "2026-03-01",
        "accepted_on": "2026-03-05",
        "handlers": "王某",
        "extension_days": "0",
        "act_corrected": "unknown",
        "complied": "unknown",
    }
    response = client.post(reverse("reconsideration_create"), data)
    assert response.status_code == 400
    assert response.context["form"].errors["handlers"]
    assert not ReconsiderationCase.objects.exists()
    response = client.post(reverse("reconsideration_create"), {**data, "handlers": "王某、李某"})
    case = ReconsiderationCase.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    page = client.get(case.get_absolute_url()).content.decode()
    assert "2026-05-04" in page and 'id="extend-form"' in page


def test_create_in_an_org_outside_edit_scope_is_refused_naming_its_code(tree, client_for):
    response = client_for("township_clerk").post(
        reverse("mediation_create"),
        {"org": "990101", "number": "调1", "kind": "peoples", "matter": "纠纷", "screened_on": "2026-03-01"},
    )
    assert response.status_code == 400 and "990101" in response.context["form"].errors["org"][0]
    assert not Mediation.objects.exists()


def test_orgs_beyond_the_suggestions_can_be_typed(tree, client_for, monkeypatch):
    """The picker suggests a few organisations; any other of the scope is reachable by its code."""
    from fazhi.ledgers.common import forms as common_forms

    monkeypatch.setattr(common_forms, "SUGGESTIONS", 1)
    factories.mediation(tree.village, number="东门1")
    factories.mediation(tree.village2, number="河口1")
    client = client_for("county_admin")
    page = client.get(reverse("mediation_create")).content.decode()
    datalist = page.split("<datalist")[1].split("</datalist>")[0]
    assert datalist.count("<option") == 1 and tree.village.code not in datalist
    page = client.get(reverse("mediation_list"), {"org": tree.village.code}).content.decode()
    assert "东门1" in page and "河口1" not in page
    response = client.post(
        reverse("mediation_create"),
        {"org": tree.village.code, "number": "调9", "kind": "peoples", "matter": "纠纷", "screened_on": "2026-03-01"},
    )
    assert response.status_code == 302
    assert Mediation.objects.get(number="调9").org == tree.village


def test_edit_records_the_decision(tree, client_for):
    case = factories.reconsideration(tree.township)
    client = client_for("township_clerk")
    form = client.get(reverse("reconsideration_edit", args=[case.pk])).context["form"]
    data = {name: form[name].value() or "" for name in form.fields if not form.fields[name].disabled}
    data.update(decided_on="2026-04-01", decision="revoke", act_corrected="unknown", complied="true")
    response = client.post(reverse("reconsideration_edit", args=[case.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    case.refresh_from_db()
    assert case.decision == "revoke" and case.act_corrected is True and case.complied is True


def test_extend_once(tree, client_for):
    case = factories.reconsideration(tree.township)
    client = client_for("township_clerk")
    client.post(reverse("reconsideration_extend", args=[case.pk]), {"days": 31})
    case.refresh_from_db()
    assert case.extension_days == 0
    client.post(reverse("reconsideration_extend", args=[case.pk]), {"days": 30})
    case.refresh_from_db()
    assert case.extension_days == 30
    assert 'id="extend-form"' not in client.get(case.get_absolute_url()).content.decode()


def test_export_is_the_filtered_list_and_is_audited(tree, client_for):
    factories.mediation(tree.village, number="东门1", parties="张某、李某")
    factories.mediation(tree.village2, number="河口1")
    response = client_for("county_admin").get(reverse("mediation_export"), {"org": "990101001"})
    rows = read_xlsx(response.content)
    assert rows[0][:2] == ["单位代码", "编号"] and [r[1] for r in rows[1:]] == ["东门1"]
    assert AuditEvent.objects.filter(action="disputes.mediation.exported").count() == 1


def test_import_goes_through_the_shared_page(tree, client_for):
    client = client_for("county_admin")
    listing = client.get(reverse("mediation_list")).content.decode()
    shared = reverse("ledger_import", kwargs={"importer_key": "disputes.mediation"})
    assert f'href="{shared}?back=' in listing
    assert client.get(shared).status_code == 200
    template = client.get(reverse("ledger_import_template", kwargs={"importer_key": "disputes.mediation"}))
    assert read_xlsx(template.content)[0][0] == "单位代码"
    data = make_xlsx(
        [["单位代码", "编号", "调解类型", "纠纷事由", "排查日期"], ["990101", "调1", "人民调解", "纠纷", D(2026, 3, 1)]]
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("m.xlsx", data)
    response = client.post(shared, {"file": upload, "dry_run": "on"})
    assert response.status_code == 302
    assert Job.objects.get().kind == "disputes.mediation"
    assert not Mediation.objects.exists()  # a dry run


def test_the_old_import_pages_are_gone():
    from django.urls import NoReverseMatch

    for name in ("mediation_import", "mediation_import_template", "reconsideration_import"):
        with pytest.raises(NoReverseMatch):
            reverse(name)


def test_index_counts_overdue(tree, client_for):
    factories.reconsideration(tree.township)  # accepted 2026-03-06, due 2026-05-05: overdue today
    page = client_for("leader").get(reverse("disputes_index")).content.decode()
    assert "?status=overdue" in page
