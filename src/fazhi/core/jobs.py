"""Background jobs: what a person started, and the progress its task reports.

Stub: the job service (create, enqueue, report progress, finish) is written with the import
framework.
"""

from django.http import Http404

from fazhi.core.models import Job


def job_get_for_user(user, pk) -> Job:
    """Only the person who started a job sees it."""
    if not user.is_authenticated:
        raise Http404
    try:
        return Job.objects.get(pk=pk, owner=user)
    except Job.DoesNotExist:
        raise Http404 from None
