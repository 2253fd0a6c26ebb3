"""The whole story of a creation campaign in the browser, as the people in it live it.

An administrator creates the campaign and moves it through its stages on the pages; two clerks apply with
evidence (a real PDF); the township recommends one and returns the other, which is fixed, resubmitted and then
recommended; three experts score; the results are computed and published; someone from the public files an
objection that is dismissed; after the notice the unit is named and its certificate downloads as a PDF.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from django.utils import timezone
from playwright.sync_api import expect

from fazhi.campaigns.models import Application, Campaign
from fazhi.indicators import services as standard_services
from fazhi.indicators.models import Indicator
from fazhi.orgs.codes import make_uscc
from fazhi.orgs.services import org_create
from tests.browser.conftest import login, shot
from tests.factories import make_user
from tests.indicators.examples import example_standard

TITLE = "青山县2026年度民主法治示范村（社区）创建"
# The example standard's leaves (26 points): 1.1 manual 4, 1.2 ten checklist items of 1, 1.3 deduction 5
# (1 each), 1.4 ratio 4 (full at 0.95), 1.5 tiers 3 (≥ 2 → 3, ≥ 1 → 1.5).
STRONG = {"1.1": "4", "1.2": list(range(10)), "1.3": "0", "1.4": "0.95", "1.5": "2"}
WEAKER = {"1.1": "3", "1.2": list(range(8)), "1.3": "1", "1.4": "0.8", "1.5": "1"}


def evidence_pdf(text: str) -> bytes:
    """A small, well-formed one-page PDF."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def sign_in(page, site, username: str) -> None:
    page.context.clear_cookies()
    login(page, site, username)


def submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).click()


def advance(page, site, campaign_pk: int) -> None:
    """The administrator clicks "Advance to …" on the campaign's page and confirms."""
    page.goto(site.url("campaign_detail", pk=campaign_pk))
    submit(page, "#advance")
    assert page.locator("#problem").count() == 0, page.locator("#problem").inner_text()
    submit(page, "form.card [type=submit]")
    assert page.url.endswith(f"/campaigns/{campaign_pk}/")


def self_assess(page, standard, answers: dict) -> None:
    """Answer each leaf on the self-assessment page (each save is an htmx request that updates the total)."""
    for code, value in answers.items():
        leaf = page.locator(f"#leaf-{Indicator.objects.get(standard=standard, code=code).pk}")
        form = leaf.locator("form.answer-form")
        if isinstance(value, list):
            for box in form.locator("input[name=items]").all():
                box.set_checked(int(box.get_attribute("value")) in value)
        else:
            form.locator("input[name=answer]").fill(value)
        form.locator("textarea[name=statement]").fill("已落实，见佐证材料。")
        with page.expect_response(lambda r: "/answers/" in r.url and r.status == 200):
            form.locator("[type=submit]").click()


def score_sheet(page, answers: dict) -> None:
    for code, value in answers.items():
        card = page.locator(f"[id='leaf-{code}']")
        if isinstance(value, list):
            for box in card.locator("input[type=checkbox][name^=leaf_]").all():
                box.set_checked(int(box.get_attribute("value")) in value)
        else:
            card.locator("input[name^=leaf_]").fill(value)
    submit(page, "button[name=action][value=submit]")


def test_a_campaign_from_creation_to_the_certificate(page, site, monkeypatch):
    tree = site.tree
    today = timezone.localdate()
    standard = standard_services.standard_import(
        actor=None, owner_org=tree.county, spec=example_standard(code="story", version="2026")
    )
    standard_services.standard_publish(actor=None, standard=standard)
    experts_org = org_create(
        actor=None,
        name="青山县法治建设专家库",
        kind="other",
        code=make_uscc("other", "990101", 30001),
        parent=tree.county,
    )
    for n, name in enumerate(("林专家", "郑专家", "高专家"), start=1):
        make_user(f"expert{n}", org=experts_org, role="reviewer", full_name=name)
    make_user("dongmen_clerk", org=tree.village, role="clerk", full_name="东门村填报员")
    make_user("xijie_clerk", org=tree.community, role="clerk", full_name="西街社区填报员")
    make_user("township_recommender", org=tree.township, role="recommender", full_name="城关镇推荐人")
    page.on("dialog", lambda dialog: dialog.accept())

    # 1. The administrator creates the campaign on the form and opens it for applications.
    sign_in(page, site, "county_admin")
    page.goto(site.url("campaign_create"))
    page.locator("#id_organiser").select_option(label="青山县")
    page.locator("#id_kind").select_option("democracy_village")
    page.locator("#id_title").fill(TITLE)
    page.locator("#id_batch").fill("第一批")
    page.locator("#id_year").fill("2026")
    page.locator("#id_standard").select_option(str(standard.pk))
    page.locator("input[name=eligible_kinds][value=village]").check()
    page.locator("input[name=eligible_kinds][value=community]").check()
    page.locator("#id_pass_score").fill("60")
    page.locator("#id_quota").fill("1")
    # the story's clerks answer 1.4 by hand (scores from the ledgers: tests/campaigns/test_metrics_scoring.py)
    page.locator("#id_scores_from_records").uncheck()
    start = today - dt.timedelta(days=1)
    for stage in ("application", "recommendation", "review", "inspection", "notice", "naming"):
        page.locator(f"#id_{stage}_opens").fill(start.isoformat())
        page.locator(f"#id_{stage}_closes").fill((start + dt.timedelta(days=6)).isoformat())
        start += dt.timedelta(days=7)
    shot(page, "story_01_campaign_form")
    submit(page, "#main form[method=post] button[type=submit]")
    campaign = Campaign.objects.get(title=TITLE)
    assert page.url.endswith(f"/campaigns/{campaign.pk}/")
    assert TITLE in page.locator("h1").inner_text()
    page.goto(site.url("campaign_pool", pk=campaign.pk))
    for name in ("林专家", "郑专家", "高专家"):
        assert name in page.content(), f"{name} is not in the pool"
    advance(page, site, campaign.pk)

    # 2. Two clerks apply: each answers every indicator (the total follows), uploads a PDF and submits.
    for clerk, unit, answers in (("dongmen_clerk", "东门村", STRONG), ("xijie_clerk", "西街社区", WEAKER)):
        sign_in(page, site, clerk)
        page.goto(site.url("application_workspace"))
        offer = page.locator("#open-campaigns li", has_text=TITLE)
        assert offer.locator("select[name=org]").inner_text().strip() == unit
        submit(page, "#open-campaigns li button[type=submit]")
        self_assess(page, standard, answers)
        # the total is swapped in after each save's response arrives: wait for the swap, not the response
        if answers is STRONG:
            expect(page.locator("#self-total .total-value")).to_have_text("26")
        page.locator("#self-total .unanswered-count.text-success").wait_for()
        # the evidence of the 十有 checklist (1.2), where the reviewers will see it
        leaf = f"#leaf-{Indicator.objects.get(standard=standard, code='1.2').pk}"
        page.locator(f"{leaf} form.evidence-upload input[type=file]").set_input_files(
            {"name": f"{unit}台账.pdf", "mimeType": "application/pdf", "buffer": evidence_pdf(unit.encode().hex())}
        )
        submit(page, f"{leaf} form.evidence-upload [type=submit]")
        assert page.locator(f"a:has-text('{unit}台账.pdf')").count() == 1
        if clerk == "dongmen_clerk":
            shot(page, "story_02_self_assessment")
        submit(page, "#submit-application")
        assert page.locator("#submit-application").count() == 0
        page.locator("#read-only-note").wait_for()

    # 3. The township recommends 东门村 and returns 西街社区 with a reason.
    sign_in(page, site, "township_recommender")
    page.goto(site.url("recommendation_queue"))
    shot(page, "story_03_recommendation_queue")
    submit(page, "#queue tr:has-text('东门村') button[value=recommend]")
    row = page.locator("#queue tr", has_text="西街社区")
    row.locator("input[name=reason]").fill("调解台账缺少第三季度记录，请补充后重新提交。")
    submit(page, "#queue tr:has-text('西街社区') button[value=return]")
    assert page.locator("#queue tr", has_text="东门村").count() == 0
    assert page.locator("#queue tr", has_text="西街社区").count() == 0

    # 4. 西街社区's clerk sees the reason, fixes an answer and submits again; the township recommends it.
    sign_in(page, site, "xijie_clerk")
    page.goto(site.url("application_workspace"))
    submit(page, f"#my-applications a:has-text('{TITLE}')")
    assert "调解台账缺少第三季度记录" in page.locator("#decision-reason").inner_text()
    before = page.locator("#self-total .total-value").inner_text()
    self_assess(page, standard, {"1.5": "2"})
    expect(page.locator("#self-total .total-value")).not_to_have_text(before)
    submit(page, "#submit-application")
    page.locator("#read-only-note").wait_for()
    sign_in(page, site, "township_recommender")
    page.goto(site.url("recommendation_queue"))
    assert page.locator("#queue tr", has_text="西街社区").locator(".badge").count() == 1  # submitted twice
    submit(page, "#queue tr:has-text('西街社区') button[value=recommend]")
    assert set(Application.objects.filter(campaign=campaign).values_list("state", flat=True)) == {"recommended"}

    # 5. The administrator opens the review and assigns the experts; each scores both applications.
    sign_in(page, site, "county_admin")
    advance(page, site, campaign.pk)
    advance(page, site, campaign.pk)
    page.goto(site.url("campaign_assignments", campaign_pk=campaign.pk))
    submit(page, "form[action$='/assignments/run/'] [type=submit]")
    shot(page, "story_05_assignments")
    for name in ("林专家", "郑专家", "高专家"):
        assert page.locator("main, body").first.inner_text().count(name) >= 2, name
    for number in (1, 2, 3):
        sign_in(page, site, f"expert{number}")
        page.goto(site.url("review_queue"))
        assert page.locator("#my-reviews tbody tr").count() == 2
        for unit, answers in (("东门村", STRONG), ("西街社区", WEAKER)):
            page.goto(site.url("review_queue"))
            submit(page, f"#my-reviews tr:has-text('{unit}') a")
            if number == 1 and unit == "东门村":
                assert page.locator(f"a:has-text('{unit}台账.pdf')").count() >= 1, "the reviewer sees the evidence"
                shot(page, "story_05_score_sheet")
            score_sheet(page, {**answers, "1.1": str(4 - 0.5 * (number - 1))})
            page.locator("#sheet-total").wait_for()
        page.goto(site.url("review_queue"))
        assert page.locator("#my-reviews .badge.text-bg-success").count() == 2

    # 6. Results: computed, ranked, published.
    sign_in(page, site, "county_admin")
    advance(page, site, campaign.pk)
    page.goto(site.url("results_page", pk=campaign.pk))
    page.locator("#reason").fill("专家评审结束")
    submit(page, "#compute")
    page.goto(site.url("results_page", pk=campaign.pk))
    rows = page.locator("#results tbody tr")
    assert "东门村" in rows.nth(0).inner_text() and "西街社区" in rows.nth(1).inner_text()
    submit(page, "#publish")
    assert page.locator("#publish").count() == 0
    shot(page, "story_06_results")
    advance(page, site, campaign.pk)

    # 7. The public sees the notice and files an objection (no account).
    page.context.clear_cookies()
    page.goto(site.url("public_notice_list"))
    submit(page, f"#notices a:has-text('{TITLE}')")
    units = page.locator("#units tbody tr")
    assert units.count() == 1 and "东门村" in units.first.inner_text()
    submit(page, "#units tr:has-text('东门村') a")
    page.locator("[name=name]").fill("张三")
    page.locator("[name=contact]").fill("13800001111")
    page.locator("[name=reasons]").fill("该村公示的调解台账与实际情况不符，请有关部门核查。")
    shot(page, "story_07_objection_form")
    submit(page, "form.card [type=submit]")
    page.locator("#objection-received").wait_for()

    # 8. The administrator reads it (with the contact) and dismisses it with a reason.
    sign_in(page, site, "county_admin")
    page.goto(site.url("objection_list", campaign_pk=campaign.pk))
    assert "13800001111" in page.locator("#objections").inner_text()
    submit(page, "#objections a[href*='/decide/']")
    page.locator("[name=decision]").select_option("dismiss")
    page.locator("[name=reason]").fill("经实地核查，台账完整，异议不成立。")
    submit(page, "form.card [type=submit]")
    page.goto(site.url("campaign_advance", pk=campaign.pk))
    assert page.locator("#problem").count() == 1, "naming cannot start while the notice runs"

    # 9. Eight days later the notice is over: the unit is named and its certificate downloads.
    real_localdate = timezone.localdate
    later = today + dt.timedelta(days=8)
    monkeypatch.setattr(
        timezone, "localdate", lambda value=None, *args: later if value is None else real_localdate(value, *args)
    )
    advance(page, site, campaign.pk)
    page.goto(site.url("campaign_naming", campaign_pk=campaign.pk))
    assert "东门村" in page.locator("#units").inner_text()
    submit(page, "form.card [type=submit]")
    row = page.locator("#designations tr", has_text="东门村")
    shot(page, "story_09_designations")
    with page.expect_download() as download:
        row.locator("a[href$='certificate.pdf']").click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF-") and len(pdf) > 1000
    assert download.value.suggested_filename.endswith(".pdf")
    page.goto(site.url("campaign_detail", pk=campaign.pk))
    shot(page, "story_09_dashboard")

    # The public named list carries the SHA-256 of its canonical content.
    page.context.clear_cookies()
    page.goto(site.url("public_named_detail", named_pk=campaign.pk))
    assert "东门村" in page.locator("body").inner_text() and "西街社区" not in page.locator("body").inner_text()
    digest = re.search(r"\b[0-9a-f]{64}\b", page.content()).group(0)
    content = page.request.get(site.url("public_named_list_content", named_pk=campaign.pk)).body()
    assert hashlib.sha256(content).hexdigest() == digest
    shot(page, "story_10_named_list")
