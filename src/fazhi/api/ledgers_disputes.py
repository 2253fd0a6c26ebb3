"""JSON API of the ledger "Disputes": every path starts with /ledgers/disputes.

For each register (``reconsideration``, ``litigation``, ``mediation``, ``disclosure``): list (filters ``org`` —
an org code, its subtree —, ``year``, ``status``; paginated), detail, create (``org`` code plus the fields),
update (PATCH: the fields given), and for reconsideration and disclosure ``extend`` (once). The rules are the
services': a broken one is a 400 ``{rule, field, message}``.
"""

# No ``from __future__ import annotations``: the endpoints' schemas are built at import time and ninja reads the
# annotations as objects.
import datetime as dt
import inspect
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import create_model

from fazhi.core.errors import DomainError
from fazhi.ledgers.common.viewing import record_viewed
from fazhi.ledgers.disputes import selectors, services
from fazhi.orgs import roles
from fazhi.orgs.access import has_any_capability
from fazhi.orgs.selectors import org_find_by_code

router = Router()

PAGE_SIZE = 100


class ExtendIn(Schema):
    days: int


class PageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[dict[str, Any]]


def _python_type(field: models.Field):
    if isinstance(field, models.BooleanField):
        return bool
    if isinstance(field, models.DateField):
        return dt.date
    if isinstance(field, models.PositiveSmallIntegerField):
        return int
    return str


def _input_schema(register: str, *, create: bool):
    spec = services.SPECS[register]
    fields: dict[str, Any] = {}
    if create:
        fields["org"] = (str, ...)
    for name in spec.fields:
        fields[name] = (_python_type(spec.model._meta.get_field(name)) | None, None)
    return create_model(f"{register.title()}{'Create' if create else 'Update'}", __base__=Schema, **fields)


def record_out(register: str, record) -> dict[str, Any]:
    spec = services.SPECS[register]
    out = {"id": record.pk, "org": record.org.code, "org_name": record.org.name}
    out.update({field: getattr(record, field) for field in spec.fields})
    for derived in ("handler_count", "due_on", "on_time"):
        if hasattr(record, derived):
            out[derived] = getattr(record, derived)
    out["url"] = record.get_absolute_url()
    return out


def _org(user, code: str | None, capability: str):
    if not code:
        return None
    org = org_find_by_code(user=user, code=code, capability=capability)
    if org is None and capability == roles.LEDGER_EDIT:
        raise DomainError(
            _("No organisation with this code where you may edit the ledger."), rule="api.org", field="org"
        )
    if org is None:
        raise Http404
    return org


def _with_id(function, register: str, *params: tuple[str, type]):
    """Name the record's path parameter ``<register>_id`` (one name per kind of record, for the page tables)."""
    signature = inspect.signature(function)
    kept = [p for name, p in signature.parameters.items() if name != "record_id"]
    renamed = inspect.Parameter(f"{register}_id", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=int)
    key = f"{register}_id"

    def view(request, **kwargs):
        return function(request, record_id=kwargs.pop(key), **kwargs)

    view.__signature__ = signature.replace(parameters=[kept[0], renamed, *kept[1:]])
    view.__name__, view.__doc__ = function.__name__, function.__doc__
    return view


def _add_register(register: str) -> None:
    base = f"/ledgers/disputes/{register}"
    one = base + "/{int:" + register + "_id}"
    create_in = _input_schema(register, create=True)
    update_in = _input_schema(register, create=False)

    def list_records(request, org: str = "", year: int = 0, status: str = "", page: int = 1):
        if not has_any_capability(request.auth, roles.LEDGER_VIEW):
            raise PermissionDenied
        subtree = _org(request.auth, org, roles.LEDGER_VIEW)
        records = selectors.records_for_user(request.auth, register, org=subtree, year=year or None, status=status)
        paginator = Paginator(records, PAGE_SIZE)
        current = paginator.get_page(page)
        return {
            "count": paginator.count,
            "page": current.number,
            "pages": paginator.num_pages,
            "results": [record_out(register, r) for r in current.object_list],
        }

    def get_record(request, record_id: int):
        record = selectors.record_get_for_user(request.auth, register, record_id)
        if record.holds_personal_data:
            record_viewed(actor=request.auth, record=record, via="api")
        return record_out(register, record)

    def create_record(request, payload: create_in):
        if not has_any_capability(request.auth, roles.LEDGER_EDIT):
            raise PermissionDenied
        data = payload.dict()
        org = _org(request.auth, data.pop("org"), roles.LEDGER_EDIT)
        record = getattr(services, f"{register}_create")(actor=request.auth, org=org, **data)
        return Status(201, record_out(register, record))

    def update_record(request, record_id: int, payload: update_in):
        record = selectors.record_get_for_user(request.auth, register, record_id, write=True)
        data = payload.dict(exclude_unset=True)
        record = services.record_update(services.SPECS[register], actor=request.auth, record=record, fields=data)
        return record_out(register, record)

    list_records.__doc__ = f"The {register} register's records you may see (filters: org code, year, status)."
    get_record.__doc__ = f"One record of the {register} register."
    create_record.__doc__ = f"Record a new entry in the {register} register of the organisation with code ``org``."
    update_record.__doc__ = f"Change the given fields of a record of the {register} register."
    for function, name in (
        (list_records, "list"),
        (get_record, "get"),
        (create_record, "create"),
        (update_record, "update"),
    ):
        function.__name__ = f"disputes_{register}_{name}"
    router.get(base, response=PageOut, url_name=f"api_disputes_{register}_list")(list_records)
    router.get(one, response=dict[str, Any], url_name=f"api_disputes_{register}")(_with_id(get_record, register))
    router.post(base, response={201: dict[str, Any]}, url_name=f"api_disputes_{register}_create")(create_record)
    router.patch(one, response=dict[str, Any], url_name=f"api_disputes_{register}_update")(
        _with_id(update_record, register)
    )

    if register in ("reconsideration", "disclosure"):

        def extend_record(request, record_id: int, payload: ExtendIn):
            record = selectors.record_get_for_user(request.auth, register, record_id, write=True)
            spec = services.SPECS[register]
            return record_out(
                register, services.record_extend(spec, actor=request.auth, record=record, days=payload.days)
            )

        extend_record.__name__ = f"disputes_{register}_extend"
        extend_record.__doc__ = "Extend the period once (days for reconsideration, working days for disclosure)."
        router.post(one + "/extend", response=dict[str, Any], url_name=f"api_disputes_{register}_extend")(
            _with_id(extend_record, register)
        )


for _register in selectors.REGISTERS:
    _add_register(_register)
