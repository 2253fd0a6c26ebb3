"""The enforcement importers through the ledgers' one command and one import page."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from fazhi.ledgers.enforcement.models import Officer
from tests.ledgers.enforcement.factories import make_case
from tests.spreadsheets import make_xlsx, read_xlsx

HEADER = ["单位代码", "姓名", "身份证号码", "执法证号", "发证日期", "有效期至"]


def test_fazhi_ledgers_import_and_dry_run(tree, personas, tmp_path):
    path = tmp_path / "officers.xlsx"
    path.write_bytes(
        make_xlsx(
            [HEADER, [tree.village.code, "张三", "990101198001011234", "QS1", dt.date(2025, 1, 1), dt.date(2030, 1, 1)]]
        )
    )
    with translation.override("en"):
        call_command(
            "ledgers",
            "import",
            "enforcement.officers",
            str(path),
            "--as",
            "township_clerk",
            "--dry-run",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
        assert not Officer.objects.exists()
        call_command(
            "ledgers",
            "import",
            "enforcement.officers",
            str(path),
            "--as",
            "township_clerk",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
        assert Officer.objects.get().certificates.get().number == "QS1"
        err = io.StringIO()
        with pytest.raises(CommandError):
            call_command(
                "ledgers",
                "import",
                "enforcement.officers",
                str(path),
                "--as",
                "township_clerk",
                stdout=io.StringIO(),
                stderr=err,
            )
    assert "enforcement.id_number_taken" in err.getvalue()
    assert Officer.objects.count() == 1


@pytest.mark.parametrize("key", ["enforcement.officers", "enforcement.exams", "enforcement.case_files"])
def test_the_import_page_and_template(tree, client_for, key):
    client = client_for("township_clerk")
    assert client.get(reverse("ledger_import", args=[key])).status_code == 200
    template = read_xlsx(client.get(reverse("ledger_import_template", args=[key])).content)
    assert template[0][0] in ("单位代码", "身份证号码")
    assert client_for("leader").get(reverse("ledger_import", args=[key])).status_code == 403


def test_the_ledgers_export_of_case_files(tree, client_for):
    make_case(tree.village, score=77)
    make_case(tree.other_village, score=66)
    rows = read_xlsx(
        client_for("township_clerk").get(reverse("ledger_export", args=["enforcement.case_files"])).content
    )
    assert [r[5] for r in rows[1:]] == [77]
