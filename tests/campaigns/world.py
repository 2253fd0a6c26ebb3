"""Campaign test data for the page tables (tests/test_permissions.py, tests/test_air_gapped.py).

``build_world(tree, personas)`` creates campaigns in several stages directly with the ORM (not through
the services, so that the page tables do not depend on them) and returns a dict of names → pks, merged
into the permission table's ``objects``. Each area of the campaigns app adds what its pages need in its
own module ``tests/campaigns/world_<area>.py`` defining ``build(tree, personas, world) -> dict`` (listed in
``AREAS`` below) and ``SAMPLES``: URL parameter kind → world key, for the air-gap test's ``samples()``.

The world (organiser 青山县 unless said otherwise; standard: tests/indicators/examples.example_standard):

- ``campaign`` (stage application): ``application`` of 城关镇 (draft, the township clerk's),
  ``application_submitted`` of 东门村 (submitted; recommended by 城关镇);
- ``campaign_review`` (stage review): ``application_review`` of 西街社区 (in review), ``assignment`` of it to
  the ``reviewer`` persona with a draft ``sheet``;
- ``campaign_other`` (organiser 白水县, stage application): ``application_other`` of 白水村 (draft);
- ``campaign_draft`` (stage draft, not yet launched);
- ``campaign_notice`` (stage notice, today within the notice period): ``application_notice`` of 河口村 (on
  notice) in the published ``result_version``; ``objection`` against it;
- ``campaign_named`` (stage closed): ``designation`` of 河口镇 with a published named list.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil

from django.utils import timezone

from fazhi.campaigns import models as m
from fazhi.indicators import services as standard_services
from tests.indicators.examples import example_standard


def _standard(tree):
    standard = standard_services.standard_import(
        actor=None, owner_org=tree.county, spec=example_standard(code="campaign-world", version="2025")
    )
    standard_services.standard_publish(actor=None, standard=standard)
    return standard


def _campaign(standard, organiser, stage, **fields):
    return m.Campaign.objects.create(
        organiser=organiser,
        kind=m.CampaignKind.LAW_BASED_ADMINISTRATION,
        title=fields.pop("title", f"{organiser.name}依法行政示范单位创建"),
        batch="第一批",
        year=fields.pop("year", 2026),
        standard=standard,
        pass_score=6000,
        quota=3,
        stage=stage,
        **fields,
    )


def _application(campaign, org, state, **fields):
    now = timezone.now()
    submitted = state != m.ApplicationState.DRAFT
    return m.Application.objects.create(
        campaign=campaign,
        org=org,
        state=state,
        recommender_org=org.parent,
        submissions=1 if submitted else 0,
        first_submitted_at=now if submitted else None,
        submitted_at=now if submitted else None,
        **fields,
    )


def build_base(tree, personas) -> dict:
    standard = _standard(tree)
    today = timezone.localdate()
    campaign = _campaign(standard, tree.county, m.Stage.APPLICATION)
    application = _application(campaign, tree.township, m.ApplicationState.DRAFT, created_by=personas["township_clerk"])
    submitted = _application(campaign, tree.village, m.ApplicationState.SUBMITTED)

    review = _campaign(standard, tree.county, m.Stage.REVIEW, title="青山县法治乡村创建")
    in_review = _application(review, tree.community, m.ApplicationState.IN_REVIEW)
    assignment = m.Assignment.objects.create(application=in_review, reviewer=personas["reviewer"])
    sheet = m.ScoreSheet.objects.create(assignment=assignment)

    other = _campaign(standard, tree.other_county, m.Stage.APPLICATION, title="白水县依法行政示范单位创建")
    other_application = _application(other, tree.other_village, m.ApplicationState.DRAFT)

    draft = _campaign(standard, tree.county, m.Stage.DRAFT, title="青山县法治学校创建（筹备）")

    notice = _campaign(
        standard,
        tree.county,
        m.Stage.NOTICE,
        title="青山县民主法治示范村创建",
        notice_starts=today - dt.timedelta(days=1),
        notice_ends=today + dt.timedelta(days=5),
    )
    on_notice = _application(notice, tree.village2, m.ApplicationState.ON_NOTICE)
    version = m.ResultVersion.objects.create(campaign=notice, number=1, published_at=timezone.now(), sha256="0" * 64)
    m.ApplicationResult.objects.create(
        version=version,
        application=on_notice,
        review_total=2300,
        review_component=8846,
        composite=8846,
        passed=True,
        rank=1,
        in_quota=True,
        reviewers=3,
        sheets=3,
    )
    objection = m.Objection.objects.create(
        application=on_notice, name="张三", contact="13800000000", reasons="台账材料与实际不符。"
    )

    named = _campaign(standard, tree.county, m.Stage.CLOSED, title="青山县法治乡镇创建", year=2025)
    named_application = _application(named, tree.township2, m.ApplicationState.NAMED)
    designation = m.Designation.objects.create(
        application=named_application,
        campaign=named,
        org=tree.township2,
        certificate_number="QS-2025-001",
        named_at=timezone.now(),
    )
    return {
        "world_standard": standard.pk,
        "campaign": campaign.pk,
        "application": application.pk,
        "application_submitted": submitted.pk,
        "campaign_review": review.pk,
        "application_review": in_review.pk,
        "assignment": assignment.pk,
        "sheet": sheet.pk,
        "campaign_other": other.pk,
        "application_other": other_application.pk,
        "campaign_draft": draft.pk,
        "campaign_notice": notice.pk,
        "application_notice": on_notice.pk,
        "result_version": version.pk,
        "objection": objection.pk,
        "campaign_named": named.pk,
        "named_application": named_application.pk,
        "designation": designation.pk,
    }


# URL parameter kind (as tests/test_air_gapped.kinds_of names it) → world key.
BASE_SAMPLES = {
    "campaign": "campaign_review",
    "application": "application_review",
    "assignment": "assignment",
    "sheet": "sheet",
    "objection": "objection",
    "designation": "designation",
    "version": "result_version",
}


# The packages whose ``world_<area>.py`` and ``rows_<area>.py`` modules join the one permission table.
AREA_PACKAGES = ("tests.campaigns", "tests.ledgers", "tests.metrics")


def _modules(prefix: str):
    for package_name in AREA_PACKAGES:
        package = importlib.import_module(package_name)
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
            if info.name.startswith(prefix):
                yield importlib.import_module(f"{package_name}.{info.name}")


def _area_modules():
    return _modules("world_")


def build_world(tree, personas) -> dict:
    world = build_base(tree, personas)
    for module in _area_modules():
        world.update(module.build(tree, personas, world))
    return world


def world_samples() -> dict[str, str]:
    samples = dict(BASE_SAMPLES)
    for module in _area_modules():
        samples.update(getattr(module, "SAMPLES", {}))
    return samples


def permission_rows() -> list:
    """The permission-table rows of every area (``ROWS`` in ``tests/<package>/rows_<area>.py``)."""
    return [row for module in _modules("rows_") for row in module.ROWS]
