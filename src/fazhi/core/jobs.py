"""Background jobs: what a person started, the progress its task reports, and the outcome.

A page (or command) calls :func:`job_start`, which records a :class:`~fazhi.core.models.Job`
and queues a django-tasks task with the job's id once the transaction commits. The task calls
:func:`job_run` with the work to do; the work reports progress through a :class:`JobReporter`,
which commits small, throttled updates of the job row (never from inside the work's own write
transaction: on SQLite only one writer holds the lock), and :func:`job_run` records the
outcome. The job page polls the job row; only the job's owner sees it.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from fazhi.core.context import request_ip
from fazhi.core.models import Job

logger = logging.getLogger(__name__)

# The job page polls every second; writing progress more often than this is wasted work.
PROGRESS_INTERVAL_SECONDS = 0.5


def job_get_for_user(user, pk) -> Job:
    """Only the person who started a job sees it (404 for everyone else)."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    try:
        job = Job.objects.get(pk=pk, owner=user)
    except (Job.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    return job_fail_if_stale(job)


def job_fail_if_stale(job: Job) -> Job:
    """A running job whose worker has been silent for ``FAZHI_JOB_STALE_MINUTES`` is marked failed.

    Its worker died (killed, machine restarted): the work's write, one transaction, was rolled back,
    so nothing was written and the person can start again. A worker that was only slow and finishes
    later still records its real outcome.
    """
    stale_before = timezone.now() - dt.timedelta(minutes=settings.FAZHI_JOB_STALE_MINUTES)
    if job.status != Job.Status.RUNNING or (job.heartbeat_at and job.heartbeat_at > stale_before):
        return job
    message = _("The worker stopped before the job finished; nothing was written. Start it again.")
    changed = (
        Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING)
        .filter(Q(heartbeat_at__lte=stale_before) | Q(heartbeat_at__isnull=True))
        .update(
            status=Job.Status.FAILED,
            stage="",
            errors=[{"row": None, "column": "", "value": "", "message": message}],
            finished_at=timezone.now(),
            input_file=None,
        )
    )
    if changed:
        job.refresh_from_db()
    return job


def job_start(
    *,
    owner,
    kind: str,
    title: str,
    task,
    params: dict | None = None,
    input_file: bytes | None = None,
    input_name: str = "",
) -> Job:
    """Record a job and queue ``task(job_id)`` when the current transaction commits.

    The job remembers the language it was started in, so that its messages come out in it.
    """
    job = Job.objects.create(
        owner=owner,
        kind=kind,
        title=title,
        params={"language": get_language(), **(params or {})},
        input_file=input_file,
        input_name=input_name,
    )
    transaction.on_commit(lambda: _enqueue(task, job.pk))
    return job


def _enqueue(task, job_id: int) -> None:
    try:
        result = task.enqueue(job_id)
    except Exception:  # a queue that cannot be reached must not leave the job queued forever
        logger.exception("Could not queue job %s", job_id)
        Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
            status=Job.Status.FAILED,
            stage="",
            errors=[{"row": None, "column": "", "value": "", "message": _("The job could not be queued.")}],
            finished_at=timezone.now(),
            input_file=None,
        )
        return
    Job.objects.filter(pk=job_id).update(task_result_id=str(result.id)[:64])


class JobReporter:
    """``reporter(stage, done, total)``: writes the job's progress, at most every half second
    (and whenever the stage changes), each write committed on its own."""

    def __init__(self, job: Job, *, interval: float = PROGRESS_INTERVAL_SECONDS, clock=time.monotonic):
        self.job_id = job.pk
        self.interval = interval
        self.clock = clock
        self._stage: str | None = None
        self._last = 0.0

    def __call__(self, stage: str, done: int = 0, total: int = 0) -> None:
        now = self.clock()
        if stage == self._stage and now - self._last < self.interval and done < total:
            return
        self._stage, self._last = stage, now
        Job.objects.filter(pk=self.job_id).update(
            stage=stage[:100], progress_done=done, progress_total=total, heartbeat_at=timezone.now()
        )


@dataclass
class JobOutcome:
    """What a job's work returns: succeeded or refused, a summary for the page, and the errors."""

    status: str
    summary: dict = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)


def job_finish(job: Job, outcome: JobOutcome) -> None:
    Job.objects.filter(pk=job.pk).update(
        status=outcome.status,
        stage="",
        summary=outcome.summary,
        errors=outcome.errors,
        finished_at=timezone.now(),
        # The uploaded file may hold personal data (initial passwords): keep it no longer than needed.
        input_file=None,
    )


def job_run(job_id: int, work: Callable[[Job, JobReporter], JobOutcome]) -> str:
    """Run ``work`` for the job, in the language and with the request address it was started
    with, and record its outcome. A job that already finished is not run again (a task retried
    by its queue is harmless). An unexpected exception marks the job failed and is re-raised, so
    the task queue records it too."""
    job = Job.objects.select_related("owner").get(pk=job_id)
    if job.is_finished:
        return job.status
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, heartbeat_at=timezone.now())
    token = request_ip.set(job.params.get("ip"))
    try:
        with translation.override(job.params.get("language")):
            try:
                outcome = work(job, JobReporter(job))
            except Exception:
                logger.exception("Job %s (%s) failed", job.pk, job.kind)
                job_finish(
                    job,
                    JobOutcome(
                        status=Job.Status.FAILED,
                        errors=[
                            {
                                "row": None,
                                "column": "",
                                "value": "",
                                "message": _("An unexpected error stopped the job. The details are in the server log."),
                            }
                        ],
                    ),
                )
                raise
    finally:
        request_ip.reset(token)
    job_finish(job, outcome)
    return outcome.status
