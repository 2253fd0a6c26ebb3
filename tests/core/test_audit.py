"""The audit chain: appending, verifying, catching rows edited or deleted behind the application's
back, recording the request's address, and concurrent writers that never fork the chain."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import path
from django.utils import translation

from fazhi.core.audit import (
    audit_changes,
    audit_head,
    audit_record,
    audit_tail,
    audit_verify,
    canonical_content,
    compute_hash,
)
from fazhi.core.models import GENESIS_HASH, AuditEvent
from fazhi.orgs import services
from fazhi.orgs.models import Org
from tests.core.audit_writers import write_concurrently
from tests.factories import make_user

ROOT = Path(__file__).resolve().parents[2]
TABLE = AuditEvent._meta.db_table


@pytest.fixture(autouse=True)
def in_english():
    """The reasons are checked as their English msgids."""
    with translation.override("en"):
        yield


def record(n: int = 1, *, action: str = "test.thing.changed", **fields) -> list[AuditEvent]:
    events = []
    for i in range(n):
        with transaction.atomic():
            events.append(audit_record(action=action, new={"i": i}, **fields))
    return events


def raw_sql(sql: str, params=()) -> None:
    """Change the table directly, as someone with database access could, bypassing the application."""
    with connection.cursor() as cursor:
        cursor.execute(sql.replace("{table}", connection.ops.quote_name(TABLE)), params)


# --- appending ----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_events_are_numbered_from_one_and_each_links_to_the_one_before():
    first, second, third = record(3)
    assert [first.seq, second.seq, third.seq] == [1, 2, 3]
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    report = audit_verify()
    assert report.ok and report.checked == 3
    assert (report.head_seq, report.head_hash) == (3, third.hash)


@pytest.mark.django_db
def test_an_event_records_actor_object_org_and_values(tree):
    actor = make_user("王审计")
    with transaction.atomic():
        event = audit_record(actor=actor, action="orgs.org.updated", obj=tree.village, old={"a": 1}, new={"a": 2})
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.actor, stored.actor_label) == (actor, "王审计")
    assert (stored.object_type, stored.object_id, stored.object_repr) == ("orgs.org", str(tree.village.pk), "东门村")
    assert stored.org == tree.village
    assert (stored.old, stored.new) == ({"a": 1}, {"a": 2})


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="inside the service's transaction"):
        audit_record(action="test.thing.changed")
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_an_event_rolled_back_with_its_transaction_leaves_no_gap():
    record(1)
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        audit_record(action="test.thing.changed")
        1 / 0  # noqa: B018 - the service fails after auditing
    record(1)
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == [1, 2]
    assert audit_verify().ok


AWKWARD_IPS = [
    ("::ffff:192.0.2.1", "::ffff:192.0.2.1"),  # IPv4-mapped, as a dual-stack server sees IPv4 clients
    ("2001:DB8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
    ("fe80::1%eth0", "fe80::1"),  # zone dropped
    (" 192.0.2.7 ", "192.0.2.7"),
    ("not-an-address", None),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("given", "stored"), AWKWARD_IPS)
def test_addresses_are_stored_in_the_form_the_column_gives_back_so_the_event_verifies(given, stored):
    record(1, ip=given)
    event = AuditEvent.objects.get()
    assert event.ip == stored
    assert compute_hash(event) == event.hash
    assert audit_verify().ok


@pytest.mark.django_db
def test_values_of_every_kind_come_back_unchanged_so_the_event_verifies():
    """jsonb returns 1e20 as an integer and reorders keys: the hash must not depend on either."""
    import decimal
    import uuid

    values = {
        "big float": 1e20,
        "whole float": 3.0,
        "fraction": 0.1,
        "tiny": 1.5e-300,
        "huge int": 10**30,
        "中文": '法治\u2028"quoted"',
        "nested": {"z": [1, 2.5, None, True], "a": {}},
        "date": dt.date(2025, 3, 1),
        "decimal": decimal.Decimal("4.50"),
        "uuid": uuid.UUID(int=7),
        7: "integer key",
    }
    with transaction.atomic():
        audit_record(action="test.thing.changed", old=values, new={"list": [values]})
    event = AuditEvent.objects.get()
    assert event.old["big float"] == 10**20 and event.old["7"] == "integer key"
    assert event.old["decimal"] == "4.50" and event.old["date"] == "2025-03-01"
    assert compute_hash(event) == event.hash
    assert audit_verify().ok


@pytest.mark.django_db
def test_not_a_number_is_refused_rather_than_stored_unverifiably():
    with pytest.raises(ValueError), transaction.atomic():
        audit_record(action="test.thing.changed", new={"x": float("nan")})


@pytest.mark.django_db
def test_the_canonical_form_is_sorted_compact_utf8_json_in_utc():
    (event,) = record(1, object_repr="东门村")
    text = canonical_content(event)
    assert text.startswith('{"action":"test.thing.changed","actor_id":null,"actor_label":""')
    assert '"object_repr":"东门村"' in text and ", " not in text
    assert '"time":"' + event.time.astimezone(dt.UTC).isoformat(timespec="microseconds") in text


# --- verification catches edits behind the application's back -----------------------------------------------------


@pytest.mark.django_db
def test_an_empty_log_verifies():
    report = audit_verify()
    assert report.ok and report.checked == 0


@pytest.mark.django_db
def test_verify_catches_a_changed_value_at_its_seq():
    record(5)
    raw_sql("UPDATE {table} SET new = %s WHERE seq = %s", [json.dumps({"i": 99}), 3])
    report = audit_verify()
    assert not report.ok
    assert report.first_break.seq == 3
    assert "no longer matches its hash" in report.first_break.reason
    assert report.checked == 2


@pytest.mark.django_db
def test_verify_catches_a_changed_actor_name_at_its_seq():
    record(4)
    raw_sql("UPDATE {table} SET actor_label = %s WHERE seq = %s", ["mallory", 2])
    assert audit_verify().first_break.seq == 2


@pytest.mark.django_db
def test_verify_catches_a_changed_time_at_its_seq():
    record(4)
    raw_sql("UPDATE {table} SET time = (SELECT time FROM {table} WHERE seq = 1) WHERE seq = 4")
    assert audit_verify().first_break.seq == 4


@pytest.mark.django_db
def test_verify_catches_a_deleted_row_at_its_seq():
    record(5)
    raw_sql("DELETE FROM {table} WHERE seq = %s", [3])
    report = audit_verify()
    assert report.first_break.seq == 3
    assert "#3 is missing" in report.first_break.reason


@pytest.mark.django_db
def test_verify_catches_the_first_row_deleted():
    record(3)
    raw_sql("DELETE FROM {table} WHERE seq = 1")
    assert audit_verify().first_break.seq == 1


@pytest.mark.django_db
def test_a_row_edited_and_rehashed_breaks_the_link_to_the_next_event():
    """Someone who knows the algorithm recomputes the edited row's hash: the next event's link breaks."""
    record(4)
    event = AuditEvent.objects.get(seq=2)
    event.new = {"i": 99}
    raw_sql("UPDATE {table} SET new = %s, hash = %s WHERE seq = 2", [json.dumps(event.new), compute_hash(event)])
    report = audit_verify()
    assert report.first_break.seq == 3
    assert "hash of event #2" in report.first_break.reason


@pytest.mark.django_db
def test_verify_reports_only_the_first_of_several_breaks():
    record(6)
    raw_sql("UPDATE {table} SET actor_label = 'x' WHERE seq IN (2, 5)")
    raw_sql("DELETE FROM {table} WHERE seq = 4")
    assert audit_verify().first_break.seq == 2


def _rewrite_tail_from(seq: int) -> None:
    """What the chain alone cannot catch: every event from ``seq`` on rewritten and rehashed in order."""
    prev = AuditEvent.objects.get(seq=seq - 1).hash if seq > 1 else GENESIS_HASH
    for event in AuditEvent.objects.filter(seq__gte=seq).order_by("seq"):
        event.new = {"rewritten": True}
        event.prev_hash = prev
        event.hash = compute_hash(event)
        raw_sql(
            "UPDATE {table} SET new = %s, prev_hash = %s, hash = %s WHERE seq = %s",
            [json.dumps(event.new), event.prev_hash, event.hash, event.seq],
        )
        prev = event.hash


@pytest.mark.django_db
def test_a_rewritten_tail_passes_the_chain_but_not_an_anchor_recorded_before():
    record(3)
    anchor = audit_head()
    record(2)
    _rewrite_tail_from(2)
    assert audit_verify().ok  # the limit docs/audit.md states
    report = audit_verify(anchors={anchor.seq: anchor.hash})
    assert report.first_break.seq == 3
    assert "anchor" in report.first_break.reason


@pytest.mark.django_db
def test_a_truncated_tail_passes_the_chain_but_not_an_anchor_recorded_before():
    record(5)
    anchor = audit_head()
    raw_sql("DELETE FROM {table} WHERE seq >= 4")
    assert audit_verify().ok
    report = audit_verify(anchors={anchor.seq: anchor.hash})
    assert report.first_break.seq == 5
    assert "ends at #3" in report.first_break.reason


@pytest.mark.django_db
def test_anchors_that_still_hold_pass():
    record(3)
    anchor = audit_head()
    record(3)
    assert audit_verify(anchors={anchor.seq: anchor.hash.upper()}).ok


@pytest.mark.django_db
def test_verify_reads_in_batches_and_reports_progress():
    record(7)
    calls = []
    report = audit_verify(progress=lambda done, total: calls.append((done, total)), batch_size=3)
    assert report.ok and report.checked == 7
    assert calls == [(3, 7), (6, 7), (7, 7)]


@pytest.mark.django_db
def test_head_and_tail():
    assert audit_head() is None
    record(5)
    assert audit_head().seq == 5
    assert [event.seq for event in audit_tail(count=3)] == [3, 4, 5]


# --- what changed -------------------------------------------------------------------------------------------------


def test_changes_list_only_the_keys_that_differ_sorted():
    changes = audit_changes({"name": "东门村", "code": "1", "gone": 1}, {"name": "东门村（新）", "code": "1", "new": 2})
    assert [(c.key, c.kind, c.old, c.new) for c in changes] == [
        ("gone", "removed", 1, None),
        ("name", "changed", "东门村", "东门村（新）"),
        ("new", "added", None, 2),
    ]


def test_changes_of_a_creation_and_of_an_event_without_values():
    assert [(c.key, c.kind) for c in audit_changes(None, {"b": 1, "a": 2})] == [("a", "added"), ("b", "added")]
    assert audit_changes(None, None) == []
    assert [(c.key, c.kind, c.old, c.new) for c in audit_changes([1], [2])] == [("", "changed", [1], [2])]


# --- the request's address ----------------------------------------------------------------------------------------


def _rename(request, pk: int):
    """A tiny page that changes data through a real service, as every page does."""
    org = Org.objects.get(pk=pk)
    services.org_update(actor=request.user, org=org, name=org.name + "（改）", code=org.code)
    return HttpResponse("ok")


urlpatterns = [path("rename/<int:pk>/", _rename)]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@pytest.mark.parametrize("remote_addr", ["203.0.113.9", "::ffff:203.0.113.9", "2001:db8::9"])
def test_a_change_made_through_a_request_records_its_address(tree, remote_addr):
    response = Client(REMOTE_ADDR=remote_addr).get(f"/rename/{tree.village.pk}/")
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="orgs.org.updated")
    assert event.ip == remote_addr
    assert event.new["name"] == "东门村（改）"
    assert audit_verify().ok


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_the_address_does_not_outlive_its_request(tree):
    Client(REMOTE_ADDR="203.0.113.9").get(f"/rename/{tree.village.pk}/")
    with transaction.atomic():
        event = audit_record(action="test.after.request")
    assert event.ip is None


# --- concurrent writers -------------------------------------------------------------------------------------------

THREADS, PER_THREAD = 8, 25


def _assert_one_unbroken_chain(seqs, written, ok, checked):
    total = THREADS * PER_THREAD
    assert seqs == list(range(1, total + 1)), "sequence numbers are contiguous"
    assert sorted(written) == sorted(f"{n}-{i}" for n in range(THREADS) for i in range(PER_THREAD))
    assert ok and checked == total


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_on_postgresql_never_fork_the_chain():
    """8 threads × 25 events, each thread on its own connection, each event in its own transaction."""
    errors = write_concurrently(threads=THREADS, per_thread=PER_THREAD)
    assert errors == []
    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    written = list(AuditEvent.objects.values_list("object_id", flat=True))
    report = audit_verify()
    _assert_one_unbroken_chain(seqs, written, report.ok, report.checked)


def test_concurrent_writers_on_an_sqlite_file_never_fork_the_chain(tmp_path):
    """The same on the embedded database, a WAL file, in a separate process: pytest-django's
    in-memory SQLite cannot stand in for it (its threads share one cache, where locking differs)."""
    env = {k: v for k, v in os.environ.items() if k != "FAZHI_DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="tests.settings", FAZHI_VAR_DIR=str(tmp_path), PYTHONPATH=str(ROOT))
    run = subprocess.run(
        [sys.executable, "-m", "tests.core.audit_writers", str(THREADS), str(PER_THREAD)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert (result["vendor"], result["journal_mode"]) == ("sqlite", "wal")
    assert result["errors"] == []
    _assert_one_unbroken_chain(result["seqs"], result["written"], result["ok"], result["checked"])
