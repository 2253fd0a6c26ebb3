"""The tamper-evident audit log: append an event, and verify the chain.

Every service that changes data calls :func:`audit_record` inside its own transaction. Events
are chained: each stores the hash of its predecessor and a SHA-256 over its canonical content
plus that predecessor hash, so editing, deleting or reordering a stored event breaks the chain
at that point, and :func:`audit_verify` names the first broken link.

Appends are serialised: on PostgreSQL by a transaction-level advisory lock, on SQLite by the
write lock that ``BEGIN IMMEDIATE`` takes (see ``fazhi.core.env.env_database``). The unique
``prev_hash`` column makes a fork impossible even if that ever failed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.utils import timezone

from fazhi.core.context import request_ip
from fazhi.core.models import GENESIS_HASH, AuditEvent

# pg_advisory_xact_lock key: "FAZHIAUD" read as a 64-bit integer.
_PG_LOCK_KEY = int.from_bytes(b"FAZHIAUD", "big") - (1 << 63)


def _jsonable(value: Any) -> Any:
    """Values as the JSON column will give them back (dates, decimals and UUIDs as strings)."""
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def canonical_content(event: AuditEvent) -> str:
    """The text an event's hash covers: every stored field but the hash itself, in a fixed form."""
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
    """The address in the form the database stores, so the hash matches what is read back."""
    if not ip:
        return None
    try:
        return ipaddress.ip_address(ip).compressed
    except ValueError:
        return None


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
    object_id: str | int = "",
    object_repr: str = "",
    org=None,
    old: dict | None = None,
    new: dict | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Append one event to the chain. Must run inside the caller's transaction.

    ``obj`` (a model instance) fills the object fields; ``org`` defaults to ``obj.org`` or, for
    an organisation, the organisation itself, so the log can be filtered by org subtree.
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
    _lock_chain()
    last = AuditEvent.objects.order_by("-seq").only("seq", "hash").first()
    event = AuditEvent(
        seq=(last.seq + 1) if last else 1,
        time=timezone.now(),
        actor=actor,
        actor_label=(actor.get_username() if actor else "")[:150],
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id != "" else "",
        object_repr=str(object_repr)[:255],
        org=org,
        old=_jsonable(old),
        new=_jsonable(new),
        ip=_normalise_ip(ip if ip is not None else request_ip.get()),
        prev_hash=last.hash if last else GENESIS_HASH,
    )
    event.hash = compute_hash(event)
    event.save(force_insert=True)
    return event


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_break: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.first_break is None


def _events_in_order(batch_size: int = 2000) -> Iterator[AuditEvent]:
    after = 0
    while True:
        batch = list(AuditEvent.objects.filter(seq__gt=after).order_by("seq")[:batch_size])
        if not batch:
            return
        yield from batch
        after = batch[-1].seq


def audit_verify() -> ChainReport:
    """Walk the chain from the first event and report the first broken link, if any."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for event in _events_in_order():
        if event.seq != expected_seq:
            return ChainReport(checked, ChainBreak(expected_seq, f"event #{expected_seq} is missing"))
        if event.prev_hash != expected_prev:
            return ChainReport(
                checked, ChainBreak(event.seq, "its predecessor hash does not match the event before it")
            )
        if compute_hash(event) != event.hash:
            return ChainReport(checked, ChainBreak(event.seq, "its content no longer matches its hash"))
        expected_prev = event.hash
        expected_seq += 1
        checked += 1
    return ChainReport(checked, None)
