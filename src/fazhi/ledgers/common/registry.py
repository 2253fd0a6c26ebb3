"""The registry of ledgers: each ledger's ``AppConfig.ready`` registers one ``LedgerInfo``.

The navigation, the ledgers' index page and the deadline board read this registry, so a ledger joins them
by registering, and no common module imports a ledger.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Deadline:
    """One thing due: shown on the deadline board of every org whose subtree holds ``org_id``."""

    ledger: str  # the ledger's name, e.g. "documents"
    what: str  # people's words, already translated: "备案（报送上级政府）"
    record: str  # the record's label: "青政规〔2026〕3号 关于…"
    url: str  # the record's page
    org_id: int
    org_name: str
    due: dt.date


# deadlines(scope, start, end): the undone items due from start to end (inclusive) whose org lies in ``scope`` — a
# Q object over ``org__path`` (``orgs.access.scope_q(user, LEDGER_VIEW, "org__path")`` and/or
# ``orgs.models.subtree_q(path, "org__path")``). The board asks from a far past date to today + the "due soon"
# days, and shows what is due before today as overdue.
DeadlineSource = Callable[[object, dt.date, dt.date], Iterable[Deadline]]


@dataclass(frozen=True)
class LedgerInfo:
    name: str  # "documents", "decisions", "enforcement", "disputes", "study"
    title: str  # lazy translation: "Normative documents"
    index_url_name: str  # the ledger's front page
    order: int  # position in the navigation
    deadlines: DeadlineSource | None = None
    # daily(today) → a one-line summary: the ledger's periodic job (e.g. documents past their expiry date become
    # expired, audited), run by `fazhi ledgers daily` (cron or a systemd timer, docs/deployment.md).
    daily: Callable[[dt.date], str] | None = None


_LEDGERS: dict[str, LedgerInfo] = {}


def register_ledger(info: LedgerInfo) -> None:
    _LEDGERS[info.name] = info


def ledgers() -> list[LedgerInfo]:
    return sorted(_LEDGERS.values(), key=lambda info: info.order)


def ledger(name: str) -> LedgerInfo:
    return _LEDGERS[name]


# The spreadsheet importers of every ledger, by key ("documents", "disputes.mediation", …): the `fazhi ledgers`
# command and the ledgers' import pages find them here. Each ledger registers its own in AppConfig.ready.
_IMPORTERS: dict[str, type] = {}


def register_importer(key: str, importer: type) -> None:
    _IMPORTERS[key] = importer


def importers() -> dict[str, type]:
    return dict(sorted(_IMPORTERS.items()))


def unregister_ledger(name: str) -> None:
    """Forget a ledger (tests that register a fake one clean up with this)."""
    _LEDGERS.pop(name, None)


def unregister_importer(key: str) -> None:
    _IMPORTERS.pop(key, None)
