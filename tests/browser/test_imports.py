"""Importing organisations from a spreadsheet: a bad file is refused row by row, a good one is written."""

import io

from openpyxl import load_workbook

from fazhi.orgs.codes import make_uscc
from fazhi.orgs.models import Org
from tests.browser.conftest import login, shot
from tests.spreadsheets import make_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def template_headers(page) -> list[str]:
    """Download the template through its link, as a clerk would, and read its header row."""
    with page.expect_download() as download:
        page.locator("#template-link").click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes()), read_only=True).worksheets[0]
    return [cell for cell in next(sheet.iter_rows(max_row=1, values_only=True)) if cell]


def sheet(headers: list[str], rows: list[dict[str, str]]) -> bytes:
    return make_xlsx([headers, *([row.get(h) for h in headers] for row in rows)])


def upload(page, name: str, data: bytes) -> None:
    page.locator("#import-form input[type=file]").set_input_files({"name": name, "mimeType": XLSX, "buffer": data})
    with page.expect_navigation():
        page.locator("#import-form [type=submit]").click()


def test_a_bad_sheet_is_refused_naming_each_row_then_a_good_one_is_imported(page, site):
    login(page, site, "county_admin")
    page.goto(site.url("org_import"))
    headers = template_headers(page)
    assert headers[:4] == ["名称", "类型", "代码", "上级代码"]
    town = {"名称": "新华镇", "类型": "乡镇", "代码": "990101003", "上级代码": "990101"}
    bad_court = make_uscc("department", "990101", 7001)[:-1] + "0"

    upload(
        page,
        "坏的组织表.xlsx",
        sheet(
            headers,
            [
                town,
                {"名称": "新华村", "类型": "村", "代码": "990101004001", "上级代码": "990101003"},
                {"名称": "青山县法院", "类型": "部门", "代码": bad_court, "上级代码": "990101"},
            ],
        ),
    )
    errors = page.locator("#job-errors tbody tr")
    errors.first.wait_for()
    shot(page, "import_refused")
    assert page.url.startswith(site.base + "/jobs/")
    cells = [row.locator("td").all_inner_texts() for row in errors.all()]
    assert [(c[0], c[1]) for c in cells] == [("3", "代码"), ("4", "代码")], cells
    assert cells[0][2] == "990101004001"
    assert cells[1][2] == bad_court
    assert not Org.objects.filter(code="990101003").exists(), "a refused file writes nothing"

    page.goto(site.url("org_import"))
    upload(
        page,
        "组织表.xlsx",
        sheet(headers, [town, {"名称": "新华村", "类型": "村", "代码": "990101003001", "上级代码": "990101003"}]),
    )
    success = page.locator(".alert-success")
    success.wait_for()
    shot(page, "import_succeeded")
    assert page.locator("#job-errors").count() == 0
    assert "2" in success.inner_text()

    page.goto(site.url("org_tree"))
    assert page.locator(".org-tree").get_by_text("新华镇", exact=True).is_visible()


def test_a_file_that_is_not_a_workbook_is_refused_on_the_form(page, site):
    login(page, site, "county_admin")
    page.goto(site.url("org_import"))
    page.locator("#import-form input[type=file]").set_input_files(
        {"name": "组织表.xlsx", "mimeType": XLSX, "buffer": "名称,类型\n新华镇,乡镇\n".encode()}
    )
    with page.expect_navigation():
        page.locator("#import-form [type=submit]").click()
    errors = page.locator("#job-errors tbody tr")
    errors.first.wait_for()
    shot(page, "import_not_a_workbook")
    cells = [row.locator("td").all_inner_texts() for row in errors.all()]
    assert len(cells) == 1, cells
    row, column, _value, reason = cells[0]
    assert (row, column) == ("", ""), "a file-level error names no row or column"
    assert ".xlsx" in reason
    assert not Org.objects.filter(name="新华镇").exists()
