"""Background jobs: the import task through django-tasks, progress, outcome, and the owner-only job page."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from fazhi.core.imports import import_start
from fazhi.core.jobs import JobOutcome, JobReporter, job_get_for_user, job_run, job_start
from fazhi.core.models import AuditEvent, Job
from fazhi.core.tasks import import_job
from fazhi.orgs.importers import OrgImporter
from fazhi.orgs.models import Org
from tests.spreadsheets import make_xlsx, read_xlsx

GOOD = make_xlsx([["名称", "类型", "代码", "上级代码"], ["新华镇", "乡镇", "990101003", "990101"]])
BAD = make_xlsx(
    [["名称", "类型", "代码", "上级代码"], ["新华镇", "乡镇", "99010100", "990101"], ["甲", "村", "x", None]]
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def english_client(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def start(user, data, *, dry_run=False):
    return import_start(
        owner=user, importer=OrgImporter, data=data, filename="orgs.xlsx", dry_run=dry_run, return_url="/orgs/import/"
    )


def test_an_import_job_runs_on_commit_and_records_success(tree, personas, django_capture_on_commit_callbacks):
    admin = personas["county_admin"]
    with django_capture_on_commit_callbacks(execute=True):
        job = start(admin, GOOD)
        assert Job.objects.get(pk=job.pk).status == Job.Status.QUEUED, "nothing runs before the commit"
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.summary["lines"] == ["Created 1 organisation."] and job.summary["written"]
    assert (job.progress_done, job.progress_total) == (1, 1)
    assert job.input_file is None, "the upload is not kept after the job"
    assert job.task_result_id and job.finished_at and job.kind == "orgs.org_import"
    assert job.params["language"] == "en"
    assert Org.objects.filter(code="990101003").exists()
    assert AuditEvent.objects.get(action="orgs.org.created", object_repr="新华镇").actor == admin


def test_a_refused_import_job_keeps_every_error(tree, personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = start(personas["county_admin"], BAD)
    job.refresh_from_db()
    assert job.status == Job.Status.REFUSED
    assert [(e["row"], e["column"]) for e in job.errors] == [(2, "代码"), (3, "代码"), (3, "上级代码")]
    assert job.errors[2]["message"].startswith("required")
    assert job.errors[0]["value"] == "99010100" and "9 digits" in job.errors[0]["message"]
    assert job.summary["errors_total"] == 3 and not job.summary["written"]
    assert not Org.objects.filter(name="新华镇").exists()


def test_a_dry_run_job_writes_nothing(tree, personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = start(personas["county_admin"], GOOD, dry_run=True)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.summary["dry_run"] and not job.summary["written"]
    assert "check only" in job.title
    assert not Org.objects.filter(code="990101003").exists()


def test_the_job_runs_in_the_language_and_with_the_address_it_was_started_with(personas):
    from fazhi.core.context import request_ip

    with translation.override("zh-hans"):
        job = job_start(owner=personas["county_admin"], kind="tests.x", title="x", task=None, params={"ip": "10.0.0.7"})
    seen = {}

    def work(job, report):
        seen.update(language=translation.get_language(), ip=request_ip.get())
        return JobOutcome(status=Job.Status.SUCCEEDED)

    assert job_run(job.pk, work) == Job.Status.SUCCEEDED
    assert seen == {"language": "zh-hans", "ip": "10.0.0.7"}
    assert translation.get_language() == "en" and request_ip.get() is None


def test_an_unexpected_error_marks_the_job_failed_and_reaches_the_queue(personas):
    job = Job.objects.create(owner=personas["county_admin"], kind="tests.boom", title="boom")

    def work(job, report):
        report("Working", 1, 2)
        raise RuntimeError("bug")

    with pytest.raises(RuntimeError):
        job_run(job.pk, work)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "unexpected error" in job.errors[0]["message"]
    assert job_run(job.pk, work) == Job.Status.FAILED, "a finished job is not run again"


def test_a_job_that_cannot_be_queued_is_marked_failed(personas, django_capture_on_commit_callbacks):
    class Unreachable:
        def enqueue(self, job_id):
            raise ConnectionError("redis is down")

    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(owner=personas["county_admin"], kind="tests.x", title="x", task=Unreachable())
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "could not be queued" in job.errors[0]["message"]


def test_progress_writes_are_throttled_but_stage_changes_always_show(personas):
    job = Job.objects.create(owner=personas["county_admin"], kind="tests.x", title="x")
    clock = iter([100.0, 100.1, 100.2, 100.9, 101.0, 101.1])
    report = JobReporter(job, clock=lambda: next(clock))
    seen = []
    for stage, done in (("Checking", 1), ("Checking", 2), ("Writing", 2), ("Writing", 3), ("Writing", 4)):
        report(stage, done, 10)
        job.refresh_from_db()
        seen.append((job.stage, job.progress_done))
    assert seen == [("Checking", 1), ("Checking", 1), ("Writing", 2), ("Writing", 3), ("Writing", 3)]
    report("Writing", 10, 10)
    job.refresh_from_db()
    assert job.progress_done == 10, "the last step is always written"


def test_only_the_owner_gets_a_job(personas):
    from django.contrib.auth.models import AnonymousUser
    from django.http import Http404

    job = Job.objects.create(owner=personas["county_admin"], kind="tests.x", title="x")
    assert job_get_for_user(personas["county_admin"], job.pk) == job
    for user in (personas["reviewer"], AnonymousUser()):
        with pytest.raises(Http404):
            job_get_for_user(user, job.pk)
    with pytest.raises(Http404):
        job_get_for_user(personas["county_admin"], "nope")


# --- The job page --------------------------------------------------------------------------------


@pytest.fixture
def running_job(personas):
    return Job.objects.create(
        owner=personas["county_admin"],
        kind="orgs.org_import",
        title="Import organisations: orgs.xlsx",
        status=Job.Status.RUNNING,
        stage="Checking rows",
        progress_done=250,
        progress_total=1000,
        heartbeat_at=timezone.now(),
    )


def test_the_job_page_is_for_its_owner_only(running_job, personas):
    url = reverse("job_detail", args=[running_job.pk])
    assert english_client(personas["county_admin"]).get(url).status_code == 200
    for name in ("township_clerk", "reviewer", "village_clerk_elsewhere"):
        assert english_client(personas[name]).get(url).status_code == 404, name
    response = english_client().get(url)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_running_job_shows_a_polled_progress_bar(running_job, personas):
    client = english_client(personas["county_admin"])
    url = reverse("job_detail", args=[running_job.pk])
    page = client.get(url).content.decode()
    assert "<html" in page and 'aria-valuenow="25"' in page and "Checking rows" in page
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment
    assert 'hx-trigger="every 1s"' in fragment and f'hx-get="{url}"' in fragment
    assert "250 / 1,000" in fragment


def test_a_finished_job_stops_polling_and_shows_the_outcome(running_job, personas):
    client = english_client(personas["county_admin"])
    url = reverse("job_detail", args=[running_job.pk])
    Job.objects.filter(pk=running_job.pk).update(
        status=Job.Status.SUCCEEDED, summary={"lines": ["Created 1,000 organisations."], "written": True}
    )
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in fragment and "Created 1,000 organisations." in fragment


def test_a_refused_job_lists_every_error_and_offers_them_as_xlsx(running_job, personas):
    errors = [
        {"row": 2, "column": "代码", "value": "99010100", "message": "this level's division code has 9 digits"},
        {"row": 7, "column": "上级代码", "value": "990109", "message": "no organisation with code 990109"},
    ]
    Job.objects.filter(pk=running_job.pk).update(
        status=Job.Status.REFUSED, errors=errors, summary={"errors_total": 2, "written": False}
    )
    client = english_client(personas["county_admin"])
    url = reverse("job_detail", args=[running_job.pk])
    page = client.get(url).content.decode()
    assert "Refused: nothing was written." in page and "Correct the 2 errors" in page
    assert '<td>7</td><td>上级代码</td><td class="text-break">990109</td>' in page
    download = client.get(url, {"download": "errors"})
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert read_xlsx(download.content)[1:] == [[e["row"], e["column"], e["value"], e["message"]] for e in errors]


# --- The worker ----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)  # the worker closes connections between tasks, as it should
def test_the_worker_runs_queued_imports_from_the_database_queue(tree, personas, django_capture_on_commit_callbacks):
    database_queue = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with override_settings(TASKS=database_queue, FAZHI_TASKS_BACKEND="database"):
        with django_capture_on_commit_callbacks(execute=True):
            job = start(personas["county_admin"], GOOD)
        job.refresh_from_db()
        assert job.status == Job.Status.QUEUED and job.task_result_id
        call_command("worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0", verbosity=0)
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert Org.objects.filter(code="990101003").exists()


def test_the_worker_explains_itself_when_tasks_do_not_use_the_database_queue():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no worker is needed"):
        call_command("worker", "--batch")
    with override_settings(FAZHI_TASKS_BACKEND="rq"), pytest.raises(CommandError, match="rqworker"):
        call_command("worker", "--batch")


def test_the_import_task_is_a_django_task():
    assert import_job.module_path == "fazhi.core.tasks.import_job"


def test_a_running_job_whose_worker_went_silent_is_shown_failed(personas, settings):
    import datetime as dt

    from django.utils import timezone

    from fazhi.core.jobs import JobOutcome, job_fail_if_stale, job_finish

    owner = personas["county_admin"]
    long_ago = timezone.now() - dt.timedelta(minutes=settings.FAZHI_JOB_STALE_MINUTES + 1)
    stale = Job.objects.create(
        kind="orgs.import", title="t", owner=owner, status=Job.Status.RUNNING, heartbeat_at=long_ago
    )
    alive = Job.objects.create(
        kind="orgs.import", title="t", owner=owner, status=Job.Status.RUNNING, heartbeat_at=timezone.now()
    )
    assert job_fail_if_stale(stale).status == Job.Status.FAILED
    assert "nothing was written" in job_fail_if_stale(stale).errors[0]["message"]
    assert job_fail_if_stale(alive).status == Job.Status.RUNNING
    # A worker that was only slow still records its real outcome.
    job_finish(stale, JobOutcome(status=Job.Status.SUCCEEDED))
    stale.refresh_from_db()
    assert stale.status == Job.Status.SUCCEEDED
