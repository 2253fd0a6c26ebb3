"""Scored campaigns for the results tests, written with the ORM and bulk inserts (not through the review
services, so that the results tests depend only on the rows the results read).

``scored_campaign(tree, standard_spec, sheets_by_org, ...)`` saves the standard (any valid spec, published,
without validation: the property test's random standards), a campaign in the given stage, one application
per org in state scored, an assignment and a submitted sheet per reviewer with the engine's leaf scores.
"""

from __future__ import annotations

import datetime as dt
import itertools

from django.contrib.auth import get_user_model
from django.utils import timezone

from fazhi.campaigns import models as m
from fazhi.campaigns.selectors.applications import answer_encode
from fazhi.indicators.models import BonusItem, Indicator, Standard, VetoItem
from fazhi.indicators.scoring import Sheet, leaf_score
from fazhi.indicators.services.rows import write_contents
from tests.factories import make_user

_serial = itertools.count(1)


def save_standard(spec, owner_org) -> Standard:
    standard = Standard.objects.create(
        code=f"results-{next(_serial)}",
        version="1",
        title=spec.title,
        total=spec.total,
        pass_score=spec.pass_score,
        bonus_cap=spec.bonus_cap,
        status=Standard.Status.PUBLISHED,
        owner_org=owner_org,
        published_at=timezone.now(),
    )
    write_contents(standard, spec)
    VetoItem.objects.create(standard=standard, code="V1", title="发生重大违法行政案件", position=99)
    return standard


def reviewers(count: int, org) -> list:
    """``count`` reviewer users (created once per test database, then reused)."""
    users = []
    for i in range(count):
        user = get_user_model().objects.filter(username=f"results_reviewer_{i}").first()
        users.append(user or make_user(f"results_reviewer_{i}", org=org, role="reviewer", full_name=f"评审{i}"))
    return users


def scored_campaign(
    tree,
    spec,
    sheets_by_org: dict,
    *,
    method: str = "mean",
    stage: str = m.Stage.INSPECTION,
    vetoed=(),
    pass_score: int = 6000,
    quota: int = 3,
    weights=(100, 0, 0),
    submitted_at: dict | None = None,
):
    """``sheets_by_org``: org → list of :class:`~fazhi.indicators.scoring.Sheet` whose ``reviewer`` is a user.
    Returns (campaign, {org: application})."""
    standard = save_standard(spec, tree.county)
    campaign = m.Campaign.objects.create(
        organiser=tree.county,
        kind=m.CampaignKind.LAW_BASED_ADMINISTRATION,
        title="青山县依法行政示范单位创建（结果）",
        batch="第一批",
        year=2026,
        standard=standard,
        method=method,
        weight_review=weights[0],
        weight_inspection=weights[1],
        weight_survey=weights[2],
        pass_score=pass_score,
        quota=quota,
        stage=stage,
    )
    ids = dict(Indicator.objects.filter(standard=standard).values_list("code", "pk"))
    bonus = {item.code: item for item in BonusItem.objects.filter(standard=standard)}
    veto_item = VetoItem.objects.get(standard=standard)
    leaves = {leaf.code: leaf for leaf in spec.leaves()}
    now = timezone.now()
    applications = {}
    scores, awards = [], []
    for position, (org, sheets) in enumerate(sheets_by_org.items()):
        first = (submitted_at or {}).get(org, now - dt.timedelta(days=30 - position))
        app = m.Application.objects.create(
            campaign=campaign,
            org=org,
            state=m.ApplicationState.SCORED,
            recommender_org=org.parent,
            submissions=1,
            first_submitted_at=first,
            submitted_at=first,
        )
        applications[org] = app
        if org in vetoed:
            m.Veto.objects.create(application=app, item=veto_item, status=m.VetoStatus.RECORDED, reason="查实")
        for sheet in sheets:
            assignment = m.Assignment.objects.create(application=app, reviewer=sheet.reviewer)
            row = m.ScoreSheet.objects.create(assignment=assignment, status=m.SheetStatus.SUBMITTED, submitted_at=now)
            for code, answer in sheet.answers.items():
                scores.append(
                    m.LeafScore(
                        sheet=row,
                        indicator_id=ids[code],
                        answer=answer_encode(leaves[code], answer),
                        score=leaf_score(leaves[code], answer),
                    )
                )
            for code, awarded in sheet.bonus.items():
                if awarded:
                    awards.append(m.BonusAward(sheet=row, item=bonus[code], points=bonus[code].points))
    m.LeafScore.objects.bulk_create(scores, batch_size=2000)
    m.BonusAward.objects.bulk_create(awards)
    return campaign, applications


def manual_sheet(spec, reviewer, scores: dict, bonus: dict | None = None) -> Sheet:
    """A sheet for a standard of manual leaves: ``scores`` leaf code → hundredths, every other leaf full."""
    answers = {leaf.code: scores.get(leaf.code, leaf.points) for leaf in spec.leaves()}
    return Sheet(reviewer=reviewer, answers=answers, bonus=bonus or {})
