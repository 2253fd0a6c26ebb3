"""The import and export pages: who may use them, the upload limit, and the trip through the background job."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fazhi.core.models import AuditEvent, Job
from fazhi.orgs.models import Membership, Org, User
from tests.spreadsheets import make_xlsx, read_xlsx, sheet_names

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ORG_HEADER = ["名称", "类型", "代码", "上级代码"]


@pytest.fixture
def english_for(personas):
    def make(name: str) -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        if personas[name] is not None:
            client.force_login(personas[name])
        return client

    return make


def upload(data: bytes, name: str = "orgs.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX)


@pytest.mark.parametrize(
    ("url_name", "allowed"),
    [
        ("org_import", {"county_admin"}),
        ("org_import_template", {"county_admin"}),
        ("user_import", {"county_admin"}),
        ("user_import_template", {"county_admin"}),
    ],
)
def test_import_pages_need_the_right_to_change_somewhere(english_for, url_name, allowed):
    url = reverse(url_name)
    for name in ("county_admin", "township_clerk", "village_clerk_elsewhere", "reviewer", "leader"):
        assert english_for(name).get(url).status_code == (200 if name in allowed else 403), name
    response = english_for("anonymous").get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_import_page_explains_the_columns_and_links_the_template(english_for):
    page = english_for("county_admin").get(reverse("org_import")).content.decode()
    assert '<h1 class="h3">Import organisations</h1>' in page
    assert "a township and its villages can be imported together" in page
    assert reverse("org_import_template") in page
    assert "上级代码" in page and "<code>parent_code</code>" in page and "村 (village)" in page
    assert 'name="dry_run"' in page and 'enctype="multipart/form-data"' in page


def test_uploading_a_valid_file_runs_the_import_and_shows_the_outcome(
    tree, english_for, django_capture_on_commit_callbacks
):
    client = english_for("county_admin")
    data = make_xlsx(
        [ORG_HEADER, ["新华镇", "乡镇", "990101003", "990101"], ["新华村", "村", "990101003001", "990101003"]]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("org_import"), {"file": upload(data)})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("job_detail", args=[job.pk])
    assert job.status == Job.Status.SUCCEEDED and job.input_name == "orgs.xlsx"
    assert Org.objects.get(code="990101003001").parent.code == "990101003"
    page = client.get(response["Location"]).content.decode()
    assert "Created 2 organisations." in page and "hx-trigger" not in page
    assert reverse("org_import") in page, "a link back to import another file"


def test_a_refused_upload_shows_every_error_and_writes_nothing(tree, english_for, django_capture_on_commit_callbacks):
    client = english_for("county_admin")
    before = (Org.objects.count(), AuditEvent.objects.count())
    data = make_xlsx(
        [ORG_HEADER, ["新华镇", "乡镇", "990101003", "990101"], ["坏村", "村", "990102001009", "990102001"]]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("org_import"), {"file": upload(data)})
    page = client.get(response["Location"]).content.decode()
    assert "Refused: nothing was written." in page
    assert "<td>3</td><td>上级代码</td>" in page and "no organisation with code 990102001" in page
    assert (Org.objects.count(), AuditEvent.objects.count()) == before


def test_a_dry_run_upload_checks_without_writing(tree, english_for, django_capture_on_commit_callbacks):
    client = english_for("county_admin")
    data = make_xlsx([ORG_HEADER, ["新华镇", "乡镇", "990101003", "990101"]])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("org_import"), {"file": upload(data), "dry_run": "on"})
    page = client.get(response["Location"]).content.decode()
    assert "the file is valid" in page and "nothing was written (dry run)" in page
    assert not Org.objects.filter(code="990101003").exists()


def test_a_file_over_the_size_limit_is_refused_with_a_clear_message(tree, english_for, settings):
    settings.FAZHI_UPLOAD_MAX_MB = 1
    response = english_for("county_admin").post(reverse("org_import"), {"file": upload(b"x" * (1024 * 1024 + 1))})
    assert response.status_code == 400
    assert "The file is 1.0 MB; the limit is 1 MB." in response.content.decode()
    assert not Job.objects.exists()


def test_posting_without_a_file_redisplays_the_form(tree, english_for):
    response = english_for("county_admin").post(reverse("org_import"), {})
    assert response.status_code == 400 and "This field is required." in response.content.decode()


def test_someone_else_cannot_see_the_job_an_upload_started(tree, english_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = english_for("county_admin").post(
            reverse("org_import"), {"file": upload(make_xlsx([ORG_HEADER, ["新华镇", "乡镇", "990101003", "990101"]]))}
        )
    assert english_for("reviewer").get(response["Location"]).status_code == 404


def test_the_template_download_is_an_xlsx_with_the_headers(english_for):
    response = english_for("county_admin").get(reverse("org_import_template"))
    assert response["Content-Type"] == XLSX and "attachment" in response["Content-Disposition"]
    assert read_xlsx(response.content)[0] == ORG_HEADER
    assert sheet_names(response.content) == ["组织", "Instructions"]


def test_the_export_holds_the_subtree_in_import_columns(tree, english_for):
    response = english_for("county_admin").get(reverse("org_export", args=[tree.township.pk]))
    assert response["Content-Type"] == XLSX and "orgs-990101001.xlsx" in response["Content-Disposition"]
    rows = read_xlsx(response.content)
    assert rows[0] == ORG_HEADER
    assert rows[1] == ["城关镇", "乡镇", "990101001", "990101"]
    assert {row[2] for row in rows[1:]} == set(
        Org.objects.filter(tree.township.subtree()).values_list("code", flat=True)
    )


def test_the_export_is_scoped_like_the_org_pages(tree, english_for):
    url = reverse("org_export", args=[tree.county.pk])
    assert english_for("county_admin").get(url).status_code == 200
    assert english_for("leader").get(url).status_code == 200
    assert english_for("village_clerk_elsewhere").get(url).status_code == 404
    assert english_for("township_clerk").get(url).status_code == 404
    assert english_for("township_clerk").get(reverse("org_export", args=[tree.township.pk])).status_code == 200


def test_uploading_users_creates_accounts_and_roles(tree, english_for, django_capture_on_commit_callbacks):
    data = make_xlsx(
        [["用户名", "姓名", "组织代码", "角色"], ["dongmen", "张三", "990101001001", "填报员"]], sheet="用户"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = english_for("county_admin").post(reverse("user_import"), {"file": upload(data, "users.xlsx")})
    assert Job.objects.get().status == Job.Status.SUCCEEDED, Job.objects.get().errors
    assert Membership.objects.filter(user__username="dongmen", org__code="990101001001", role="clerk").exists()
    assert not User.objects.get(username="dongmen").has_usable_password()
    assert response.status_code == 302


def test_the_user_template_has_the_user_columns(english_for):
    response = english_for("county_admin").get(reverse("user_import_template"))
    assert read_xlsx(response.content)[0] == ["用户名", "姓名", "组织代码", "角色", "初始密码"]
