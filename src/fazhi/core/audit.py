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


def _jsonable(value: Any) -> Any:
    """Values as the JSON column will give them back (dates, decimals and UUIDs as strings,
    keys as strings, whole floats as integers). NaN and infinities are refused."""
    if value is None:
        return None
    text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, allow_nan=False)
    return json.loads(text, parse_float=_parse_float)


def canonical_content(event: AuditEvent) -> str:
    """The text an event's hash covers: every stored field but the hash itself, in a fixed form.

    Sorted keys, no spaces, UTF-8 (not ``\\u`` escapes), time in UTC to the microsecond.
    """
    content = {
        "seq": event.seq,
        "time": event.time.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "org_id": event.org_id,
        "old": event.old,
        "new": event.new,
        "ip": event.ip,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


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
    would append for each in turn, chained under one lock and written with bulk inserts (for
    imports of thousands of records, where one INSERT per event dominated). Returns the count."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record_many must be called inside the service's transaction")
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    actor_label = (actor.get_username() if actor else "")[:150]
    ip = _normalise_ip(ip if ip is not None else request_ip.get())
    _lock_chain()
    last = AuditEvent.objects.order_by("-seq").only("seq", "hash").first()
    seq, prev_hash = (last.seq, last.hash) if last else (0, GENESIS_HASH)
    now = timezone.now()
    events = []
    for obj, old, new in entries:
        seq += 1
        event = AuditEvent(
            seq=seq,
            time=now,
            actor=actor,
            actor_label=actor_label,
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            object_repr=str(obj)[:255],
            org=obj if obj._meta.label_lower == "orgs.org" else getattr(obj, "org", None),
            old=_jsonable(old),
            new=_jsonable(new),
            ip=ip,
            prev_hash=prev_hash,
        )
        event.hash = prev_hash = compute_hash(event)
        events.append(event)
    AuditEvent.objects.bulk_create(events, batch_size=500)
    return len(events)


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
