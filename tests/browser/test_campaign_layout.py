"""Campaign pages at the test browser's 1280×900: nothing spills out of its card or wraps under the inputs,
and the reviewer's evidence icon is drawn (an inline SVG, not an emoji no font here has)."""

import datetime as dt

import pytest
from django.utils import timezone

from fazhi.campaigns import models as m
from fazhi.campaigns import workflow
from tests.browser.conftest import login, shot
from tests.campaigns.world import _campaign, _standard

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
