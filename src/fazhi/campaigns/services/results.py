"""Results: compute a campaign's results into a new version, publish (freeze) a version, recompute after a
change. Each is one transaction and audited (``campaigns.results.*``); ``docs/results.md`` states the rules.

- :func:`results_compute`: the set-based path (:mod:`fazhi.campaigns.results_sql`) for the review totals,
  the other components, the composite, the ranking and the quota (:mod:`fazhi.campaigns.ranking`), written as
  a new unpublished :class:`ResultVersion` that replaces the previous unpublished one.
- :func:`results_publish`: freezes a version (time, SHA-256 of its canonical content); during the
  inspection stage it also gives the scored applications their outcome (passed or failed).
- :func:`results_recompute`: compute and publish in one go, during the notice and naming stages, after an
  upheld objection or a corrected veto. Earlier published versions are never touched.
- :func:`results_compute_start`: the same computation as a background job with a progress bar.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from fazhi.campaigns import ranking
from fazhi.campaigns import workflow as wf
from fazhi.campaigns.models import Application, ApplicationResult, ApplicationState, Campaign, ResultVersion
from fazhi.campaigns.results_sql import RESULT_STATES, campaign_review_rows, campaign_sheet_counts
from fazhi.campaigns.selectors.results import campaign_inspection_sums, campaign_survey_counts
from fazhi.campaigns.services.common import check_transition, locked, require_stage
from fazhi.core.audit import audit_record, audit_record_many
from fazhi.core.errors import DomainError
from fazhi.core.jobs import JobOutcome, JobReporter, job_run, job_start
from fazhi.core.models import Job
from fazhi.indicators.scoring import TRIMMED

Progress = Callable[..., None]
NAMES_SHOWN = 10  # how many applications a refusal names before "and N more"


def _noop(stage: str, done: int = 0, total: int = 0) -> None:
    return None


def _names(apps: list[Application]) -> str:
    shown = "、".join(str(app.org.name) for app in apps[:NAMES_SHOWN])
    if len(apps) > NAMES_SHOWN:
        more = len(apps) - NAMES_SHOWN
        shown += ngettext(" and %(count)d more", " and %(count)d more", more) % {"count": more}
    return shown


def _check_sheets(campaign: Campaign) -> list[int]:
    """The ids of the applications to compute; a refusal naming those whose sheets are not all in."""
    counts = campaign_sheet_counts(campaign)
    incomplete = [pk for pk, (assigned, submitted) in counts.items() if assigned == 0 or submitted < assigned]
    if incomplete:
        apps = list(Application.objects.filter(pk__in=incomplete).select_related("org").order_by("org__code"))
        raise DomainError(
            ngettext(
                "Not every assigned score sheet is submitted: %(names)s.",
                "Not every assigned score sheet is submitted (%(count)s applications): %(names)s.",
                len(apps),
            )
            % {"count": len(apps), "names": _names(apps)},
            rule="results.sheets_missing",
        )
    needed = settings.FAZHI_TRIMMED_MIN_SHEETS
    if campaign.method == TRIMMED:
        few = [pk for pk, (_assigned, submitted) in counts.items() if submitted < needed]
        if few:
            apps = list(Application.objects.filter(pk__in=few).select_related("org").order_by("org__code"))
            raise DomainError(
                ngettext(
                    "The trimmed mean (dropping the highest and the lowest) needs at least %(needed)d score "
                    "sheet per application; fewer were submitted for: %(names)s.",
                    "The trimmed mean (dropping the highest and the lowest) needs at least %(needed)d score "
                    "sheets per application; fewer were submitted for: %(names)s.",
                    needed,
                )
                % {"needed": needed, "names": _names(apps)},
                rule="results.too_few_sheets",
            )
    return list(counts)


def _result_rows(campaign: Campaign, report: Progress) -> list[dict]:
    """The version's rows (dicts of :class:`ApplicationResult` fields) in rank order: review totals
    (set-based), components, composite, rank, passed, quota."""
    report(_("Review totals"), 0, 4)
    review = campaign_review_rows(campaign)
    report(_("Inspection and survey"), 1, 4)
    inspection = campaign_inspection_sums(campaign)
    survey = campaign_survey_counts(campaign)
    submitted_at = dict(
        Application.objects.filter(campaign=campaign, state__in=RESULT_STATES).values_list("pk", "first_submitted_at")
    )
    report(_("Composite and ranking"), 2, 4)
    weights = {
        ranking.REVIEW: campaign.weight_review,
        ranking.INSPECTION: campaign.weight_inspection,
        ranking.SURVEY: campaign.weight_survey,
    }
    standard_total = campaign.standard.total
    rows: dict[int, dict] = {}
    entries = []
    for app, row in review.items():
        review_part = ranking.review_component(row.total, standard_total)
        inspection_part = ranking.inspection_component(*inspection[app]) if app in inspection else None
        survey_part = ranking.survey_component(*survey[app]) if app in survey else None
        composite = ranking.composite(
            weights, {ranking.REVIEW: review_part, ranking.INSPECTION: inspection_part, ranking.SURVEY: survey_part}
        ).value
        rows[app] = {
            "application_id": app,
            "review_total": row.total,
            "review_component": ranking.rounded(review_part),
            "inspection_component": ranking.rounded(inspection_part),
            "survey_component": ranking.rounded(survey_part),
            "composite": composite,
            "subtotals": row.subtotals,
            "bonus": row.bonus,
            "reviewers": row.reviewers,
            "sheets": row.sheets,
            "vetoed": row.vetoed,
            "outliers": row.outliers,
        }
        entries.append(
            ranking.Entry(
                key=app,
                composite=composite,
                review_total=row.total,
                subtotals=tuple(row.subtotals.values()),
                first_submitted=submitted_at.get(app),
                vetoed=row.vetoed,
            )
        )
    ordered = []
    for ranked in ranking.rank(entries, pass_score=campaign.pass_score, quota=campaign.quota):
        result = rows[ranked.key]
        result.update(rank=ranked.rank, passed=ranked.passed, in_quota=ranked.in_quota)
        ordered.append(result)
    return ordered


_COLUMNS = (
    "application_id",
    "review_total",
    "review_component",
    "inspection_component",
    "survey_component",
    "composite",
    "subtotals",
    "bonus",
    "reviewers",
    "sheets",
    "vetoed",
    "passed",
    "rank",
    "in_quota",
    "outliers",
)


def _insert_rows(version: ResultVersion, rows: list[dict]) -> None:
    """Write the rows without model instances (the ORM's bulk_create spent most of a large campaign's time
    building them): ``COPY`` on PostgreSQL, one INSERT executed for all rows (``executemany``) elsewhere."""
    meta = ApplicationResult._meta
    quote = connection.ops.quote_name
    names = ("version", *_COLUMNS)
    columns = ", ".join(quote(meta.get_field(name).column) for name in names)
    values = [
        (
            version.pk,
            *(row[name] for name in _COLUMNS[:6]),
            json.dumps(row["subtotals"], ensure_ascii=False),
            *(row[name] for name in _COLUMNS[7:14]),
            json.dumps(row["outliers"]),
        )
        for row in rows
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
                for value in values:
                    copy.write_row(value)
            return
        sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(names))})"
        for start in range(0, len(values), 5000):
            cursor.executemany(sql, values[start : start + 5000])


def _compute(
    *, actor, campaign: Campaign, reason: str, report: Progress, rows: list[dict] | None = None
) -> ResultVersion:
    """Inside the caller's transaction: the new version, replacing the unpublished one. ``rows``: computed
    beforehand (outside the transaction, so that the job's progress is seen); checked again here."""
    campaign = locked(Campaign, campaign.pk)
    require_stage(campaign, wf.INSPECTION, wf.NOTICE, wf.NAMING, doing=_("computing the results"))
    _check_sheets(campaign)
    if rows is None:
        rows = _result_rows(campaign, report)
    replaced = list(ResultVersion.objects.filter(campaign=campaign, published_at__isnull=True))
    for old in replaced:
        old.results.all().delete()
        old.delete()
    number = (ResultVersion.objects.filter(campaign=campaign).aggregate(n=Max("number"))["n"] or 0) + 1
    version = ResultVersion.objects.create(campaign=campaign, number=number, reason=reason, computed_by=actor)
    report(_("Saving"), 3, 4)
    _insert_rows(version, rows)
    audit_record(
        actor=actor,
        action="campaigns.results.computed",
        obj=version,
        new={
            "number": number,
            "reason": reason,
            "applications": len(rows),
            "passed": sum(r["passed"] for r in rows),
            "in_quota": sum(r["in_quota"] for r in rows),
            "replaced": [old.number for old in replaced],
        },
    )
    return version


def results_compute(*, actor, campaign: Campaign, reason: str = "", progress: Progress | None = None) -> ResultVersion:
    """Compute the campaign's results as a new unpublished version (replacing the unpublished one).

    From the inspection stage on; every assigned sheet must be submitted (the refusal names the
    applications), and under ``trimmed`` each application needs ``FAZHI_TRIMMED_MIN_SHEETS`` sheets.
    The computation reads outside the write transaction (so that a job's progress is seen); the
    transaction checks the stage and the sheets again before writing."""
    report = progress or _noop
    require_stage(campaign, wf.INSPECTION, wf.NOTICE, wf.NAMING, doing=_("computing the results"))
    _check_sheets(campaign)
    rows = _result_rows(campaign, report)
    with transaction.atomic():
        version = _compute(actor=actor, campaign=campaign, reason=reason.strip(), report=report, rows=rows)
    report(_("Saving"), 4, 4)
    return version


def version_content(version: ResultVersion) -> dict:
    """The canonical content of a version: what its SHA-256 covers (everything but the reviewer outliers,
    which are a hint to the administrator, not a result)."""
    campaign = version.campaign
    rows = ApplicationResult.objects.filter(version=version).select_related("application__org").order_by("rank")
    return {
        "campaign": campaign.pk,
        "title": campaign.title,
        "batch": campaign.batch,
        "version": version.number,
        "method": campaign.method,
        "weights": [campaign.weight_review, campaign.weight_inspection, campaign.weight_survey],
        "pass_score": campaign.pass_score,
        "quota": campaign.quota,
        "results": [
            {
                "rank": r.rank,
                "application": r.application_id,
                "org": r.application.org.code,
                "name": r.application.org.name,
                "review_total": r.review_total,
                "review": r.review_component,
                "inspection": r.inspection_component,
                "survey": r.survey_component,
                "composite": r.composite,
                "subtotals": r.subtotals,
                "bonus": r.bonus,
                "reviewers": r.reviewers,
                "sheets": r.sheets,
                "vetoed": r.vetoed,
                "passed": r.passed,
                "in_quota": r.in_quota,
            }
            for r in rows
        ],
    }


def canonical_json(content: dict) -> bytes:
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def _decide(*, actor, campaign: Campaign, version: ResultVersion) -> int:
    """During the inspection stage: each scored (or already decided) application passes or fails by the
    version's rows. Returns how many changed."""
    outcome = dict(ApplicationResult.objects.filter(version=version).values_list("application_id", "passed"))
    apps = list(
        Application.objects.select_for_update()
        .filter(pk__in=list(outcome), state__in=(wf.SCORED, wf.PASSED, wf.FAILED))
        .select_related("org")
    )
    changed = []
    for app in apps:
        check_transition(application=app, action="decide", campaign=campaign)
        target = ApplicationState.PASSED if outcome[app.pk] else ApplicationState.FAILED
        if app.state != target:
            changed.append((app, {"state": app.state}, {"state": target, "version": version.number}))
            app.state = target
    Application.objects.bulk_update([app for app, _old, _new in changed], ["state"], batch_size=2000)
    audit_record_many(actor=actor, action="campaigns.application.decided", entries=changed)
    return len(changed)


def _publish(*, actor, version: ResultVersion) -> ResultVersion:
    version = locked(ResultVersion, version.pk)
    campaign = locked(Campaign, version.campaign_id)
    version.campaign = campaign
    require_stage(campaign, wf.INSPECTION, wf.NOTICE, wf.NAMING, doing=_("publishing the results"))
    if version.published_at is not None:
        raise DomainError(
            _("Version %(number)s is already published; published results never change.") % {"number": version.number},
            rule="results.already_published",
        )
    decided = _decide(actor=actor, campaign=campaign, version=version) if campaign.stage == wf.INSPECTION else 0
    version.published_at = timezone.now()
    version.published_by = actor
    version.sha256 = hashlib.sha256(canonical_json(version_content(version))).hexdigest()
    version.save(update_fields=["published_at", "published_by", "sha256"])
    audit_record(
        actor=actor,
        action="campaigns.results.published",
        obj=version,
        new={"number": version.number, "sha256": version.sha256, "decided": decided},
    )
    return version


def results_publish(*, actor, version: ResultVersion) -> ResultVersion:
    """Freeze ``version``: its time and the SHA-256 of its canonical content. During the inspection stage
    the scored applications become passed or failed ("decide"); later, states are left alone."""
    with transaction.atomic():
        return _publish(actor=actor, version=version)


def results_recompute(*, actor, campaign: Campaign, reason: str) -> ResultVersion:
    """A new published version after a change (an upheld objection, a corrected veto), in the notice and
    naming stages; earlier published versions stay as they were. Application states are not changed."""
    reason = reason.strip()
    if not reason:
        raise DomainError(
            _("Give the reason for recomputing the results."), rule="results.reason_required", field="reason"
        )
    with transaction.atomic():
        campaign = locked(Campaign, campaign.pk)
        require_stage(campaign, wf.NOTICE, wf.NAMING, doing=_("recomputing the published results"))
        version = _compute(actor=actor, campaign=campaign, reason=reason, report=_noop)
        version = _publish(actor=actor, version=version)
        audit_record(actor=actor, action="campaigns.results.recomputed", obj=version, new={"reason": reason})
        return version


# --- the background job ---------------------------------------------------------------------------

JOB_KIND = "campaigns.results.compute"


def _compute_work(job: Job, report: JobReporter) -> JobOutcome:
    campaign = Campaign.objects.select_related("standard", "organiser").get(pk=job.params["campaign"])
    try:
        version = results_compute(
            actor=job.owner, campaign=campaign, reason=job.params.get("reason", ""), progress=report
        )
    except DomainError as error:
        return JobOutcome(
            status=Job.Status.REFUSED, errors=[{"row": None, "column": "", "value": "", "message": str(error)}]
        )
    count = version.results.count()
    return JobOutcome(
        status=Job.Status.SUCCEEDED,
        summary={
            "version": version.number,
            "lines": [
                ngettext(
                    "Version %(number)s computed: %(count)d application ranked. It is not published yet.",
                    "Version %(number)s computed: %(count)d applications ranked. It is not published yet.",
                    count,
                )
                % {"number": version.number, "count": count}
            ],
        },
    )


@task()
def results_compute_job(job_id: int) -> str:
    """Compute the results recorded in job ``job_id``."""
    return job_run(job_id, _compute_work)


def results_compute_start(*, actor, campaign: Campaign, reason: str = "") -> Job:
    """Queue :func:`results_compute` as a background job; the job page shows its progress."""
    require_stage(campaign, wf.INSPECTION, wf.NOTICE, wf.NAMING, doing=_("computing the results"))
    with transaction.atomic():
        return job_start(
            owner=actor,
            kind=JOB_KIND,
            title=_("Results of %(campaign)s") % {"campaign": campaign.title},
            task=results_compute_job,
            params={"campaign": campaign.pk, "reason": reason},
        )


__all__ = [
    "RESULT_STATES",
    "canonical_json",
    "results_compute",
    "results_compute_start",
    "results_publish",
    "results_recompute",
    "version_content",
]
