"""The bulk audit writer (``audit_record_many``) writes exactly the events ``audit_record`` writes one by one: the
same stored row, the same canonical content, the same hash; and the JSON normalisation without a text round trip
gives what the round trip gives."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import json
import uuid

import pytest
from django.db import connection, transaction
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from fazhi.core import audit
from fazhi.core.audit import audit_record, audit_record_many, audit_verify, canonical_content, compute_hash
from fazhi.core.models import AuditEvent
from tests.factories import make_user

TABLE = AuditEvent._meta.db_table
COLUMNS = [f.column for f in AuditEvent._meta.concrete_fields if f.name != "id"]
FROZEN = dt.datetime(2026, 12, 1, 6, 30, 15, 123456, tzinfo=dt.UTC)


class Colour(enum.StrEnum):
    RED = "red"


class Size(enum.IntEnum):
    BIG = 3


class Rollback(Exception):
    pass


def stored_rows(after: int) -> list[tuple]:
    """The rows after ``after`` as the database holds them (every column but the id; on PostgreSQL as text)."""
    quote = connection.ops.quote_name
    cast = "CAST({} AS TEXT)" if connection.vendor == "postgresql" else "{}"
    columns = ", ".join(cast.format(quote(column)) for column in COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {quote(TABLE)} WHERE {quote('seq')} > %s ORDER BY {quote('seq')}", [after]
        )
        return cursor.fetchall()


def events(after: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(seq__gt=after).order_by("seq"))


def head() -> int:
    """The last seq (the test tree is built through the services, which audit)."""
    last = AuditEvent.objects.order_by("-seq").first()
    return last.seq if last else 0


AWKWARD = {
    "big float": 1e20,
    "whole float": 3.0,
    "negative zero": -0.0,
    "fraction": 0.1,
    "tiny": 1.5e-300,
    "huge int": 10**30,
    "中文": '法治\u2028"quoted"\\',
    "nested": {"z": [1, 2.5, None, True, (4, "元组")], "a": {}},
    "date": dt.date(2025, 3, 1),
    "moment": dt.datetime(2025, 3, 1, 8, 0, 0, 123456, tzinfo=dt.UTC),
    "naive": dt.datetime(2025, 3, 1, 8, 0),
    "clock": dt.time(9, 30, 0, 500),
    "span": dt.timedelta(days=2, seconds=5),
    "decimal": decimal.Decimal("4.50"),
    "uuid": uuid.UUID(int=7),
    "enum": Colour.RED,
    "int enum": Size.BIG,
    7: "integer key",
    True: "bool key",
    None: "none key",
}


@pytest.mark.django_db
def test_the_bulk_writer_stores_what_the_single_writer_stores_row_for_row(tree, monkeypatch):
    """Same input, both paths, from the same chain head: the stored rows (every column, as the database holds
    them), the canonical content and the hashes are identical, and the chain verifies."""
    monkeypatch.setattr(audit.timezone, "now", lambda: FROZEN)
    actor = make_user("王导入")
    start = head()  # the tree's events: the chain does not start at the genesis hash
    snapshot = {
        "title": "青山县城市道路管理暂行办法",
        "provisional": True,
        "registered_on": dt.date(2025, 4, 15),
        "number_serial": 3,
        "registering_office_id": tree.county.pk,
    }
    entries = [
        (tree.county, None, snapshot),
        (tree.village, {"name": "东门村"}, {"name": "东门村委会"}),
        (tree.township, AWKWARD, {"list": [AWKWARD], "empty": {}}),
        (tree.school, {}, None),
        (tree.justice_bureau, None, None),
    ]
    ip = "2001:DB8:0:0:1:0:0:1"

    single: list[tuple] = []
    try:
        with transaction.atomic():
            for obj, old, new in entries:
                audit_record(actor=actor, action="test.imported", obj=obj, old=old, new=new, ip=ip)
            single = stored_rows(start)
            single_events = events(start)
            raise Rollback
    except Rollback:
        pass
    assert len(single) == len(entries)

    with transaction.atomic():
        assert audit_record_many(actor=actor, action="test.imported", entries=iter(entries), ip=ip) == len(entries)
    many = stored_rows(start)
    many_events = events(start)

    assert many == single
    assert [canonical_content(e) for e in many_events] == [canonical_content(e) for e in single_events]
    assert [e.hash for e in many_events] == [e.hash for e in single_events]
    assert all(compute_hash(e) == e.hash for e in many_events)
    assert many_events[0].org_id == tree.county.pk and many_events[0].new["registered_on"] == "2025-04-15"
    assert many_events[2].old["7"] == "integer key" and many_events[2].old["big float"] == 10**20
    assert many_events[2].ip == "2001:db8::1:0:0:1" and many_events[2].actor == actor
    assert audit_verify().ok


@pytest.mark.django_db
def test_the_bulk_writer_files_each_event_under_the_objects_org(tree):
    class Record:
        """A record of a ledger: filed under its org."""

        class _meta:  # noqa: N801 - as a model's
            label_lower = "ledger.record"

        def __init__(self, pk, org):
            self.pk, self.org = pk, org

        def __str__(self):
            return f"记录{self.pk}"

    with transaction.atomic():
        audit_record_many(action="test.imported", entries=[(Record(1, tree.village), None, {"a": 1})])
    event = AuditEvent.objects.get(action="test.imported")
    assert (event.object_type, event.object_id, event.object_repr, event.org_id) == (
        "ledger.record",
        "1",
        "记录1",
        tree.village.pk,
    )
    assert (event.actor_id, event.ip) == (None, None)


@pytest.mark.django_db(transaction=True)
def test_the_bulk_writer_refuses_outside_a_transaction():
    with pytest.raises(RuntimeError, match="inside the service's transaction"):
        audit_record_many(action="test.imported", entries=[])
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_a_refused_value_in_the_bulk_writer_writes_no_event(tree):
    start = head()
    with pytest.raises(ValueError), transaction.atomic():
        audit_record_many(
            action="test.imported", entries=[(tree.county, None, {"a": 1}), (tree.village, None, {"x": float("inf")})]
        )
    assert head() == start


@pytest.mark.django_db
def test_many_events_written_in_several_batches_chain_and_verify(tree, monkeypatch):
    monkeypatch.setattr(audit, "_BATCH", 7)
    start = head()
    with transaction.atomic():
        audit_record(action="test.before")
        audit_record_many(action="test.imported", entries=((tree.county, None, {"i": i}) for i in range(30)))
        audit_record(action="test.after")
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == list(range(1, start + 33))
    assert AuditEvent.objects.get(seq=start + 17).new == {"i": 15}
    report = audit_verify()
    assert report.ok and report.checked == start + 32


# --- the normalisation without a round trip -------------------------------------------------------------------------


def exact(value) -> str:
    """Text that tells apart what == does not (1, 1.0 and True; key order)."""
    return json.dumps(value, ensure_ascii=False) + "|" + repr(value)


def both(value):
    """What each way gives: the value, or the exception's type and message."""
    outcomes = []
    for fn in (audit._jsonable, audit._jsonable_round_trip):
        try:
            outcomes.append(exact(fn(value)))
        except (ValueError, TypeError) as exc:
            outcomes.append((type(exc), str(exc)))
    return outcomes


def test_awkward_values_normalise_as_the_round_trip_does():
    first, second = both(AWKWARD)
    assert first == second
    assert audit._jsonable(AWKWARD)["nested"]["z"][4] == [4, "元组"]


@pytest.mark.parametrize(
    "value",
    [float("nan"), {"x": float("-inf")}, {"t": dt.time(9, 0, tzinfo=dt.UTC)}, {"o": object()}, {(1, 2): "tuple key"}],
)
def test_what_the_round_trip_refuses_is_refused_alike(value):
    first, second = both(value)
    assert first == second and isinstance(first, tuple)


def test_a_reference_cycle_is_refused_as_the_round_trip_refuses_it():
    value: dict = {}
    value["self"] = [value]
    with pytest.raises(ValueError, match="Circular reference"):
        audit._jsonable(value)


SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
    | st.dates()
    | st.datetimes(timezones=st.none() | st.just(dt.UTC) | st.just(dt.timezone(dt.timedelta(hours=8))))
    | st.decimals(allow_nan=False)
    | st.uuids()
    | st.sampled_from([Colour.RED, Size.BIG])
)
KEYS = st.text(max_size=5) | st.integers(-3, 3) | st.booleans() | st.none() | st.sampled_from([Colour.RED, "red"])
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.lists(inner, max_size=3).map(tuple) | st.dictionaries(KEYS, inner, max_size=4)
    ),
    max_leaves=20,
)


@hsettings(max_examples=400, deadline=None)
@given(VALUES)
def test_random_values_normalise_as_the_round_trip_does(value):
    first, second = both(value)
    assert first == second
