"""The pages of normative documents: list (filters, constant queries), detail with its steps, forms showing rule
errors on their field, export, cleanups, and the public catalogue."""

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from fazhi.ledgers.documents.models import Document
from tests.ledgers.documents.factories import document_through, make_document

D = dt.date


def test_list_filters_by_subtree_year_and_status(tree, client_for):
    document_through(tree.county, title="县文件")
    document_through(tree.township, title="镇文件")
    document_through(tree.other_county, title="外县文件")
    make_document(tree.township, title="过期未标记", published_on=D(2019, 1, 1), expires_on=D(2020, 1, 1))
    client = client_for("county_admin")
    page = client.get(reverse("document_list")).content.decode()
    assert "县文件" in page and "镇文件" in page and "外县文件" not in page
    page = client.get(reverse("document_list"), {"org": tree.township.code}).content.decode()
    assert "镇文件" in page and "县文件</a>" not in page
    page = client.get(reverse("document_list"), {"status": "expired"}).content.decode()
    assert "过期未标记" in page and "镇文件" not in page
    page = client.get(reverse("document_list"), {"year": 2019}).content.decode()
    assert "过期未标记" in page and "镇文件" not in page
    page = client.get(reverse("document_list"), {"q": "镇"}).content.decode()
    assert "镇文件" in page and "县文件</a>" not in page


def test_list_takes_the_same_queries_for_few_and_many(tree, client_for, django_assert_max_num_queries):
    client = client_for("county_admin")
    for i in range(3):
        make_document(tree.township, title=f"文件{i}", published_on=D(2025, 1, 1), expires_on=D(2029, 1, 1))
    client.get(reverse("document_list"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("document_list"), {"org": tree.county.code})
    for i in range(60):
        make_document(tree.village, title=f"村文件{i}", published_on=D(2025, 1, 1), expires_on=D(2029, 1, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("document_list"), {"org": tree.county.code})


def test_create_shows_a_too_long_validity_on_its_field(tree, client_for):
    client = client_for("township_clerk")
    response = client.post(
        reverse("document_create"),
        {
            "org": tree.township.code,
            "title": "城关镇试行办法",
            "effective_from": "2025-01-01",
            "expires_on": "2027-01-01",
        },
    )
    assert response.status_code == 400
    assert "id_expires_on_error" in response.content.decode()
    assert not Document.objects.exists()
    response = client.post(
        reverse("document_create"),
        {
            "org": tree.township.code,
            "title": "城关镇试行办法",
            "effective_from": "2025-01-01",
            "expires_on": "2026-12-31",
        },
    )
    assert response.status_code == 302
    assert Document.objects.get().title == "城关镇试行办法"


def test_steps_through_the_pages_and_refusals_on_the_field(tree, client_for):
    client = client_for("county_admin")
    document = document_through(tree.county, "decided")
    url = reverse("document_step", args=[document.pk, "register"])
    response = client.post(
        url,
        {
            "office": tree.justice_bureau.code,
            "registered_on": "2025-05-02",
            "number_prefix": "青政规",
            "effective_from": "2025-06-01",
            "expires_on": "2031-06-01",
        },
    )
    assert response.status_code == 400
    assert "id_expires_on_error" in response.content.decode()
    response = client.post(
        url,
        {
            "office": tree.justice_bureau.code,
            "registered_on": "2025-05-02",
            "number_prefix": "青政规",
            "effective_from": "2025-06-01",
            "expires_on": "2030-05-31",
        },
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == "registered" and document.document_number == "青政规〔2025〕1号"
    response = client.post(reverse("document_step", args=[document.pk, "review"]), {})
    assert response.status_code == 302  # not open now: a message, nothing written
    page = client.get(reverse("document_detail", args=[document.pk])).content.decode()
    assert "step-publish" in page and "step-review" not in page


def test_a_leader_sees_but_cannot_step(tree, client_for):
    document = document_through(tree.county, "decided")
    client = client_for("leader")
    page = client.get(reverse("document_detail", args=[document.pk])).content.decode()
    assert "step-register" not in page
    assert client.post(reverse("document_step", args=[document.pk, "register"]), {}).status_code == 403


def test_export_holds_the_filtered_list(tree, client_for):
    document_through(tree.county, title="县文件")
    document_through(tree.township, title="镇文件")
    response = client_for("county_admin").get(reverse("document_export"), {"org": tree.township.code})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    titles = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles == ["镇文件"]


def test_cleanup_pages_record_outcomes(tree, client_for):
    document = document_through(tree.township, title="镇文件")
    client = client_for("county_admin")
    response = client.post(
        reverse("document_cleanup_create"), {"org": tree.county.code, "title": "2025年清理", "started_on": "2025-12-01"}
    )
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "镇文件" in page
    cleanup_pk = int(response.url.rstrip("/").rsplit("/", 1)[1])
    from fazhi.ledgers.documents.models import CleanupItem

    item = CleanupItem.objects.get()
    response = client.post(
        reverse("document_cleanup_decide", args=[cleanup_pk, item.pk]),
        {"outcome": "invalid", "decided_on": "2025-12-05"},
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == "invalid"


def test_public_catalogue_shows_only_published_documents_in_force(tree, client):
    document_through(tree.county, title="青山县城市绿化管理办法")
    document_through(tree.county, "registered", title="未公布的办法")
    old = document_through(tree.county, title="已废止的办法")
    from fazhi.ledgers.documents import services

    services.document_end(actor=None, document=old, status="repealed", ended_on=D(2025, 10, 1))
    make_document(tree.county, title="过期的办法", published_on=D(2019, 1, 1), expires_on=D(2020, 1, 1))
    page = client.get(reverse("public_document_catalogue")).content.decode()
    assert "青山县城市绿化管理办法" in page
    assert "未公布" not in page and "已废止" not in page and "过期的" not in page
    assert "绿化" in client.get(reverse("public_document_catalogue"), {"q": "绿化"}).content.decode()
    assert "绿化" not in client.get(reverse("public_document_catalogue"), {"q": "环保"}).content.decode()
    assert "绿化" in client.get(reverse("public_document_catalogue"), {"q": "〔2025〕1号"}).content.decode()
    hidden = Document.objects.get(title="未公布的办法")
    assert client.get(reverse("public_document_detail", args=[hidden.pk])).status_code == 404


@pytest.mark.parametrize("size", [3, 60])
def test_public_catalogue_constant_queries(tree, client, django_assert_max_num_queries, size):
    for i in range(size):
        make_document(tree.county, title=f"文件{i}", published_on=D(2025, 1, 1), expires_on=D(2099, 1, 1))
    with django_assert_max_num_queries(4):
        response = client.get(reverse("public_document_catalogue"))
    assert response.status_code == 200


def test_the_index_lists_what_is_due_and_flags_the_overdue(tree, client_for):
    in_review = document_through(tree.township, "review", title="审核中的办法")
    page = client_for("township_clerk").get(reverse("document_index")).content.decode()
    assert "审核中的办法" in page and in_review.review_due.isoformat() in page
    assert "table-danger" in page  # due in 2025: overdue today
    assert "审核中的办法" not in client_for("village_clerk_elsewhere").get(reverse("document_index")).content.decode()


def test_an_uploaded_file_is_imported_by_the_background_job(tree, client_for, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from fazhi.core.models import Job
    from tests.ledgers.documents.test_importers import HEADER, full
    from tests.spreadsheets import make_xlsx

    data = make_xlsx([HEADER, full(), full(title="第二个", number_serial=2)])
    upload = SimpleUploadedFile("documents.xlsx", data)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("county_admin").post(
            reverse("ledger_import", kwargs={"importer_key": "documents"}), {"file": upload}
        )
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("job_detail", args=[job.pk])
    assert job.status == Job.Status.SUCCEEDED, job.errors
    assert sorted(Document.objects.values_list("registration_serial", flat=True)) == [1, 2]


def test_the_index_links_the_shared_import_page_and_its_template(tree, client_for):
    page = client_for("county_admin").get(reverse("document_index")).content.decode()
    assert reverse("ledger_import", kwargs={"importer_key": "documents"}) in page
    assert reverse("ledger_import_template", kwargs={"importer_key": "documents"}) in page
    assert client_for("county_admin").get("/ledgers/documents/import/").status_code == 404
    leader_page = client_for("leader").get(reverse("document_index")).content.decode()
    assert reverse("ledger_import", kwargs={"importer_key": "documents"}) not in leader_page


def test_the_org_filter_and_forms_reach_an_org_beyond_the_suggestions(tree, client_for, monkeypatch):
    """No cap: the suggestion list offers one org, yet a typed code further down the scope works."""
    from fazhi.ledgers.common import forms as common_forms

    monkeypatch.setattr(common_forms, "SUGGESTIONS", 1)
    document_through(tree.township, title="镇文件")
    document_through(tree.county, title="县文件")
    client = client_for("county_admin")
    page = client.get(reverse("document_list"), {"org": tree.township.code}).content.decode()
    assert f'<option value="{tree.township.code}"' not in page  # not among the suggestions
    assert "镇文件" in page and "县文件</a>" not in page
    response = client.post(reverse("document_create"), {"org": tree.township.code, "title": "城关镇新办法"})
    assert response.status_code == 302
    assert Document.objects.get(title="城关镇新办法").org == tree.township
    response = client.post(
        reverse("document_cleanup_create"), {"org": tree.township.code, "title": "镇清理", "started_on": "2025-12-01"}
    )
    assert response.status_code == 302


def test_an_org_outside_the_scope_is_refused_by_its_code(tree, client_for):
    document_through(tree.county, title="县文件")
    client = client_for("township_clerk")
    page = client.get(reverse("document_list"), {"org": tree.county.code}).content.decode()
    assert "县文件</a>" not in page
    assert f"您在此处可选择的单位中没有代码为 {tree.county.code} 的单位。" in page
    response = client.post(reverse("document_create"), {"org": tree.other_county.code, "title": "越权办法"})
    assert response.status_code == 400
    assert f"没有代码为 {tree.other_county.code} 的单位" in response.content.decode()
    assert not Document.objects.filter(title="越权办法").exists()


def test_the_replacing_document_is_typed_by_its_number_not_picked_from_every_document(tree, client_for, monkeypatch):
    """The end step's "replaced by" was a select of every registered or in-force document in scope (a province
    holds thousands) rendered on each in-force document's page; now a number with a short suggestion list."""
    from fazhi.ledgers.documents import forms as document_forms

    monkeypatch.setattr(document_forms, "DOCUMENT_SUGGESTIONS", 1)
    old = document_through(tree.county, title="青山县旧办法")
    new = document_through(tree.county, title="青山县新办法")
    document_through(tree.county, title="青山县另一办法")  # the newest: the only suggestion
    client = client_for("county_admin")
    page = client.get(reverse("document_detail", args=[old.pk])).content.decode()
    assert f'<option value="{new.document_number}"' not in page
    url = reverse("document_step", args=[old.pk, "end"])
    unknown = client.post(url, {"status": "replaced", "ended_on": "2026-01-05", "replaced_by": "青政规〔1999〕9号"})
    assert unknown.status_code == 400 and "青政规〔1999〕9号" in unknown.content.decode()
    replaced = client.post(url, {"status": "replaced", "ended_on": "2026-01-05", "replaced_by": new.document_number})
    assert replaced.status_code == 302
    old.refresh_from_db()
    assert old.status == "replaced" and old.replaced_by == new
