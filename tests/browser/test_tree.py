"""Browsing the organisation tree: children load on demand through htmx."""

from tests.browser.conftest import login, shot


def node(page, name: str):
    """The tree node (its <li>) whose own label is ``name``."""
    return page.locator("li.org-node").filter(has=page.locator(f"a.org-name:text-is('{name}')")).last


def expand(page, site, name: str, pk: int) -> None:
    """Open a node by clicking its ▸ marker, and wait for htmx to fetch its children."""
    children = site.url("org_children", pk=pk)
    with page.expect_response(lambda r: r.url.split("?")[0] == children and r.status == 200):
        node(page, name).locator("summary").first.click(position={"x": 4, "y": 8})


def test_a_county_admin_opens_the_tree_level_by_level(page, site):
    tree = site.tree
    login(page, site, "county_admin")
    page.goto(site.url("org_tree"))
    page_tree = page.locator(".org-tree")
    # The admin's county is the top of their tree, shown open with the units directly below it.
    for name in ("青山县", "城关镇", "河口镇", "青山县司法局", "青山县第一中学"):
        assert page_tree.get_by_text(name, exact=True).is_visible()
    assert page_tree.get_by_text("东门村", exact=True).count() == 0, "grandchildren load only when asked"

    expand(page, site, "城关镇", tree.township.pk)
    for name in ("东门村", "西街社区", "城关镇人民政府办公室"):
        assert page_tree.get_by_text(name, exact=True).is_visible()
    expand(page, site, "河口镇", tree.township2.pk)
    assert page_tree.get_by_text("河口村", exact=True).is_visible()
    shot(page, "tree_expanded")

    assert page_tree.get_by_text("白水县").count() == 0, "the other county is outside this admin's scope"


def test_a_name_in_the_tree_opens_the_organisation_page(page, site):
    login(page, site, "county_admin")
    page.goto(site.url("org_tree"))
    expand(page, site, "河口镇", site.tree.township2.pk)
    with page.expect_navigation():
        page.locator(".org-tree a.org-name", has_text="河口村").click()
    assert page.url == site.url("org_detail", pk=site.tree.village2.pk)
    assert page.locator("main").get_by_text("990101002001").first.is_visible()
