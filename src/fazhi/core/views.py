from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from fazhi.core.jobs import job_get_for_user
from fazhi.core.xlsx import error_list, xlsx_response

# The job page lists this many errors; the XLSX download has all that the job kept.
JOB_PAGE_ERRORS = 1000


@login_required
def job_detail(request, pk: int):
    """A background job's progress and outcome; htmx polls the ``progress`` fragment.

    ``?download=errors`` gives a refused import's error list as XLSX.
    """
    job = job_get_for_user(request.user, pk)
    if request.GET.get("download") == "errors" and job.errors:
        return xlsx_response(error_list(job.errors), f"errors-{job.pk}.xlsx")
    template = "core/job_detail.html#progress" if request.htmx else "core/job_detail.html"
    return render(request, template, {"job": job, "errors": job.errors[:JOB_PAGE_ERRORS]})
