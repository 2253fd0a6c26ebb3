"""A township clerk opens the ledgers' import page from the mediation register's list and imports with that
page's template: a file with one bad row is refused (the job page names its row, column and reason; nothing is
written), the corrected file imports, and the metric page of the mediation success rate shows the township's
figure with exactly those records behind it."""

import datetime as dt

from django.utils import timezone

from fazhi.ledgers.disputes.models import Mediation
from tests.browser.conftest import login, shot
from tests.browser.test_imports import sheet, template_headers, upload


def rows(year: int) -> list[dict[str, str]]:
    def day(month: int, d: int) -> str:
        return dt.date(year, month, d).isoformat()

    base = {"单位代码": "990101001", "调解类型": "人民调解"}
    return [
        {**base, "编号": "城关调〔1〕号", "纠纷事由": "宅基地边界纠纷", "排查日期": day(3, 1), "调处日期": day(3, 3),
         "调解结果": "调解成功", "结案日期": day(3, 10)},
        {**base, "编号": "城关调〔2〕号", "纠纷事由": "邻里噪音纠纷", "排查日期": day(4, 2), "调处日期": day(4, 5),
         "调解结果": "调解成功", "结案日期": day(4, 9)},
        {**base, "编号": "城关调〔3〕号", "纠纷事由": "土地承包纠纷", "排查日期": day(5, 6), "调处日期": day(5, 8),
         "调解结果": "调解不成", "结案日期": day(5, 20)},
        {**base, "编号": "城关调〔4〕号", "纠纷事由": "劳务费纠纷", "排查日期": day(6, 1)},
    ]  # fmt: skip


def test_a_bad_mediation_file_is_refused_a_good_one_feeds_the_metric(page, site):
    year = timezone.localdate().year
    login(page, site, "township_clerk")
    page.goto(site.url("mediation_list"))
    with page.expect_navigation():
        page.locator("#import-link").click()
    import_page = site.url("ledger_import", importer_key="disputes.mediation")
    assert page.url.startswith(import_page + "?back="), page.url
    headers = template_headers(page)
    assert headers[:3] == ["单位代码", "编号", "调解类型"], headers

    good = rows(year)
    bad = [dict(row) for row in good]
    bad[2]["调处日期"] = dt.date(year, 5, 1).isoformat()  # mediated before the dispute was screened (5-6)
    upload(page, "调解台账-有错.xlsx", sheet(headers, bad))
    errors = page.locator("#job-errors tbody tr")
    errors.first.wait_for()
    cells = [row.locator("td").all_inner_texts() for row in errors.all()]
    assert [(c[0], c[1]) for c in cells] == [("4", "调处日期")], cells
    assert "排查" in cells[0][3], cells  # the reason: mediation began before the screening
    shot(page, "ledgers_mediation_import_refused")
    assert not Mediation.objects.exists(), "a refused file writes nothing"

    page.goto(import_page)
    upload(page, "调解台账.xlsx", sheet(headers, good))
    success = page.locator(".alert-success")
    success.wait_for()
    assert "4" in success.inner_text()
    assert Mediation.objects.filter(org=site.tree.township).count() == 4

    page.goto(
        site.url("metric_detail", metric_code="disputes.mediation_success_rate")
        + f"?org=990101001&from={year}-01-01&to={year}-12-31"
    )
    assert page.locator("#metric-value").inner_text().startswith("66.67")
    assert page.locator("#metric-numerator").inner_text() == "2"
    assert page.locator("#metric-denominator").inner_text() == "3"
    listed = page.locator("#records tbody tr")
    names = sorted(row.locator("td").first.inner_text() for row in listed.all())
    assert names == ["城关调〔1〕号 宅基地边界纠纷", "城关调〔2〕号 邻里噪音纠纷", "城关调〔3〕号 土地承包纠纷"], names
    settled = sorted(row.locator("td").first.inner_text() for row in page.locator("#records tr.table-success").all())
    assert settled == names[:2]
    shot(page, "ledgers_mediation_metric")

    with page.expect_navigation():
        page.locator("#records a", has_text="城关调〔3〕号").click()
    assert page.url == site.base + Mediation.objects.get(number="城关调〔3〕号").get_absolute_url()
    assert "土地承包纠纷" in page.locator("main").inner_text()
