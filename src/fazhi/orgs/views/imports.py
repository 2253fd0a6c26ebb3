"""Stub: to be written."""

from django.http import HttpResponse


def _stub(request, *args, **kwargs):
    return HttpResponse("not yet", status=501)


org_import = org_import_template = org_export = user_import = user_import_template = _stub
