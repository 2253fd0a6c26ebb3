"""``fazhi audit verify|head|tail``: the summary, the first broken link and the exit code, anchors,
progress, and the real console script against an SQLite file."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import translation
from django.utils.translation import ngettext

from fazhi.core.audit import audit_head, audit_record, compute_hash
from fazhi.core.models import AuditEvent

ROOT = Path(__file__).resolve().parents[2]
TABLE = AuditEvent._meta.db_table


@pytest.fixture(autouse=True)
def in_english():
    """Messages are checked as their English msgids; the console script speaks the site's language."""
    with translation.override("en"):
        yield


def record(n: int) -> None:
    for i in range(n):
        with transaction.atomic():
            audit_record(action="test.thing.changed", object_repr=f"事项{i}", new={"i": i}, ip="192.0.2.1")


def audit(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("audit", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def tamper(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("{table}", connection.ops.quote_name(TABLE)), params)


# --- verify -------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_verify_prints_a_summary_and_the_head_when_the_chain_holds():
    record(5)
    out, err = audit("verify")
    head = audit_head()
    assert out.splitlines() == ["5 events verified, chain intact", f"Head: 5:{head.hash}"]
    assert err == ""


@pytest.mark.django_db
def test_verify_of_an_empty_log():
    out, _ = audit("verify")
    assert out.strip() == "0 events verified, chain intact"


@pytest.mark.django_db
def test_verify_names_the_first_broken_link_and_exits_1():
    record(5)
    tamper("UPDATE {table} SET new = %s WHERE seq = 3", [json.dumps({"i": "forged"})])
    err = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("audit", "verify", stdout=StringIO(), stderr=err)
    assert raised.value.returncode == 1
    assert str(raised.value).startswith("Chain broken at event #3: its content no longer matches its hash")
    assert "2 events before it verified." in err.getvalue()


@pytest.mark.django_db
def test_verify_names_a_deleted_event():
    record(4)
    tamper("DELETE FROM {table} WHERE seq = 2")
    with pytest.raises(CommandError, match=r"Chain broken at event #2: event #2 is missing"):
        audit("verify")


@pytest.mark.django_db
def test_verify_shows_progress_on_request():
    record(5)
    out, err = audit("verify", "--progress", "--batch-size", "2")
    assert err.splitlines() == [
        "Verifying: 2 of 5 events (40%)",
        "Verifying: 4 of 5 events (80%)",
        "Verifying: 5 of 5 events (100%)",
    ]
    assert out.startswith("5 events verified")


@pytest.mark.django_db
def test_verify_shows_no_progress_when_not_on_a_terminal_unless_asked():
    record(5)
    _, err = audit("verify", "--batch-size", "2")
    assert err == ""


# --- anchors ------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_head_prints_seq_hash_and_time_and_verify_accepts_it_back():
    record(3)
    out, _ = audit("head")
    anchor, when = out.split()
    head = audit_head()
    assert anchor == f"3:{head.hash}"
    assert when.endswith("+00:00")
    record(2)
    out, _ = audit("verify", "--anchor", anchor)
    assert "1 anchor matched." in out


@pytest.mark.django_db
def test_head_of_an_empty_log():
    out, err = audit("head")
    assert out == "" and "empty" in err


@pytest.mark.django_db
def test_an_anchor_catches_a_tail_rewritten_with_the_algorithm():
    record(3)
    anchor = audit("head")[0].split()[0]
    prev = AuditEvent.objects.get(seq=1).hash
    for event in AuditEvent.objects.filter(seq__gte=2).order_by("seq"):
        event.object_repr, event.prev_hash = "伪造", prev
        event.hash = prev = compute_hash(event)
        tamper(
            "UPDATE {table} SET object_repr = %s, prev_hash = %s, hash = %s WHERE seq = %s",
            [event.object_repr, event.prev_hash, event.hash, event.seq],
        )
    assert audit("verify")[0].startswith("3 events verified, chain intact")
    with pytest.raises(CommandError, match=r"Chain broken at event #3: its hash differs from the anchor"):
        audit("verify", "--anchor", anchor)


@pytest.mark.django_db
def test_an_anchors_file_catches_a_truncated_tail(tmp_path):
    record(2)
    first = audit("head")[0]
    record(2)
    second = audit("head")[0]
    anchors = tmp_path / "anchors.txt"
    anchors.write_text(f"# recorded by the operator\n{first}\n\n{second}\n", encoding="utf-8")
    assert "2 anchors matched." in audit("verify", "--anchors-file", str(anchors))[0]
    tamper("DELETE FROM {table} WHERE seq = 4")
    with pytest.raises(CommandError, match=r"#4: an anchor was recorded for event #4 but the log ends at #3"):
        audit("verify", "--anchors-file", str(anchors))


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["3", "3:abc", "x:" + "0" * 64])
def test_a_malformed_anchor_is_refused(bad):
    with pytest.raises(CommandError, match="is not an anchor"):
        audit("verify", "--anchor", bad)


@pytest.mark.django_db
def test_two_different_anchors_for_one_event_are_refused():
    with pytest.raises(CommandError, match="Two different anchors"):
        audit("verify", "--anchor", "1:" + "a" * 64, "--anchor", "1:" + "b" * 64)


@pytest.mark.django_db
def test_a_missing_anchors_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        audit("verify", "--anchors-file", str(tmp_path / "nope.txt"))


# --- tail ---------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_tail_prints_the_latest_events_oldest_first():
    record(5)
    out, _ = audit("tail", "-n", "2")
    lines = [line.split("\t") for line in out.splitlines()]
    assert [line[0] for line in lines] == ["#4", "#5"]
    assert lines[1][2:] == ["-", "test.thing.changed", "事项4", "192.0.2.1"]


# --- the console script -------------------------------------------------------------------------------------------


def test_the_console_script_exits_0_then_1_once_a_row_is_edited(tmp_path):
    """The real ``fazhi`` process on an SQLite file: the exit code is what cron and monitoring see."""
    env = {k: v for k, v in os.environ.items() if k != "FAZHI_DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="tests.settings", FAZHI_VAR_DIR=str(tmp_path), PYTHONPATH=str(ROOT))

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)

    written = run("-m", "tests.core.audit_writers", "1", "6")  # migrates, then writes 6 events
    assert written.returncode == 0, written.stderr
    intact = run("-m", "fazhi", "audit", "verify")
    with translation.override(settings.LANGUAGE_CODE):
        summary = ngettext("%(count)d event verified, chain intact", "%(count)d events verified, chain intact", 6) % {
            "count": 6
        }
    assert (intact.returncode, intact.stdout.splitlines()[0]) == (0, summary)
    with sqlite3.connect(tmp_path / "fazhi.sqlite3") as db:
        db.execute(f"UPDATE {TABLE} SET actor_label = 'mallory' WHERE seq = 4")
    broken = run("-m", "fazhi", "audit", "verify")
    assert broken.returncode == 1
    assert "#4" in broken.stderr
