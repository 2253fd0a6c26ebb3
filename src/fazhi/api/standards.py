"""Scoring standards: list, get (the whole tree as ``fazhi-standard/1``), import, export."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from fazhi.core.errors import DomainError
from fazhi.indicators import formats, selectors, services
from fazhi.orgs import roles
from fazhi.orgs.access import has_any_capability
from fazhi.orgs.selectors import org_find_by_code

router = Router()

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class StandardSummary(Schema):
    id: int
    code: str
    version: str
    title: str
    status: str
    owner: str
    total: float
    indicator_count: int

    @staticmethod
    def resolve_owner(standard) -> str:
        return standard.owner_org.code

    @staticmethod
    def resolve_total(standard) -> float:
        return _number(Decimal(standard.total) / 100)


class StandardOut(Schema):
    id: int
    status: str
    owner: str
    standard: dict


class ImportOut(Schema):
    dry_run: bool
    id: int | None = None
    code: str
    version: str
    status: str | None = None


def _number(value):
    """Points and thresholds as JSON numbers: whole ones as integers."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {key: _number(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_number(item) for item in value]
    return value


@router.get("", response=list[StandardSummary], url_name="standard_list")
def standard_list(request, status: str = "", q: str = ""):
    """The standards you may see: every published or retired one, and drafts of your organisations."""
    return list(selectors.standards_for_user(request.auth, status=status or None, query=q))


def _detail(standard) -> dict:
    document = formats.to_document(services.standard_to_spec(standard))
    return {
        "id": standard.pk,
        "status": standard.status,
        "owner": standard.owner_org.code,
        "standard": _number(document),
    }


@router.get("/{int:standard_id}", response=StandardOut, url_name="standard")
def standard_get(request, standard_id: int):
    """One standard with its whole tree, in the structure of the file format (points as numbers of points)."""
    return _detail(selectors.standard_get_for_user(request.auth, standard_id))


@router.get("/by-code/{standard_code}/{version}", response=StandardOut, url_name="standard_by_code")
def standard_get_by_code(request, standard_code: str, version: str):
    """The given version of a standard, by its code."""
    found = selectors.standard_latest(standard_code, version=version)
    if found is None:
        raise Http404
    return _detail(selectors.standard_get_for_user(request.auth, found.pk))


@router.post("/import", response={200: ImportOut, 201: ImportOut}, url_name="standard_import")
def standard_import(request, file: File[UploadedFile], owner: Form[str], dry_run: Form[bool] = False):
    """Import a YAML (``.yaml``/``.yml``) or XLSX (``.xlsx``) file as a draft owned by the organisation
    with code ``owner``. Every problem of the file comes back together (400); nothing is saved then.
    With ``dry_run`` the file is checked and nothing is saved."""
    if not has_any_capability(request.auth, roles.STANDARD_CHANGE):
        raise PermissionDenied
    owner_org = org_find_by_code(user=request.auth, code=owner, capability=roles.STANDARD_CHANGE)
    if owner_org is None:
        raise DomainError(
            _("No organisation with this code where you may change standards."), rule="api.owner", field="owner"
        )
    data = file.read(formats.DEFAULT_MAX_BYTES + 1)
    load = formats.load_xlsx if (file.name or "").lower().endswith(".xlsx") else formats.load_yaml
    std = load(data)
    standard = services.standard_import(actor=request.auth, owner_org=owner_org, spec=std, dry_run=dry_run)
    if standard is None:
        return Status(200, {"dry_run": True, "code": std.code, "version": std.version})
    return Status(
        201,
        {
            "dry_run": False,
            "id": standard.pk,
            "code": standard.code,
            "version": standard.version,
            "status": standard.status,
        },
    )


@router.get("/{int:standard_id}/export", url_name="standard_export")
def standard_export(request, standard_id: int, format: Literal["yaml", "xlsx"] = "yaml"):  # noqa: A002
    """The standard as a file of the published format: YAML (default) or XLSX."""
    standard = selectors.standard_get_for_user(request.auth, standard_id)
    std = services.standard_to_spec(standard)
    if format == "xlsx":
        response = HttpResponse(formats.dump_xlsx(std), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(formats.dump_yaml(std), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{standard.code}-{standard.version}.{format}"'
    return response
