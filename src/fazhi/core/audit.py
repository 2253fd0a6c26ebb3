"""The tamper-evident audit log: append an event, verify the chain, read its head and tail.

Every service that changes data calls :func:`audit_record` inside its own transaction. Events
are chained: each stores the hash of its predecessor and a SHA-256 over its canonical content
plus that predecessor hash, so editing, deleting or reordering a stored event breaks the chain
at that point, and :func:`audit_verify` names the first broken link. ``docs/audit.md`` says what
this proves and what it cannot.

Appends are serialised: on PostgreSQL by a transaction-level advisory lock, on SQLite by the
write lock that ``BEGIN IMMEDIATE`` takes (see ``fazhi.core.env.env_database``). The unique
``prev_hash`` column makes a fork impossible even if that ever failed: the second writer's
INSERT fails instead.

The hash is computed from the values *as the database will give them back*: JSON values are
normalised the way PostgreSQL's ``jsonb`` returns them and IP addresses the way the column stores
them, so that a stored event always verifies on the database it was written to.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext

from fazhi.core.context import request_ip
from fazhi.core.models import GENESIS_HASH, AuditEvent

# Action code -> a label for people, filled by each app (``register_action_labels`` in its
# ``AppConfig.ready``); pages show the label beside the code, and the code alone when none is known.
ACTION_LABELS: dict[str, Any] = {}


def register_action_labels(labels: dict[str, Any]) -> None:
    ACTION_LABELS.update(labels)


def action_label(action: str):
    return ACTION_LABELS.get(action, "")


# pg_advisory_xact_lock key: "FAZHIAUD" read as a 64-bit integer.
_PG_LOCK_KEY = int.from_bytes(b"FAZHIAUD", "big") - (1 << 63)

_IP_FIELD = AuditEvent._meta.get_field("ip")

# ---------------------------------------------------------------------------------------------
# Canonical form and hash
# ---------------------------------------------------------------------------------------------


def _parse_float(text: str) -> float | int:
    """1e20 comes back from ``jsonb`` as the integer 100000000000000000000: store it so already."""
    value = float(text)
    return int(value) if value.is_integer() else value


def _jsonable_round_trip(value: Any) -> Any:
    """The definition of :func:`_jsonable`: encode with Django's encoder and parse back."""
    text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, allow_nan=False)
    return json.loads(text, parse_float=_parse_float)


class _Unusual(Exception):
    """A value :func:`_normalised` leaves to the JSON round trip (subclasses of the JSON types, keys that are not
    strings, NaN and the infinities, a reference cycle): rare, and the round trip gives them the exact form."""


_ENCODER_DEFAULT = DjangoJSONEncoder().default
# Subclasses of these are encoded by ``json`` as the base type (a str enum as its text, a bool key as "true", …).
_JSON_NATIVE = (str, int, float, list, tuple, dict)
_INF = float("inf")


def _normalised(value: Any) -> Any:
    """What :func:`_jsonable_round_trip` gives, without encoding text: the same dispatch as ``json``'s encoder
    (exact JSON types kept, lists and tuples as lists, whole floats as integers, anything else through
    ``DjangoJSONEncoder.default`` and then normalised in turn). Raises :class:`_Unusual` where that is not certain."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is dict:
        out = {}
        for key, item in value.items():
            if type(key) is not str:
                raise _Unusual
            # The usual snapshot values inline (a call per value was most of the cost).
            item_kind = type(item)
            if item_kind is str or item_kind is int or item_kind is bool or item is None:
                out[key] = item
            elif item_kind is dt.date:
                out[key] = item.isoformat()
            else:
                out[key] = _normalised(item)
        return out
    if kind is list or kind is tuple:
        return [_normalised(item) for item in value]
    if kind is float:
        if value != value or value in (_INF, -_INF):
            raise _Unusual
        return int(value) if value.is_integer() else value
    if kind is dt.date:
        return value.isoformat()
    if isinstance(value, _JSON_NATIVE):
        raise _Unusual
    return _normalised(_ENCODER_DEFAULT(value))


def _jsonable(value: Any) -> Any:
    """Values as the JSON column will give them back (dates, decimals and UUIDs as strings,
    keys as strings, whole floats as integers). NaN and infinities are refused.

    Exactly ``json.loads(json.dumps(value, cls=DjangoJSONEncoder))`` with whole floats parsed as integers
    (:func:`_jsonable_round_trip`), computed without the text for the usual values."""
    if value is None:
        return None
    try:
        return _normalised(value)
    except (_Unusual, RecursionError):
        return _jsonable_round_trip(value)


def canonical_content(event: AuditEvent) -> str:
    """The text an event's hash covers: every stored field but the hash itself, in a fixed form.

    Sorted keys, no spaces, UTF-8 (not ``\\u`` escapes), time in UTC to the microsecond.
    """
    return _canonical_text(
        seq=event.seq,
        time=_canonical_time(event.time),
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        object_repr=event.object_repr,
        org_id=event.org_id,
        old=event.old,
        new=event.new,
        ip=event.ip,
        prev_hash=event.prev_hash,
    )


# json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")), without a new encoder each time.
_CANONICAL_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _canonical_text(**content: Any) -> str:
    return _CANONICAL_ENCODER.encode(content)


def _canonical_time(time: dt.datetime) -> str:
    return time.astimezone(dt.UTC).isoformat(timespec="microseconds")


def compute_hash(event: AuditEvent) -> str:
    return hashlib.sha256(canonical_content(event).encode("utf-8")).hexdigest()


def _normalise_ip(ip: str | None) -> str | None:
    """The address in the form the column stores it (Django's own preparation: IPv6 compressed,
    IPv4-mapped addresses as ``::ffff:1.2.3.4``, no zone), so the hash matches what is read back.
    Anything that is not an IP address is dropped."""
    if not ip:
        return None
    ip = ip.strip()
    try:
        ipaddress.ip_address(ip)
    except ValueError:
        return None
    return _IP_FIELD.get_prep_value(ip)


# ---------------------------------------------------------------------------------------------
# Appending
# ---------------------------------------------------------------------------------------------


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])


def audit_record(
    *,
    actor=None,
    action: str,
    obj=None,
    object_type: str = "",
    object_id: str | int | None = "",
    object_repr: str = "",
    org=None,
    old: dict | None = None,
    new: dict | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Append one event to the chain. Must run inside the caller's transaction.

    ``obj`` (a model instance) fills the object fields; ``org`` defaults to ``obj.org`` or, for
    an organisation, the organisation itself, so the log can be filtered by org subtree (an event
    with no org is visible to superusers only). ``ip`` defaults to the current request's address.

    The chain stays locked from here until the caller's transaction ends, so call this after the
    service's last row lock: taking a row lock after it can deadlock with a writer that holds
    that row and waits for the chain.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must be called inside the service's transaction")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        object_repr = object_repr or str(obj)
        if org is None:
            org = obj if obj._meta.label_lower == "orgs.org" else getattr(obj, "org", None)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    old, new = _jsonable(old), _jsonable(new)
    ip = _normalise_ip(ip if ip is not None else request_ip.get())
    _lock_chain()
    last = AuditEvent.objects.order_by("-seq").only("seq", "hash").first()
    event = AuditEvent(
        seq=(last.seq + 1) if last else 1,
        time=timezone.now(),
        actor=actor,
        actor_label=(actor.get_username() if actor else "")[:150],
        action=action,
        object_type=object_type,
        object_id="" if object_id in ("", None) else str(object_id),
        object_repr=str(object_repr)[:255],
        org=org,
        old=old,
        new=new,
        ip=ip,
        prev_hash=last.hash if last else GENESIS_HASH,
    )
    event.hash = compute_hash(event)
    event.save(force_insert=True)
    return event


def audit_record_many(
    *, actor=None, action: str, entries: Iterable[tuple[Any, dict | None, dict | None]], ip: str | None = None
) -> int:
    """Append one event per ``(obj, old, new)`` in ``entries``: the events :func:`audit_record`
    would append for each in turn (same content, same hashes), chained under one lock and written
    as plain rows (for imports of thousands of records, where building and saving one model
    instance per event dominated). Returns the count."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record_many must be called inside the service's transaction")
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    actor_id = _saved_pk(actor, "actor")
    actor_label = (actor.get_username() if actor else "")[:150]
    ip = _normalise_ip(ip if ip is not None else request_ip.get())
    _lock_chain()
    last = AuditEvent.objects.order_by("-seq").only("seq", "hash").first()
    seq, prev_hash = (last.seq, last.hash) if last else (0, GENESIS_HASH)
    now = timezone.now()
    time = _canonical_time(now)
    rows = []
    for obj, old, new in entries:
        seq += 1
        object_type = obj._meta.label_lower
        object_id = str(obj.pk)
        object_repr = str(obj)[:255]
        org_id = _saved_pk(obj if object_type == "orgs.org" else getattr(obj, "org", None), "org")
        old, new = _jsonable(old), _jsonable(new)
        text = _canonical_text(
            seq=seq,
            time=time,
            actor_id=actor_id,
            actor_label=actor_label,
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr,
            org_id=org_id,
            old=old,
            new=new,
            ip=ip,
            prev_hash=prev_hash,
        )
        event_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
        rows.append(
            (seq, actor_id, action, object_type, object_id, object_repr, org_id, old, new, prev_hash, event_hash)
        )
        prev_hash = event_hash
    _insert_events(rows, time=now, actor_label=actor_label, ip=ip)
    return len(rows)


def _saved_pk(instance, name: str) -> int | None:
    """The primary key a foreign key to ``instance`` stores (as ``Model.save`` would, refusing an unsaved one)."""
    if instance is None:
        return None
    if instance.pk is None:
        raise ValueError(f"audit_record_many() prohibited to prevent data loss due to unsaved related object '{name}'.")
    return instance.pk


_BATCH = 2000


def _insert_events(rows: list[tuple], *, time: dt.datetime, actor_label: str, ip: str | None) -> None:
    """Write the events as plain rows, as ``AuditEvent.objects.bulk_create`` would store them (JSON values
    encoded as the JSONField encodes them, SQL NULL for None): ``COPY`` on PostgreSQL, one INSERT executed
    for each batch of rows elsewhere. ``rows``: (seq, actor_id, action, object_type, object_id, object_repr,
    org_id, old, new, prev_hash, hash); the time, actor name and address are the same for all."""
    if not rows:
        return
    meta = AuditEvent._meta
    quote = connection.ops.quote_name
    names = ("seq", "time", "actor", "actor_label", "action", "object_type", "object_id", "object_repr", "org")
    names += ("old", "new", "ip", "prev_hash", "hash")
    columns = ", ".join(quote(meta.get_field(name).column) for name in names)
    dumps = json.dumps  # what JSONField.get_db_prep_value uses (``adapt_json_value`` with no encoder)

    def values(time_value, ip_value):
        for seq, actor_id, action, object_type, object_id, object_repr, org_id, old, new, prev, event_hash in rows:
            yield (
                seq,
                time_value,
                actor_id,
                actor_label,
                action,
                object_type,
                object_id,
                object_repr,
                org_id,
                None if old is None else dumps(old),
                None if new is None else dumps(new),
                ip_value,
                prev,
                event_hash,
            )

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
                for value in values(time, ip):
                    copy.write_row(value)
            return
        sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(names))})"
        time_value = meta.get_field("time").get_db_prep_save(time, connection)
        ip_value = meta.get_field("ip").get_db_prep_save(ip, connection)
        batch = []
        for value in values(time_value, ip_value):
            batch.append(value)
            if len(batch) == _BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


# ---------------------------------------------------------------------------------------------
# Verifying
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainBreak:
    """The first link that does not hold: the event's sequence number and why (translated)."""

    seq: int
    reason: str


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_break: ChainBreak | None
    head_seq: int = 0
    head_hash: str = GENESIS_HASH

    @property
    def ok(self) -> bool:
        return self.first_break is None


Progress = Callable[[int, int], None]


def _events_in_order(batch_size: int) -> Iterator[AuditEvent]:
    """Every event by ascending seq, read in batches (keyset pagination: each batch one index scan)."""
    after = 0
    while True:
        batch = list(AuditEvent.objects.filter(seq__gt=after).order_by("seq")[:batch_size])
        if not batch:
            return
        yield from batch
        after = batch[-1].seq


def _link_problem(event: AuditEvent, expected_seq: int, expected_prev: str, anchors: Mapping[int, str]) -> str | None:
    if event.seq != expected_seq:
        return gettext("event #%(seq)d is missing: deleted, or its sequence number was changed") % {"seq": expected_seq}
    if event.prev_hash != expected_prev:
        if expected_seq == 1:
            return gettext("the first event does not start from the genesis hash")
        return gettext(
            "its predecessor hash does not match the hash of event #%(prev)d: "
            "one of the two was altered, or an event was replaced"
        ) % {"prev": expected_seq - 1}
    if compute_hash(event) != event.hash:
        return gettext("its content no longer matches its hash: the row was altered after it was written")
    anchored = anchors.get(event.seq)
    if anchored is not None and anchored != event.hash:
        return gettext("its hash differs from the anchor recorded for it: the chain was rewritten up to here")
    return None


def audit_verify(
    *, anchors: Mapping[int, str] | None = None, progress: Progress | None = None, batch_size: int = 2000
) -> ChainReport:
    """Walk the chain from the first event and report the first broken link, if any.

    ``anchors`` maps sequence numbers to head hashes recorded earlier outside the database
    (``fazhi audit head``); each must still be in the chain with the same hash, which catches a
    rewritten or truncated tail that the chain alone cannot. ``progress(done, total)`` is called
    after every batch.
    """
    anchors = {int(seq): value.lower() for seq, value in (anchors or {}).items()}
    total = AuditEvent.objects.count() if progress else 0
    expected_prev, expected_seq, checked = GENESIS_HASH, 1, 0
    for event in _events_in_order(batch_size):
        problem = _link_problem(event, expected_seq, expected_prev, anchors)
        if problem:
            return ChainReport(checked, ChainBreak(expected_seq, problem), expected_seq - 1, expected_prev)
        expected_prev, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
        if progress and checked % batch_size == 0:
            progress(checked, total)
    if progress:
        progress(checked, max(total, checked))
    beyond = sorted(seq for seq in anchors if seq >= expected_seq)
    if beyond:
        reason = gettext(
            "an anchor was recorded for event #%(seq)d but the log ends at #%(last)d: events were removed from the end"
        ) % {"seq": beyond[0], "last": expected_seq - 1}
        return ChainReport(checked, ChainBreak(beyond[0], reason), expected_seq - 1, expected_prev)
    return ChainReport(checked, None, expected_seq - 1, expected_prev)


# ---------------------------------------------------------------------------------------------
# Reading: head, tail, and what changed
# ---------------------------------------------------------------------------------------------


def audit_head() -> AuditEvent | None:
    """The latest event: its seq and hash are what operators record elsewhere as an anchor."""
    return AuditEvent.objects.order_by("-seq").first()


def audit_tail(*, count: int) -> list[AuditEvent]:
    """The last ``count`` events, oldest first (for operators; not scoped to a user)."""
    return list(AuditEvent.objects.order_by("-seq")[: max(0, count)])[::-1]


@dataclass(frozen=True)
class AuditChange:
    """One key of an event's values: ``kind`` is ``added``, ``removed`` or ``changed``."""

    key: str
    kind: str
    old: Any = None
    new: Any = None


def audit_changes(old: Any, new: Any) -> list[AuditChange]:
    """The keys whose values differ between ``old`` and ``new``, sorted by key (unchanged keys left
    out). Values that are not objects are compared as a whole, under the key ``""``."""
    if not isinstance(old, dict) or not isinstance(new, dict):
        if old is None and isinstance(new, dict):
            old = {}
        elif new is None and isinstance(old, dict):
            new = {}
        else:
            if old == new:
                return []
            kind = "added" if old is None else "removed" if new is None else "changed"
            return [AuditChange("", kind, old, new)]
    changes = []
    for key in sorted(set(old) | set(new)):
        if key not in old:
            changes.append(AuditChange(key, "added", None, new[key]))
        elif key not in new:
            changes.append(AuditChange(key, "removed", old[key], None))
        elif old[key] != new[key]:
            changes.append(AuditChange(key, "changed", old[key], new[key]))
    return changes
