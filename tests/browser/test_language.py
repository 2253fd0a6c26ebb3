"""Switching the interface language from the navigation bar."""

from tests.browser.conftest import login, shot


def nav_label(page, site) -> str:
    href = site.url("org_tree").removeprefix(site.base)
    return page.locator(f"nav a[href='{href}']").inner_text().strip()


def test_switching_between_chinese_and_english_changes_the_page(page, site):
    login(page, site, "county_admin")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert nav_label(page, site) == "组织机构"
    assert page.locator("main h1").inner_text() == "欢迎您，王管理"

    with page.expect_navigation():
        page.locator("nav select[name=language]").select_option("en")
    shot(page, "language_english")
    assert page.locator("html").get_attribute("lang") == "en"
    assert nav_label(page, site) == "Organisations"
    assert page.locator("main h1").inner_text() == "Welcome, 王管理"
    assert page.url.rstrip("/") == site.url("home").rstrip("/"), "the switch should stay on the same page"

    with page.expect_navigation():
        page.locator("nav select[name=language]").select_option("zh-hans")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert nav_label(page, site) == "组织机构"


def test_the_chosen_language_sticks_across_pages(page, site):
    page.goto(site.url("home"))
    with page.expect_navigation():
        page.locator("nav select[name=language]").select_option("en")
    page.goto(site.url("login"))
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("nav select[name=language]").input_value() == "en"
    assert page.locator("nav").get_by_text("Sign in").is_visible()
