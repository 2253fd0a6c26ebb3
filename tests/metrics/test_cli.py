"""``fazhi metrics list`` and ``fazhi metrics show``."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from tests.metrics.fakes import VILLAGE_SHARE

pytestmark = pytest.mark.usefixtures("fake_metrics")


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    with translation.override("en"):
        call_command("metrics", *args, stdout=out)
    return out.getvalue()


def test_list_prints_every_metric_with_its_title_and_formula():
    out = run("list")
    assert f"test.village_share\t{VILLAGE_SHARE.title}\t{VILLAGE_SHARE.formula}" in out


def test_show_prints_title_value_numerator_and_denominator(tree, this_year):
    out = run(
        "show", "test.village_share", "--org", tree.county.code, "--from", str(this_year[0]), "--to", str(this_year[1])
    )
    assert f"{VILLAGE_SHARE.title} (test.village_share)" in out
    assert "Value: 33.33 %" in out
    assert "Numerator: 3" in out
    assert "Denominator: 9" in out


def test_show_as_a_user_reads_within_their_scope(tree, personas):
    out = run("show", "test.village_share", "--org", tree.township.code, "--as", "township_clerk")
    assert "Value: 50.00 %" in out
    with pytest.raises(CommandError, match="in the scope of township_clerk"):
        run("show", "test.village_share", "--org", tree.county.code, "--as", "township_clerk")


def test_an_unknown_code_names_the_close_ones(tree):
    with pytest.raises(CommandError, match=r"no metric test\.village_shar\. Did you mean: test\.village_share"):
        run("show", "test.village_shar", "--org", tree.county.code)


def test_an_unknown_org_is_refused(tree):
    with pytest.raises(CommandError, match="no organisation with the code 990199"):
        run("show", "test.village_share", "--org", "990199")


def test_dates_in_the_wrong_order_are_refused(tree):
    with pytest.raises(CommandError, match=r"ends \(2026-04-30\) before it starts \(2026-05-01\)"):
        run("show", "test.village_share", "--org", tree.county.code, "--from", "2026-05-01", "--to", "2026-04-30")
    with pytest.raises(CommandError, match="not a date"):
        run("show", "test.village_share", "--org", tree.county.code, "--from", "2026-02-30")
