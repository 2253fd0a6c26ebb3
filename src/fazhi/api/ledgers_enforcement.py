"""JSON API of the ledger "Administrative enforcement": every path starts with /ledgers/enforcement.

Officers (list with filters ``org`` — an org code, its subtree —, ``status``, ``year``; detail with certificates and
years; create with the first certificate; update), certificates (add), an officer's year (record or correct the
exams and training hours), the exam register (list), and reviewed case files (list with ``org``, ``year``,
``grade``; detail; create; update). Lists are paginated (``page``, 100 a page). The rules are the services': a
broken one is a 400 ``{rule, field, message}``. An officer's ID number is personal data: it is returned only here,
to callers who may read the ledger.
"""

# No ``from __future__ import annotations``: ninja reads the annotations as objects.
import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from fazhi.core.errors import DomainError
from fazhi.ledgers.common.viewing import record_viewed
from fazhi.ledgers.enforcement import selectors, services
from fazhi.ledgers.enforcement.checklist import CHECKLIST
from fazhi.orgs import roles
from fazhi.orgs.access import require_capability
from fazhi.orgs.selectors import org_find_by_code

router = Router()

PAGE_SIZE = 100
Absence = Literal["", "excused", "unexcused"]


class PageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[dict[str, Any]]


class OfficerIn(Schema):
    org: str = Field(description="the org's code")
    name: str
    id_number: str
    certificate_number: str = ""
    issued_on: dt.date | None = None
    expires_on: dt.date | None = None
    joined_on: dt.date | None = None
    left_on: dt.date | None = None


class OfficerPatch(Schema):
    org: str | None = None
    name: str | None = None
    joined_on: dt.date | None = None
    left_on: dt.date | None = None


class CertificateIn(Schema):
    number: str
    issued_on: dt.date
    expires_on: dt.date


class YearIn(Schema):
    year: int
    general_score: int | None = None
    general_absence: Absence = ""
    special_score: int | None = None
    special_absence: Absence = ""
    training_hours: Decimal = Decimal(0)


class CaseFileIn(Schema):
    org: str = Field(description="the org's code")
    year: int
    case_number: str
    title: str
    reviewed_on: dt.date
    score: int | None = Field(None, description="0–100; may be left out when every checklist item is given")
    items: dict[str, int] = Field(
        default_factory=dict, description="checklist item code → points: " + ", ".join(i.code for i in CHECKLIST)
    )
    full_record: bool = False
    major: bool = False
    legal_review: bool = False
    disclosed: bool = False
    online: bool = False


class CaseFilePatch(Schema):
    org: str | None = None
    year: int | None = None
    case_number: str | None = None
    title: str | None = None
    reviewed_on: dt.date | None = None
    score: int | None = None
    items: dict[str, int] | None = None
    full_record: bool | None = None
    major: bool | None = None
    legal_review: bool | None = None
    disclosed: bool | None = None
    online: bool | None = None


def _org(user, code: str | None, *, write: bool = False):
    """The org named by code, if the user may read its ledger (and, for a write, change it)."""
    if not code:
        return None
    org = org_find_by_code(user=user, code=code, capability=roles.LEDGER_EDIT if write else roles.LEDGER_VIEW)
    if org is None:
        raise DomainError(
            _("No organisation with this code whose ledger you may change.")
            if write
            else _("No organisation with this code whose ledger you may read."),
            rule="enforcement.unknown_org",
            field="org",
        )
    return org


def _page(queryset, page: int, row) -> dict:
    paginator = Paginator(queryset, PAGE_SIZE)
    current = paginator.get_page(page)
    return {
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
        "results": [row(item) for item in current.object_list],
    }


def _year_out(y) -> dict:
    pass_mark = settings.FAZHI_EXAM_PASS_MARK
    return {
        "id": y.pk,
        "officer": y.officer_id,
        "year": y.year,
        "org": y.org.code,
        "general_score": y.general_score,
        "general_absence": y.general_absence,
        "general_outcome": y.outcome("general", pass_mark),
        "special_score": y.special_score,
        "special_absence": y.special_absence,
        "special_outcome": y.outcome("special", pass_mark),
        "training_hours": float(y.training_hours),
    }


def _officer_row(o) -> dict:
    return {
        "id": o.pk,
        "org": o.org.code,
        "name": o.name,
        "id_number": o.id_number,
        "joined_on": o.joined_on,
        "left_on": o.left_on,
        "status": o.status,
        "certificate_number": o.certificate_number,
        "certificate_expires": o.certificate_expires,
    }


def _officer_out(officer) -> dict:
    detail = selectors.officer_detail(officer)
    return {
        "id": officer.pk,
        "org": officer.org.code,
        "name": officer.name,
        "id_number": officer.id_number,
        "joined_on": officer.joined_on,
        "left_on": officer.left_on,
        "status": detail["status"],
        "status_on": detail["on"],
        "certificates": [
            {"number": c.number, "issued_on": c.issued_on, "expires_on": c.expires_on} for c in detail["certificates"]
        ],
        "years": [_year_out(y) for y in officer.years.select_related("org").order_by("-year")],
    }


def _case_out(case) -> dict:
    return {
        "id": case.pk,
        "org": case.org.code,
        "year": case.year,
        "case_number": case.case_number,
        "title": case.title,
        "reviewed_on": case.reviewed_on,
        "score": case.score,
        "grade": services.grade(case.score),
        "items": case.items,
        **{flag: getattr(case, flag) for flag in services.CASE_FLAGS},
    }


# --- Officers ----------------------------------------------------------------------------------------------


@router.get("/ledgers/enforcement/officers", response=PageOut, url_name="enforcement_officers")
def officer_list(request, org: str = "", status: str = "", year: int | None = None, q: str = "", page: int = 1):
    """Officers of the orgs you may read (``org``: that org's subtree), with their status on today's date (or on
    31 December of a past ``year``) and their latest certificate."""
    require_capability(request.auth, roles.LEDGER_VIEW)
    officers = selectors.officer_list(
        request.auth, org=_org(request.auth, org), status=status, on=selectors.status_date(year), query=q
    )
    return _page(officers, page, _officer_row)


@router.post("/ledgers/enforcement/officers", response={201: dict}, url_name="enforcement_officer_create")
def officer_create(request, data: OfficerIn):
    values = data.dict()
    values["org"] = _org(request.auth, values["org"], write=True)
    officer = services.officer_create(actor=request.auth, **values)
    return Status(201, _officer_out(officer))


@router.get("/ledgers/enforcement/officers/{officer_id}", response=dict, url_name="enforcement_officer")
def officer_detail(request, officer_id: int):
    """One officer with the ID number, certificates and years (personal data: the opening is audited)."""
    officer = selectors.officer_get_for_user(request.auth, officer_id)
    record_viewed(actor=request.auth, record=officer, via="api")
    return _officer_out(officer)


@router.patch("/ledgers/enforcement/officers/{officer_id}", response=dict, url_name="enforcement_officer_update")
def officer_update(request, officer_id: int, data: OfficerPatch):
    officer = selectors.officer_get_for_user(request.auth, officer_id, write=True)
    values = data.dict(exclude_unset=True)
    for name in ("org", "name"):
        if name in values and values[name] is None:
            raise DomainError(_("This field cannot be empty."), rule="api.null", field=name)
    if "org" in values:
        values["org"] = _org(request.auth, values["org"], write=True)
    officer = services.officer_update(actor=request.auth, officer=officer, **values)
    return _officer_out(officer)


@router.post(
    "/ledgers/enforcement/officers/{officer_id}/certificates",
    response={201: dict},
    url_name="enforcement_certificate_create",
)
def certificate_create(request, officer_id: int, data: CertificateIn):
    officer = selectors.officer_get_for_user(request.auth, officer_id, write=True)
    services.certificate_add(actor=request.auth, officer=officer, **data.dict())
    return Status(201, _officer_out(officer))


@router.post("/ledgers/enforcement/officers/{officer_id}/years", response=dict, url_name="enforcement_year_record")
def year_record(request, officer_id: int, data: YearIn):
    """Record the officer's exams and training hours of ``year`` (replacing what was recorded for that year)."""
    officer = selectors.officer_get_for_user(request.auth, officer_id, write=True)
    record = services.officer_year_record(actor=request.auth, officer=officer, **data.dict())
    return _year_out(record)


@router.get("/ledgers/enforcement/exams", response=PageOut, url_name="enforcement_exams")
def exam_list(request, org: str = "", year: int | None = None, status: str = "", page: int = 1):
    """Officers' years; ``status``: ``passed`` (both exams), ``suspending`` (a fail or an absence without excuse),
    ``not_recorded``."""
    require_capability(request.auth, roles.LEDGER_VIEW)
    years = selectors.exam_list(request.auth, org=_org(request.auth, org), year=year, status=status)
    return _page(years, page, _year_out)


# --- Case files --------------------------------------------------------------------------------------------


@router.get("/ledgers/enforcement/case-files", response=PageOut, url_name="enforcement_case_files")
def case_file_list(request, org: str = "", year: int | None = None, grade: str = "", page: int = 1):
    """Reviewed case files; ``grade``: ``excellent``, ``pass`` or ``fail`` (FAZHI_CASE_FILE_EXCELLENT/_PASS)."""
    require_capability(request.auth, roles.LEDGER_VIEW)
    cases = selectors.case_file_list(request.auth, org=_org(request.auth, org), year=year, grade=grade)
    return _page(cases, page, _case_out)


@router.post("/ledgers/enforcement/case-files", response={201: dict}, url_name="enforcement_case_file_create")
def case_file_create(request, data: CaseFileIn):
    values = data.dict()
    values["org"] = _org(request.auth, values["org"], write=True)
    return Status(201, _case_out(services.case_file_create(actor=request.auth, **values)))


@router.get("/ledgers/enforcement/case-files/{casefile_id}", response=dict, url_name="enforcement_case_file")
def case_file_detail(request, casefile_id: int):
    return _case_out(selectors.case_file_get_for_user(request.auth, casefile_id))


@router.patch("/ledgers/enforcement/case-files/{casefile_id}", response=dict, url_name="enforcement_case_file_update")
def case_file_update(request, casefile_id: int, data: CaseFilePatch):
    case = selectors.case_file_get_for_user(request.auth, casefile_id, write=True)
    values = data.dict(exclude_unset=True)
    if "org" in values:
        values["org"] = _org(request.auth, values["org"], write=True)
    return _case_out(services.case_file_update(actor=request.auth, case=case, **values))
