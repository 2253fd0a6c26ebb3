"""``fazhi ledgers``: import/export/template through the registry (a fake importer), daily, deadlines."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Q
from django.utils import translation

from fazhi.core.models import AuditEvent, CalendarDay
from fazhi.ledgers.common import registry
from tests.factories import make_user
from tests.ledgers.common.fakes import ACTION, fake_item, fake_items
from tests.spreadsheets import make_xlsx, read_xlsx

pytestmark = pytest.mark.django_db
HEADER = ["单位代码", "事项", "期限"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("ledgers", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_writes_as_the_named_user_with_progress(fake_ledger, tree, personas, tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(make_xlsx([HEADER, [tree.village.code, "报送", dt.date(2026, 12, 20)]]))
    out, err = run("import", "fake", str(path), "--as", "township_clerk")
    assert "导入 1 条。" in out
    assert "Checking rows 1/1" in err
    assert fake_items(Q()).get().actor == personas["township_clerk"]


def test_a_refused_import_prints_every_error_and_exits_1(fake_ledger, tree, personas, tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(
        make_xlsx(
            [
                HEADER,
                [tree.other_village.code, "越权", dt.date(2026, 12, 20)],
                [tree.village.code, "坏日期", "明天"],
            ]
        )
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="Refused: 2 errors; nothing was written.") as caught:
        call_command("ledgers", "import", "fake", str(path), "--as", "township_clerk", stderr=err)
    assert caught.value.returncode == 1
    printed = err.getvalue()
    assert f"row 2, column 单位代码 «{tree.other_village.code}»: no organisation with code" in printed
    assert "row 3, column 期限 «明天»:" in printed
    assert not AuditEvent.objects.filter(action=ACTION).exists()


def test_dry_run_writes_nothing(fake_ledger, tree, personas, tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(make_xlsx([HEADER, [tree.village.code, "报送", dt.date(2026, 12, 20)]]))
    out, _err = run("import", "fake", str(path), "--as", "township_clerk", "--dry-run")
    assert "nothing was written (dry run)" in out
    assert not fake_items(Q()).exists()


def test_who_may_import_and_unknown_keys(fake_ledger, personas, tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(make_xlsx([HEADER]))
    with pytest.raises(CommandError, match="leader may not do this anywhere"):
        run("import", "fake", str(path), "--as", "leader")
    with pytest.raises(CommandError, match=r"No importer has the key nothing\. The keys are: calendar, .*fake"):
        run("import", "nothing", str(path), "--as", "county_admin")


def test_template_and_export(fake_ledger, tree, personas, tmp_path):
    run("template", "fake", str(tmp_path / "t.xlsx"))
    assert read_xlsx((tmp_path / "t.xlsx").read_bytes())[0] == HEADER
    fake_item(org=tree.village, title="东门村事项", due=dt.date(2026, 12, 1))
    fake_item(org=tree.other_village, title="白水村事项", due=dt.date(2026, 12, 2))
    out, _err = run("export", "fake", str(tmp_path / "all.xlsx"))
    assert "Wrote 2 rows" in out
    run("export", "fake", str(tmp_path / "mine.xlsx"), "--as", "township_clerk")
    rows = read_xlsx((tmp_path / "mine.xlsx").read_bytes())
    assert [r[1] for r in rows[1:]] == ["东门村事项"]
    run("export", "fake", str(tmp_path / "other.xlsx"), "--org", tree.other_county.code)
    assert [r[1] for r in read_xlsx((tmp_path / "other.xlsx").read_bytes())[1:]] == ["白水村事项"]
    with pytest.raises(CommandError, match="No organisation has code"):
        run("export", "fake", str(tmp_path / "x.xlsx"), "--as", "township_clerk", "--org", tree.other_county.code)


def test_the_calendar_imports_from_the_command_line(tree, personas, tmp_path):
    make_user("province_admin", org=tree.province, role="administrator")
    path = tmp_path / "2027.xlsx"
    path.write_bytes(make_xlsx([["日期", "类型", "名称"], [dt.date(2027, 1, 1), "放假", "元旦"]]))
    out, _err = run("import", "calendar", str(path), "--as", "province_admin")
    assert "Entered 1 day of 2027." in out
    assert CalendarDay.objects.get().date == dt.date(2027, 1, 1)
    with pytest.raises(CommandError, match="may not do this anywhere"):
        run("import", "calendar", str(path), "--as", "county_admin")


def test_daily_runs_every_ledgers_job(fake_ledger):
    seen = []

    def daily(today):
        seen.append(today)
        return "3 份文件到期失效"

    registry.register_ledger(registry.LedgerInfo("fake_daily", "日常台账", "ledger_index", 98, daily=daily))
    try:
        out, _err = run("daily", "--date", "2026-12-01")
    finally:
        registry.unregister_ledger("fake_daily")
    assert seen == [dt.date(2026, 12, 1)]
    assert "日常台账: 3 份文件到期失效" in out


def test_deadlines_prints_the_board_for_an_org(fake_only, tree):
    fake_item(org=tree.village, title="东门村逾期", due=dt.date(2026, 11, 28))
    fake_item(org=tree.township, title="城关镇下周", due=dt.date(2026, 12, 5))
    fake_item(org=tree.other_village, title="白水村逾期", due=dt.date(2026, 11, 28))
    out, _err = run("deadlines", "--org", tree.county.code, "--date", "2026-12-01")
    assert "Overdue (1)" in out and "2026-11-28 3 days late  测试台账  报送  东门村逾期  东门村" in out
    assert "Due soon (1)" in out and "城关镇下周" in out and "白水村逾期" not in out
