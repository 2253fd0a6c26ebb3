"""Stub: to be written."""

from django.http import HttpResponse


def _stub(request, *args, **kwargs):
    return HttpResponse("not yet", status=501)


audit_log = _stub
