"""The ledger pages an administrator and a clerk look at, at 1280×800 in Chinese: the deadline board's overdue
item opens its record; the ledgers index, a list, a detail, the board, a metric page and the public catalogue
fit the window (no sideways scrolling), label every button, leave no English words in the Chinese page and say
so when a table would be empty. Screenshots go to test-artifacts/ledgers_*.png."""

import datetime as dt
import re

from django.utils import timezone

from tests.browser.conftest import login, shot
from tests.ledgers.disputes.factories import mediation
from tests.ledgers.documents.factories import document_through

# Latin words that may stand in a Chinese page: file formats, product names, codes.
ALLOWED_LATIN = {"xlsx", "excel", "wps", "pdf", "csv", "api", "uscc"}


def build(tree):
    today = timezone.localdate()
    late = document_through(
        tree.township, "review", start=today - dt.timedelta(days=90), title="城关镇集贸市场管理办法"
    )
    in_force = document_through(
        tree.county, "in_force", start=today - dt.timedelta(days=120), title="青山县城市绿化管理办法"
    )
    steps = [
        document_through(tree.county, step, start=today - dt.timedelta(days=80), title=title)
        for step, title in (
            ("drafting", "青山县农村人居环境整治办法"),
            ("decided", "青山县养犬管理规定（试行）"),
            ("registered", "青山县烟花爆竹燃放管理规定"),
        )
    ]
    for number, outcome in (("城关调〔1〕号", "settled"), ("城关调〔2〕号", "failed")):
        screened = dt.date(today.year, 1, 5)
        mediation(
            tree.township,
            number=number,
            screened_on=screened,
            mediated_on=screened + dt.timedelta(days=2),
            outcome=outcome,
            concluded_on=screened + dt.timedelta(days=9),
        )
    return late, in_force, steps


TEXT_OUTSIDE_CODE = """() => {
    const root = document.querySelector('main') || document.body;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
        acceptNode: n => n.parentElement.closest('code, kbd, pre, script, style, option, [hidden]')
            ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT});
    const parts = [];
    while (walker.nextNode()) {
        if (walker.currentNode.parentElement.offsetParent !== null) parts.push(walker.currentNode.data);
    }
    return parts.join(' ');
}"""


def looks_wrong(page, label: str, *, english_too: bool = False) -> list[str]:
    """The checks a person makes on a screenshot, made on the page itself (and the screenshot saved)."""
    page.wait_for_load_state("load")
    shot(page, f"ledgers_{label}")
    problems = []
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > 1280:
        problems.append(f"{label}: the page is {width}px wide and scrolls sideways")
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('button, a.btn, input[type=submit]')]
            .filter(e => e.offsetParent !== null)
            .filter(e => !(e.textContent || e.value || e.getAttribute('aria-label') || e.title || '').trim())
            .map(e => e.outerHTML.slice(0, 120))"""
    )
    if unlabelled:
        problems.append(f"{label}: buttons without a label: {unlabelled}")
    english = english_too and {
        word
        for word in re.findall(r"(?<![\w./-])[A-Za-z]{3,}(?![\w./-])", page.evaluate(TEXT_OUTSIDE_CODE))
        if word.lower() not in ALLOWED_LATIN
    }
    if english:
        problems.append(f"{label}: English left in the Chinese page: {sorted(english)}")
    empty_tables = page.evaluate(
        """() => [...document.querySelectorAll('table')]
            .filter(t => t.offsetParent !== null && t.tBodies.length && !t.tBodies[0].rows.length)
            .map(t => t.id || t.className)"""
    )
    if empty_tables:
        problems.append(f"{label}: an empty table without a message: {empty_tables}")
    return problems


def test_the_deadline_board_links_an_overdue_item_to_its_record(page, site, calendar_entered):
    late, _in_force, _steps = build(site.tree)
    login(page, site, "township_clerk")
    page.goto(site.url("ledger_deadlines"))
    row = page.locator("#overdue tbody tr", has_text="城关镇集贸市场管理办法")
    assert row.count() == 1
    assert late.review_due.isoformat() in row.inner_text()
    assert int(row.locator("td").nth(1).inner_text()) == (timezone.localdate() - late.review_due).days
    with page.expect_navigation():
        row.get_by_role("link", name="城关镇集贸市场管理办法").click()
    assert page.url == site.base + late.get_absolute_url()
    assert page.locator("h1").inner_text() == "城关镇集贸市场管理办法"
    assert page.locator("#status").inner_text() == "合法性审核"


def visit_every_page(page, site, *, english_too: bool = False) -> list[str]:
    late, in_force, steps = build(site.tree)
    page.set_viewport_size({"width": 1280, "height": 800})
    login(page, site, "county_admin")
    year = timezone.localdate().year
    pages = {
        "index": site.url("ledger_index"),
        "documents_index": site.url("document_index"),
        "documents_list": site.url("document_list"),
        "document_detail": site.base + in_force.get_absolute_url(),
        "document_next_steps": site.base + late.get_absolute_url(),
        **{f"document_steps_{d.status}": site.base + d.get_absolute_url() for d in steps},
        "mediation_list": site.url("mediation_list"),
        "board": site.url("ledger_deadlines"),
        "metrics": site.url("metric_list"),
        "metric": site.url("metric_detail", metric_code="disputes.mediation_success_rate")
        + f"?org=990101&from={year}-01-01&to={year}-12-31",
    }
    problems = []
    for label, url in pages.items():
        page.goto(url)
        problems += looks_wrong(page, label, english_too=english_too)
    page.context.clear_cookies()
    page.goto(site.url("public_document_catalogue"))
    problems += looks_wrong(page, "public_catalogue", english_too=english_too)
    assert page.locator("tbody tr", has_text="青山县城市绿化管理办法").count() == 1
    return problems


def test_the_ledger_pages_fit_1280_by_800_label_their_buttons_and_fill_their_tables(page, site, calendar_entered):
    problems = visit_every_page(page, site)
    assert problems == [], "\n".join(problems)


def test_the_ledger_pages_leave_no_english_in_chinese(page, site, calendar_entered):
    problems = visit_every_page(page, site, english_too=True)
    assert problems == [], "\n".join(problems)


EMPTY_PAGES = (
    "ledger_index",
    "document_index",
    "document_list",
    "document_cleanup_list",
    "decision_list",
    "enforcement_index",
    "enforcement_officer_list",
    "enforcement_exam_list",
    "enforcement_casefile_list",
    "disputes_index",
    "reconsideration_list",
    "litigation_list",
    "mediation_list",
    "disclosure_list",
    "study_index",
    "study_session_list",
    "study_learner_list",
    "study_meeting_list",
    "study_publicity_list",
    "study_appointment_list",
    "ledger_deadlines",
)

FORMS = (
    "document_create",
    "document_cleanup_create",
    "decision_create",
    "enforcement_officer_create",
    "enforcement_casefile_create",
    "reconsideration_create",
    "litigation_create",
    "mediation_create",
    "disclosure_create",
    "study_session_create",
    "study_learner_create",
    "study_meeting_create",
    "study_publicity_create",
    "study_appointment_create",
)


def test_empty_ledger_pages_say_so_instead_of_showing_bare_tables(page, site):
    page.set_viewport_size({"width": 1280, "height": 800})
    login(page, site, "township_clerk")
    problems = []
    for name in EMPTY_PAGES:
        page.goto(site.url(name))
        problems += looks_wrong(page, f"empty_{name}")
    year = timezone.localdate().year
    page.goto(
        site.url("metric_detail", metric_code="disputes.mediation_success_rate")
        + f"?org=990101001&from={year}-01-01&to={year}-12-31"
    )
    problems += looks_wrong(page, "empty_metric")
    assert page.locator("#metric-value").inner_text() == "—"
    page.context.clear_cookies()
    page.goto(site.url("public_document_catalogue"))
    problems += looks_wrong(page, "empty_public_catalogue")
    assert problems == [], "\n".join(problems)


def test_the_ledger_forms_fit_1280_by_800_and_label_their_fields(page, site):
    page.set_viewport_size({"width": 1280, "height": 800})
    login(page, site, "township_clerk")
    problems = []
    for name in FORMS:
        page.goto(site.url(name))
        problems += looks_wrong(page, f"form_{name}")
        unlabelled = page.evaluate(
            """() => [...document.querySelectorAll('main form input, main form select, main form textarea')]
                .filter(e => e.type !== 'hidden' && e.offsetParent !== null)
                .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
                .map(e => e.name)"""
        )
        if unlabelled:
            problems.append(f"{name}: fields without a label: {unlabelled}")
    assert problems == [], "\n".join(problems)


def test_a_record_of_every_ledger_looks_right_on_its_page(page, site):
    from tests.ledgers.decisions.factories import make_decided
    from tests.ledgers.disputes.factories import disclosure, reconsideration
    from tests.ledgers.enforcement.factories import make_case, make_officer, make_year
    from tests.ledgers.study.factories import learner, publicity, session

    tree = site.tree
    officer = make_officer(tree.township, "王执法")
    make_year(officer)
    zhang = learner(tree.township, "张伟")
    records = {
        "decision": make_decided(tree.county),
        "officer": officer,
        "case_file": make_case(tree.township),
        "reconsideration": reconsideration(tree.county),
        "mediation": mediation(tree.township, screened_on=dt.date(2026, 3, 1)),
        "disclosure": disclosure(tree.county),
        "session": session(tree.township, attendees=[zhang]),
        "learner": zhang,
        "publicity": publicity(tree.township),
    }
    page.set_viewport_size({"width": 1280, "height": 800})
    login(page, site, "county_admin")
    problems = []
    for label, record in records.items():
        page.goto(site.base + record.get_absolute_url())
        problems += looks_wrong(page, f"detail_{label}", english_too=True)
    assert problems == [], "\n".join(problems)
