"""Results: compute a campaign's results, publish a version, read versions and their rows, export.

Figures are points (``85.5``), as elsewhere in the API: the review total, the bonus and the level-1
subtotals in points of the standard; the components and the composite on the 0–100 scale. Campaign
administrators see every version; leaders (``campaign.view``) published ones only; clerks get 403. The
export's JSON is the version's canonical content in hundredths (what its SHA-256 covers).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from ninja import Router, Schema

from fazhi.campaigns import exports
from fazhi.campaigns.access import can_manage
from fazhi.campaigns.selectors import results as selectors
from fazhi.campaigns.services import results as services

router = Router()


def _points(hundredths: int | None) -> float | int | None:
    if hundredths is None:
        return None
    value = Decimal(hundredths) / 100
    return int(value) if value == value.to_integral_value() else float(value)


class ResultRowOut(Schema):
    rank: int
    application_id: int
    org_code: str
    applicant: str
    composite: float | None
    review_total: float | None
    review: float | None
    inspection: float | None
    survey: float | None
    bonus: float
    subtotals: dict[str, float]
    reviewers: int
    sheets: int
    passed: bool
    in_quota: bool
    vetoed: bool
    outliers: list[int] | None = None  # reviewer ids; administrators only


class VersionOut(Schema):
    id: int
    campaign_id: int
    number: int
    reason: str
    computed_at: datetime
    published_at: datetime | None
    sha256: str
    rows: list[ResultRowOut] | None = None


def _version(version, *, rows: bool, manager: bool) -> dict:
    out = {
        "id": version.pk,
        "campaign_id": version.campaign_id,
        "number": version.number,
        "reason": version.reason,
        "computed_at": version.computed_at,
        "published_at": version.published_at,
        "sha256": version.sha256,
    }
    if rows:
        out["rows"] = [
            {
                "rank": r.rank,
                "application_id": r.application_id,
                "org_code": r.application.org.code,
                "applicant": r.application.org.name,
                "composite": _points(r.composite),
                "review_total": _points(r.review_total),
                "review": _points(r.review_component),
                "inspection": _points(r.inspection_component),
                "survey": _points(r.survey_component),
                "bonus": _points(r.bonus),
                "subtotals": {code: _points(value) for code, value in r.subtotals.items()},
                "reviewers": r.reviewers,
                "sheets": r.sheets,
                "passed": r.passed,
                "in_quota": r.in_quota,
                "vetoed": r.vetoed,
                "outliers": list(r.outliers) if manager else None,
            }
            for r in selectors.version_rows(version)
        ]
    return out


@router.post("/campaigns/{int:campaign_id}/results/compute", response=VersionOut, url_name="results_compute")
def results_compute(request, campaign_id: int, reason: str = ""):
    """Compute the results now (in this request) as a new unpublished version, replacing the unpublished one.
    Refused before the inspection stage, while an assigned sheet is not submitted (the applications are
    named), or under the trimmed mean with too few sheets. ``reason`` (query) is recorded with the version."""
    campaign = selectors.results_campaign_get_for_user(request.auth, campaign_id, manage=True)
    version = services.results_compute(actor=request.auth, campaign=campaign, reason=reason[:1000])
    return _version(version, rows=True, manager=True)


@router.get("/campaigns/{int:campaign_id}/results", response=list[VersionOut], url_name="results_versions")
def results_versions(request, campaign_id: int):
    """The versions you may read, newest first (without their rows)."""
    campaign = selectors.results_campaign_get_for_user(request.auth, campaign_id)
    return [_version(v, rows=False, manager=False) for v in selectors.versions_for_user(request.auth, campaign)]


@router.get("/campaigns/results/{int:version_id}", response=VersionOut, url_name="results_version")
def results_version(request, version_id: int):
    """One version with its rows in rank order."""
    version = selectors.version_get_for_user(request.auth, version_id)
    return _version(version, rows=True, manager=can_manage(request.auth, version.campaign))


@router.post("/campaigns/results/{int:version_id}/publish", response=VersionOut, url_name="results_publish")
def results_publish(request, version_id: int):
    """Publish (freeze) a version; during the inspection stage the scored applications pass or fail by it."""
    version = selectors.version_get_for_user(request.auth, version_id, manage=True)
    version = services.results_publish(actor=request.auth, version=version)
    return _version(version, rows=False, manager=True)


@router.get("/campaigns/results/{int:version_id}/export", url_name="results_export")
def results_export(request, version_id: int, format: Literal["xlsx", "csv", "json"] = "json"):  # noqa: A002
    """The version as a file: JSON (default; its canonical content in hundredths and its SHA-256), XLSX or CSV."""
    version = selectors.version_get_for_user(request.auth, version_id)
    data, name = exports.results_export(version, format)
    response = HttpResponse(data, content_type=exports.CONTENT_TYPES[format])
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
