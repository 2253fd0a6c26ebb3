"""Scoring standards in the browser: edit a draft, see the total go wrong and right, publish,
clone to a new version, and compare the two versions."""

from fazhi.indicators import services
from tests.browser.conftest import login, shot
from tests.indicators.examples import example_standard


def edit_points(page, site, standard, code: str, points: str) -> None:
    page.goto(site.url("standard_detail", pk=standard.pk))
    row_id = "#indicator-" + code.replace(".", "\\.")
    with page.expect_navigation():
        page.locator(f"{row_id} a[href$='/edit/']").click()
    page.locator("#id_points").fill(points)
    with page.expect_navigation():
        page.locator("#indicator-form [type=submit]").click()


def test_edit_publish_clone_and_diff(page, site):
    draft = services.standard_import(actor=None, owner_org=site.tree.county, spec=example_standard(version="2025"))
    login(page, site, "county_admin")

    page.goto(site.url("standard_list"))
    page.get_by_role("link", name="依法行政示范单位考评标准").click()
    assert page.locator("#leaf-sum").get_attribute("data-ok") == "true"

    # the rule form switches its fields by kind (htmx)
    row = page.locator("#indicator-1\\.3")
    with page.expect_navigation():
        row.locator("a[href$='/edit/']").click()
    page.wait_for_load_state("load")
    page.locator("#id_kind").select_option("checklist")
    page.locator("input[name=item_title]").first.wait_for()
    page.locator("#id_kind").select_option("deduction")
    page.locator("#id_per").wait_for()

    edit_points(page, site, draft, "1.1", "6")
    total = page.locator("#leaf-sum")
    assert total.get_attribute("data-ok") == "false"
    assert total.locator(".sum-value").inner_text() == "28"
    assert page.locator("#problems").is_visible()
    shot(page, "standard_total_wrong")

    # publishing is refused while the draft is wrong
    page.locator("a[href$='/publish/']").click()
    assert page.locator("#problems").is_visible()
    assert page.locator("form.card [type=submit]").count() == 0

    # put it right by typing in the tree: htmx brings the new totals without reloading the page
    page.goto(site.url("standard_detail", pk=draft.pk))
    page.wait_for_load_state("load")
    points = page.locator("#indicator-1\\.1 input[name=points]")
    points.fill("4")
    with page.expect_response(lambda r: "/points/" in r.url and r.status == 200):
        points.press("Tab")
    page.locator("#leaf-sum[data-ok=true]").wait_for()
    assert page.locator("#leaf-sum .sum-value").inner_text() == "26"
    assert page.locator("#problems").count() == 0
    shot(page, "standard_tree")

    page.locator("a[href$='/publish/']").click()
    with page.expect_navigation():
        page.locator("form.card [type=submit]").click()
    assert page.locator("a[href$='/edit/']").count() == 0, "a published standard is not editable"

    # clone to a new version, change it, compare
    page.locator("a[href$='/new-version/']").click()
    page.locator("#id_version").fill("2026")
    with page.expect_navigation():
        page.locator("form.card [type=submit]").click()
    assert "2026" in page.locator(".breadcrumb").inner_text()
    copy = type(draft).objects.get(code=draft.code, version="2026")
    edit_points(page, site, copy, "1.3", "6")
    edit_points(page, site, copy, "1.1", "3")
    page.locator("a[href$='/diff/']").click()
    with page.expect_navigation():
        page.locator("form.no-print [type=submit]").click()
    changed = page.locator(".diff-changed")
    assert "违法案件" in changed.inner_text() and "健全学法制度" in changed.inner_text()
    shot(page, "standard_diff")
