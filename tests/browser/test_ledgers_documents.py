"""A county department's clerk enters a normative document through the pages, from drafting to publication; it then
appears in the public catalogue (no sign-in), found by a Chinese word of its title. A validity period longer than
the rule allows is refused on the form, the rule's message next to the field."""

import datetime as dt

from django.utils import timezone

from fazhi.ledgers.documents.models import Document
from tests.browser.conftest import login, shot
from tests.factories import make_user

TITLE = "青山县司法局关于规范行政执法公示工作的规定"


def day(offset: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=offset)).isoformat()


def step(page, name: str, fields: dict[str, str], selects: dict[str, str] | None = None) -> None:
    """Open the step's card on the document's page, fill it and save; the page comes back with "Saved"."""
    card = page.locator(f"#step-{name}")
    if card.get_attribute("open") is None:
        card.locator("summary").click()
    for field, value in fields.items():
        card.locator(f"[name={field}]").fill(value)
    for field, value in (selects or {}).items():
        card.locator(f"select[name={field}]").select_option(value)
    with page.expect_navigation():
        card.locator("button[type=submit]").click()
    assert page.locator(".invalid-feedback").count() == 0, page.locator(".invalid-feedback").all_inner_texts()
    page.locator(".alert-success").first.wait_for()


def test_a_clerk_takes_a_document_to_publication_and_the_public_finds_it(page, site, calendar_entered):
    bureau = site.tree.justice_bureau
    make_user("bureau_clerk", org=bureau, role="clerk", full_name="周文书")
    login(page, site, "bureau_clerk")

    page.goto(site.url("document_create"))
    page.locator("input[name=org]").fill(bureau.code)
    page.locator("input[name=title]").fill(TITLE)
    page.locator("input[name=affects_rights]").check()
    page.locator("input[name=drafted_on]").fill(day(-60))
    with page.expect_navigation():
        page.get_by_role("button", name="创建").click()
    document = Document.objects.get(title=TITLE)
    assert page.url == site.base + document.get_absolute_url()
    assert page.locator("#status").inner_text() == "起草中"

    step(page, "comment", {"comment_start": day(-50), "comment_end": day(-20)})
    step(page, "submit_review", {"submitted_on": day(-18)})
    step(page, "review", {"reported_on": day(-12)}, {"outcome": "pass"})
    step(page, "decide", {"decided_on": day(-10), "meeting": "县政府第12次常务会议"})
    step(
        page,
        "register",
        {
            "registered_on": day(-8),
            "number_prefix": "青司规",
            "effective_from": day(-5),
            "expires_on": day(3 * 365),
            "office": bureau.code,
        },
    )
    document.refresh_from_db()
    year = document.registered_on.year
    assert document.document_number == f"青司规〔{year}〕1号"
    assert document.registration_number
    numbers = page.locator("dl").inner_text()
    assert document.document_number in numbers
    assert document.registration_number in numbers
    shot(page, "ledgers_document_registered")

    step(page, "publish", {"published_on": day(-6)}, {"channel": "website"})
    assert page.locator("#status").inner_text() == "有效"

    # The public, not signed in, finds it by a word of its title.
    page.context.clear_cookies()
    page.goto(site.url("public_document_catalogue"))
    search = page.locator("input[name=q]")
    search.fill("执法公示")
    with page.expect_navigation():
        search.press("Enter")
    row = page.locator("#results tbody tr", has_text=TITLE)
    row.wait_for()
    assert document.document_number in row.inner_text()
    search = page.locator("input[name=q]")
    search.fill("城市绿化")
    with page.expect_navigation():
        search.press("Enter")
    assert page.locator("#results tbody tr").count() == 0
    assert "城市绿化" in page.locator("#results").inner_text()


def test_a_validity_of_six_years_is_refused_next_to_the_field(page, site):
    bureau = site.tree.justice_bureau
    make_user("bureau_clerk", org=bureau, role="clerk")
    login(page, site, "bureau_clerk")
    page.goto(site.url("document_create"))
    page.locator("input[name=org]").fill(bureau.code)
    page.locator("input[name=title]").fill("青山县司法局法律援助管理办法")
    page.locator("input[name=effective_from]").fill("2027-01-01")
    page.locator("input[name=expires_on]").fill("2032-12-31")
    with page.expect_navigation():
        page.get_by_role("button", name="创建").click()
    error = page.locator("#id_expires_on_error")
    assert error.inner_text() == "规范性文件有效期最长为 5 年：最迟至 2031-12-31。"
    # next to its field: in the same form group as the expiry date's input
    group = page.locator(".mb-3", has=page.locator("input[name=expires_on]"))
    assert group.locator(".invalid-feedback").inner_text() == error.inner_text()
    assert not Document.objects.filter(title="青山县司法局法律援助管理办法").exists()
    shot(page, "ledgers_document_validity_refused")
