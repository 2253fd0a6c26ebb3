"""``fazhi standards check|import|export|list``: exit codes, every error on stderr, and a file that
goes in and comes out the same in YAML and XLSX."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from fazhi.core.models import AuditEvent
from fazhi.indicators.formats import dump_xlsx, dump_yaml, load_xlsx, load_yaml
from fazhi.indicators.models import Standard
from fazhi.indicators.services import standard_import, standard_new_version, standard_publish
from tests.indicators.examples import example_standard

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("standards", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args) -> tuple[CommandError, str]:
    err = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("standards", *args, stdout=StringIO(), stderr=err)
    return caught.value, err.getvalue()


@pytest.fixture
def good_yaml(tmp_path):
    path = tmp_path / "good.yaml"
    path.write_bytes(dump_yaml(example_standard()))
    return path


@pytest.fixture
def bad_yaml(tmp_path):
    text = dump_yaml(example_standard()).decode()
    text = text.replace("total: 26", "total: 100").replace("bonus_cap: 5\n", "")
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_check_accepts_a_valid_file(good_yaml):
    out, _err = run("check", str(good_yaml))
    assert "Valid: yfxz-county 2025" in out


def test_check_accepts_xlsx_too(tmp_path):
    path = tmp_path / "good.xlsx"
    path.write_bytes(dump_xlsx(example_standard()))
    out, _err = run("check", str(path))
    assert "6 indicators" in out


def test_check_reports_every_problem_and_exits_1(bad_yaml):
    error, err = refused("check", str(bad_yaml))
    assert error.returncode == 1
    lines = err.strip().splitlines()
    assert len(lines) == 2
    assert any("bonus_cap" in line for line in lines) and any(line.endswith("[total]") for line in lines)
    assert "problems found: 2" in str(error)


def test_check_refuses_an_unknown_extension(tmp_path):
    path = tmp_path / "standard.json"
    path.write_text("{}")
    error, _err = refused("check", str(path))
    assert error.returncode == 1 and ".xlsx" in str(error)


def test_import_saves_a_draft_under_the_owner_as_the_user(good_yaml, tree, personas):
    out, _err = run("import", str(good_yaml), "--owner", tree.county.code, "--as", "county_admin")
    assert "Imported as a draft of 青山县" in out
    standard = Standard.objects.get()
    assert standard.owner_org == tree.county and standard.status == Standard.Status.DRAFT
    assert AuditEvent.objects.get(action="indicators.standard.imported").actor == personas["county_admin"]


def test_import_dry_run_saves_nothing(good_yaml, tree):
    out, _err = run("import", str(good_yaml), "--owner", tree.county.code, "--dry-run")
    assert "nothing saved" in out
    assert not Standard.objects.exists()


def test_import_refuses_a_bad_file_an_existing_version_and_a_user_without_the_right(
    good_yaml, bad_yaml, tree, personas
):
    error, err = refused("import", str(bad_yaml), "--owner", tree.county.code)
    assert error.returncode == 1 and err.count("\n") == 2
    run("import", str(good_yaml), "--owner", tree.county.code)
    error, _err = refused("import", str(good_yaml), "--owner", tree.county.code)
    assert error.returncode == 1 and "already exists" in str(error)
    error, _err = refused("import", str(good_yaml), "--owner", tree.county.code, "--as", "reviewer")
    assert "may not change" in str(error)
    error, _err = refused("import", str(good_yaml), "--owner", "000000")
    assert "000000" in str(error)
    assert Standard.objects.count() == 1


@pytest.mark.parametrize("suffix", ["yaml", "xlsx"])
def test_export_gives_back_what_was_imported(tmp_path, good_yaml, tree, suffix):
    run("import", str(good_yaml), "--owner", tree.county.code)
    target = tmp_path / f"out.{suffix}"
    run("export", "yfxz-county", "-o", str(target))
    load = load_xlsx if suffix == "xlsx" else load_yaml
    assert load(target.read_bytes()) == example_standard()


def test_export_to_stdout_is_yaml(good_yaml, tree):
    run("import", str(good_yaml), "--owner", tree.county.code)
    out, _err = run("export", "yfxz-county")
    assert load_yaml(out.encode()) == example_standard()
    error, _err = refused("export", "yfxz-county", "--format", "xlsx")
    assert "-o" in str(error)


def test_export_prefers_the_latest_published_version(tree, personas):
    admin = personas["county_admin"]
    first = standard_import(actor=admin, owner_org=tree.county, spec=example_standard(title="第一版"))
    standard_publish(actor=admin, standard=first)
    standard_new_version(actor=admin, standard=first, version="2026")  # a newer draft
    out, _err = run("export", "yfxz-county")
    assert load_yaml(out.encode()).title == "第一版"
    out, _err = run("export", "yfxz-county", "--version", "2026")
    assert load_yaml(out.encode()).version == "2026"
    error, _err = refused("export", "yfxz-county", "--version", "1999")
    assert "1999" in str(error)
    error, _err = refused("export", "nothing-here")
    assert "nothing-here" in str(error)


def test_export_without_a_published_version_takes_the_latest_draft(tree):
    first = standard_import(actor=None, owner_org=tree.county, spec=example_standard())
    standard_new_version(actor=None, standard=first, version="2026")
    out, _err = run("export", "yfxz-county")
    assert load_yaml(out.encode()).version == "2026"


def test_list_shows_every_standard(tree):
    standard_import(actor=None, owner_org=tree.county, spec=example_standard())
    out, _err = run("list")
    assert out.split("\t")[:4] == ["yfxz-county", "2025", "Draft", tree.county.code]


def test_the_console_script_check_exits_0_then_1(good_yaml, bad_yaml, tmp_path):
    """The real ``fazhi`` process: the exit code is what a script or CI job sees."""
    env = {k: v for k, v in os.environ.items() if k != "FAZHI_DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="tests.settings", FAZHI_VAR_DIR=str(tmp_path), PYTHONPATH=str(ROOT))

    def check(path) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "fazhi", "standards", "check", str(path)]
        return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)

    good = check(good_yaml)
    assert good.returncode == 0, good.stderr
    bad = check(bad_yaml)
    assert bad.returncode == 1
    assert sum(1 for line in bad.stderr.splitlines() if line.startswith(str(bad_yaml))) == 2
