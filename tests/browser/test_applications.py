"""The self-assessment page in the browser: saving a leaf brings its score and the new self-assessed total
without reloading the page (htmx, out-of-band total); a bad answer shows its error on the leaf; evidence
uploads; submission asks for confirmation and leaves the page read-only."""

from pathlib import Path

from tests.browser.conftest import login, shot
from tests.campaigns.world import build_base

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def save_leaf(page, leaf, fill) -> None:
    fill(leaf)
    with page.expect_response(lambda r: "/answers/" in r.url and r.status == 200):
        leaf.locator(".answer-form button[type=submit]").click()


def test_self_assessment_with_a_live_total(page, site, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = build_base(site.tree, site.personas)
    login(page, site, "township_clerk")
    page.goto(site.url("application_detail", pk=world["application"]))
    page.wait_for_load_state("load")
    total = page.locator("#self-total .total-value")
    assert total.inner_text() == "0"

    manual = page.locator(".leaf", has_text="健全学法制度")
    save_leaf(page, manual, lambda leaf: leaf.locator("input[name=answer]").fill("3.5"))
    page.locator("#self-total .total-value", has_text="3.5").wait_for()

    checklist = page.locator(".leaf", has_text="十有")
    save_leaf(page, checklist, lambda leaf: [leaf.get_by_label(t).check() for t in ("法治展牌 (1)", "法律顾问 (1)")])
    page.locator("#self-total .total-value", has_text="5.5").wait_for()

    ratio = page.locator(".leaf", has_text="调解成功率")
    save_leaf(page, ratio, lambda leaf: leaf.locator("input[name=answer]").fill("1.3"))
    page.locator(".leaf .leaf-error", has_text="1.4").wait_for()
    assert total.inner_text() == "5.5"
    shot(page, "application_bad_ratio")

    for name, value in (("调解成功率", "0.95"), ("违法案件", "1"), ("专题研讨班", "2")):
        leaf = page.locator(".leaf", has_text=name)
        save_leaf(page, leaf, lambda leaf, value=value: leaf.locator("input[name=answer]").fill(value))
    page.locator("#self-total .total-value", has_text="16.5").wait_for()  # 3.5 + 2 + 4 + (5 - 1) + 3

    evidence = Path(tmp_path) / "学法计划.pdf"
    evidence.write_bytes(PDF)
    manual = page.locator(".leaf", has_text="健全学法制度")
    manual.locator("input[type=file]").set_input_files(str(evidence))
    with page.expect_navigation():
        manual.locator(".evidence-upload button").click()
    assert page.locator(".leaf", has_text="健全学法制度").get_by_role("link", name="学法计划.pdf").is_visible()

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.locator("#submit-application").click()
    assert page.locator("#read-only-note").is_visible()
    assert page.locator("input[name=answer]").count() == 0
    shot(page, "application_submitted")
