"""Stub: to be written."""

from django.http import HttpResponse


def _stub(request, *args, **kwargs):
    return HttpResponse("not yet", status=501)


org_tree = org_search = org_create = org_detail = org_children = org_edit = org_move = org_set_active = _stub
