"""Stub: to be written."""

from django.http import HttpResponse


def _stub(request, *args, **kwargs):
    return HttpResponse("not yet", status=501)


membership_list = membership_create = membership_delete = user_create = _stub
