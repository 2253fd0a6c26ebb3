"""Campaign pages at the test browser's 1280×900: nothing spills out of its card or wraps under the inputs,
and the reviewer's evidence icon is drawn (an inline SVG, not an emoji no font here has)."""

import datetime as dt

import pytest
from django.utils import timezone

from fazhi.campaigns import models as m
from fazhi.campaigns import workflow
from tests.browser.conftest import login, shot
from tests.campaigns.world import _campaign, _standard, build_base

OVERFLOW = """(selector) => {
    const table = document.querySelector(selector);
    const card = table.closest('.card-body');
    const box = card.getBoundingClientRect();
    return [...table.querySelectorAll('th, td')].filter(cell => {
        const r = cell.getBoundingClientRect();
        return r.right > box.right + 0.5 || r.left < box.left - 0.5;
    }).map(cell => cell.innerText);
}"""


SQUEEZED = """(selector) => [...document.querySelectorAll(selector + ' tbody td:first-child')]
    .filter(cell => cell.getBoundingClientRect().height > 3 * parseFloat(getComputedStyle(cell).lineHeight))
    .map(cell => cell.innerText)"""


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_dashboard_timeline_stays_inside_its_card(page, site, language):
    campaign = _campaign(_standard(site.tree), site.tree.county, workflow.NAMING)
    start = timezone.make_aware(dt.datetime(2026, 3, 10, 9, 30))
    for index, stage in enumerate(workflow.STAGES[: workflow.STAGES.index(workflow.NAMING) + 1]):
        m.CampaignStage.objects.create(
            campaign=campaign,
            stage=stage,
            opens_on=(start + dt.timedelta(days=30 * index)).date(),
            closes_on=(start + dt.timedelta(days=30 * index + 29)).date(),
            opened_at=start + dt.timedelta(days=30 * index),
            closed_at=None if stage == workflow.NAMING else start + dt.timedelta(days=30 * index + 29, hours=8),
        )
    login(page, site, "county_admin")
    page.goto(site.url("campaign_detail", pk=campaign.pk))
    if language != "zh-hans":
        with page.expect_navigation():
            page.locator("nav select[name=language]").select_option(language)
    page.wait_for_load_state("load")
    shot(page, f"dashboard_timeline_1280_{language}")
    assert page.evaluate(OVERFLOW, "#timeline") == []
    # No stage name is squeezed to a letter per line: each label's column is at least as wide as its longest word.
    assert page.evaluate(SQUEEZED, "#timeline") == []


def test_the_recommendation_filter_sits_on_one_line(page, site):
    build_base(site.tree, site.personas)
    login(page, site, "county_admin")
    page.goto(site.url("recommendation_queue"))
    page.wait_for_load_state("load")
    shot(page, "recommendation_queue_1280")
    form = page.locator("form[method=get]").first
    select, button = form.locator("select").bounding_box(), form.locator("button").bounding_box()
    assert abs(button["y"] - select["y"]) < 4, "the button wrapped under the campaign choice"
    lines = form.locator("button").evaluate(
        "b => { const r = document.createRange(); r.selectNodeContents(b); return r.getClientRects().length; }"
    )
    assert lines == 1, "the button's label wrapped onto two lines"
    assert select["height"] < 40 and button["x"] >= select["x"] + select["width"] - 1


def test_the_score_sheet_draws_its_evidence_icons(page, site):
    world = build_base(site.tree, site.personas)
    application = m.Application.objects.get(pk=world["application_review"])
    leaf = application.campaign.standard.indicators.filter(children__isnull=True).order_by("pk").first()
    for indicator, name in ((None, "总体情况说明.pdf"), (leaf, "学法计划.pdf")):
        m.Evidence.objects.create(
            application=application,
            indicator=indicator,
            file="evidence/x",
            name=name,
            content_type="application/pdf",
            size=1,
            sha256="0" * 64,
        )
    login(page, site, "reviewer")
    page.goto(site.url("assignment_sheet", pk=world["assignment"]))
    page.wait_for_load_state("load")
    shot(page, "score_sheet_evidence")
    page.locator("#general-evidence", has_text="总体情况说明.pdf").wait_for()
    icons = page.locator("li:has(a[href*='/campaigns/evidence/']) svg")
    assert icons.count() == 2
    for index in range(2):
        box = icons.nth(index).bounding_box()
        assert box["width"] >= 10 and box["height"] >= 10
