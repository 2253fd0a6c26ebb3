"""Background tasks of the core app (django-tasks API): the generic spreadsheet import.

A task takes only the job's id: the job row holds the uploaded file, the importer to use and
the options, so the same task runs on the database queue, on RQ workers on other machines, or
in-process in the tests.
"""

from __future__ import annotations

from django.utils.module_loading import import_string
from django_tasks import task

from fazhi.core.imports import MAX_STORED_ERRORS, Importer, import_run
from fazhi.core.jobs import JobOutcome, JobReporter, job_run
from fazhi.core.models import Job


def _importer_class(path: str) -> type[Importer]:
    cls = import_string(path)
    if not (isinstance(cls, type) and issubclass(cls, Importer)):
        raise TypeError(f"{path} is not an importer")
    return cls


def _import_work(job: Job, report: JobReporter) -> JobOutcome:
    importer = _importer_class(job.params["importer"])(actor=job.owner)
    result = import_run(
        importer, bytes(job.input_file or b""), dry_run=job.params.get("dry_run", False), progress=report
    )
    errors = [error.as_dict() for error in result.errors]
    return JobOutcome(
        status=Job.Status.SUCCEEDED if result.ok else Job.Status.REFUSED,
        summary=result.summary(),
        errors=errors[:MAX_STORED_ERRORS],
    )


@task()
def import_job(job_id: int) -> str:
    """Run the spreadsheet import recorded in job ``job_id``; returns the job's final status."""
    return job_run(job_id, _import_work)
