"""Signing in through the login form."""

from tests.browser.conftest import login, shot


def test_a_county_admin_signs_in_and_sees_their_name_and_roles(page, site):
    login(page, site, "county_admin")
    assert page.url.rstrip("/") == site.url("home").rstrip("/")
    navbar = page.locator("nav")
    assert navbar.get_by_text("王管理").is_visible()
    assert page.locator("main").get_by_text("青山县").first.is_visible()
    assert navbar.locator(f"a[href='{site.url('org_tree').removeprefix(site.base)}']").is_visible()


def test_a_wrong_password_leaves_you_signed_out_on_the_login_form(page, site):
    login(page, site, "county_admin", password="wrong-password-1")
    shot(page, "login_wrong_password")
    assert page.url.startswith(site.url("login"))
    assert page.locator("input[name=password]").is_visible()
    assert page.locator("nav").get_by_text("王管理").count() == 0
    assert page.locator("form .alert, form .errorlist, form .invalid-feedback, .alert-danger").first.is_visible()


def test_sign_out_returns_to_the_login_page(page, site):
    login(page, site, "township_clerk")
    page.locator("nav").get_by_text("李填报").click()
    with page.expect_navigation():
        page.locator("nav form[action$='/logout/'] [type=submit]").click()
    assert page.url.startswith(site.url("login"))
    assert page.locator("nav").get_by_text("李填报").count() == 0
