"""The ``fazhi import_orgs``, ``export_orgs`` and ``import_users`` commands: thin wrappers over the import services."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from fazhi.core.models import AuditEvent
from fazhi.orgs.models import Membership, Org
from tests.spreadsheets import make_xlsx, read_xlsx

ORG_HEADER = ["名称", "类型", "代码", "上级代码"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def run(*args):
    """(stdout, stderr) of the command."""
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def orgs_file(tmp_path):
    def write(rows, name="orgs.xlsx", header=ORG_HEADER, sheet="Sheet1"):
        path = tmp_path / name
        path.write_bytes(make_xlsx([header, *rows], sheet=sheet))
        return path

    return write


def test_import_orgs_imports_as_the_named_user(tree, personas, orgs_file):
    path = orgs_file([["新华镇", "乡镇", "990101003", "990101"], ["新华村", "村", "990101003001", "990101003"]])
    out, err = run("import_orgs", str(path), "--as", "county_admin")
    assert "Created 2 organisations." in out
    assert "Checking rows 2/2" in err, "a progress line"
    assert Org.objects.get(code="990101003001").parent.code == "990101003"
    assert AuditEvent.objects.filter(action="orgs.org.created", actor=personas["county_admin"]).count() == 2


def test_a_refused_import_prints_every_error_and_exits_non_zero(tree, personas, orgs_file):
    before = (Org.objects.count(), AuditEvent.objects.count())
    path = orgs_file([["新华镇", "乡镇", "99010100", "990101"], ["坏村", "村", "990102001009", "990102001"]])
    err = io.StringIO()
    with pytest.raises(CommandError, match="Refused: 2 errors; nothing was written.") as caught:
        call_command("import_orgs", str(path), "--as", "county_admin", stderr=err)
    assert caught.value.returncode == 1
    printed = err.getvalue()
    assert "row 2, column 代码 «99010100»: this level's division code has 9 digits" in printed
    assert "row 3, column 上级代码 «990102001»: no organisation with code 990102001" in printed
    assert (Org.objects.count(), AuditEvent.objects.count()) == before


def test_import_orgs_dry_run_writes_nothing(tree, personas, orgs_file):
    out, _err = run(
        "import_orgs", str(orgs_file([["新华镇", "乡镇", "990101003", "990101"]])), "--as", "county_admin", "--dry-run"
    )
    assert "nothing was written (dry run)" in out
    assert not Org.objects.filter(code="990101003").exists()


def test_import_orgs_needs_a_user_with_the_right(tree, personas, orgs_file):
    path = orgs_file([["新华镇", "乡镇", "990101003", "990101"]])
    with pytest.raises(CommandError, match="No active user named nobody"):
        run("import_orgs", str(path), "--as", "nobody")
    with pytest.raises(CommandError, match="may not do this anywhere"):
        run("import_orgs", str(path), "--as", "township_clerk")
    with pytest.raises(CommandError, match="Cannot read"):
        run("import_orgs", str(path.parent / "missing.xlsx"), "--as", "county_admin")


def test_export_then_import_round_trips_through_files(tree, personas, orgs_file, tmp_path):
    path = orgs_file([["新华镇", "乡镇", "990101003", "990101"], ["新华村", "村", "990101003001", "990101003"]])
    run("import_orgs", str(path), "--as", "county_admin")
    exported = tmp_path / "export.xlsx"
    out, _err = run("export_orgs", "--root", "990101003", str(exported))
    assert "Wrote 2 organisations" in out
    assert read_xlsx(exported.read_bytes()) == [
        ORG_HEADER,
        ["新华镇", "乡镇", "990101003", "990101"],
        ["新华村", "村", "990101003001", "990101003"],
    ]
    with pytest.raises(CommandError, match="No organisation has code 990199"):
        run("export_orgs", "--root", "990199", str(exported))
    with pytest.raises(CommandError, match="No organisation has code 990101003"):
        run("export_orgs", "--root", "990101003", str(exported), "--as", "village_clerk_elsewhere")


def test_import_users_creates_accounts_with_roles(tree, personas, orgs_file):
    path = orgs_file(
        [["dongmen", "张三", "990101001001", "clerk", None]],
        header=["用户名", "姓名", "组织代码", "角色", "初始密码"],
    )
    out, _err = run("import_users", str(path), "--as", "county_admin")
    assert "Created 1 account." in out and "Gave 1 role." in out
    assert Membership.objects.filter(user__username="dongmen", org__code="990101001001", role="clerk").exists()
    with pytest.raises(CommandError, match="may not do this anywhere"):
        run("import_users", str(path), "--as", "leader")
