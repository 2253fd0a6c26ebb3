from django.shortcuts import render

from fazhi.core.jobs import job_get_for_user


def home(request):
    memberships = []
    if request.user.is_authenticated:
        memberships = request.user.memberships.select_related("org").order_by("org__path", "role")
    return render(request, "core/home.html", {"memberships": memberships})


def job_detail(request, pk: int):
    """A background job's progress and outcome; htmx polls the ``progress`` fragment."""
    job = job_get_for_user(request.user, pk)
    template = "core/job_detail.html#progress" if request.htmx else "core/job_detail.html"
    return render(request, template, {"job": job})
