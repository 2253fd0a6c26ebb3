"""Every page, opened in a real browser, loads nothing from outside the site and raises no script error.

This completes tests/test_air_gapped.py, which reads the HTML: here Chromium also runs the scripts and the
CSS, so a fetch started at run time (a web font, a chart library reaching for a CDN) is caught too. The
``page`` fixture aborts and reports any request for another host, any 5xx and any uncaught script error.
"""

import pytest
from django.urls import reverse

from tests.browser.conftest import login
from tests.pages import named_urls
from tests.test_air_gapped import kinds_of, samples


@pytest.mark.parametrize("persona", ["county_admin", "anonymous"])
def test_every_page_loads_only_from_the_site(page, site, persona):
    if persona != "anonymous":
        login(page, site, persona)
    known = samples(site.tree, site.personas)
    opened = []
    for name, params in named_urls():
        kinds = kinds_of(name, params)
        if name == "logout" or any(kind not in known for kind in kinds.values()):
            continue  # signing out would end the session; missing samples are reported by test_air_gapped
        url = site.base + reverse(name, kwargs={param: known[kind](persona) for param, kind in kinds.items()})
        head = page.request.get(url, max_redirects=0)
        if head.status == 405:
            continue  # an action that only answers POST (unlocking an account), not a page
        if not head.headers.get("content-type", "").startswith("text/html"):
            continue  # a download (XLSX template, export)
        page.goto(url, wait_until="load")
        opened.append(name)
    assert "home" in opened and "login" in opened
    if persona == "county_admin":
        assert {"org_tree", "org_detail", "org_import", "job_detail"} <= set(opened)
