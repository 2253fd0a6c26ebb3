"""What the ledgers' spreadsheet importers share: who may use one, and the optional export.

A ledger registers its importers by key (``registry.register_importer("documents", DocumentImporter)``); the one
import page ``/ledgers/import/<key>/`` and the ``fazhi ledgers import|export|template`` commands find them there.
Besides :class:`fazhi.core.import_spec.Importer`'s declarations an importer may set:

- ``capability`` (default ``orgs.roles.LEDGER_EDIT``): the capability a user must hold somewhere to open the import
  page or run the command; the importer itself still checks each row's organisation against the actor's scope.
  An importer with a rule that is not a capability defines the classmethod ``allowed(user) -> bool`` instead.
- ``export_rows(scope) -> Iterable[dict]`` (a classmethod or staticmethod): the records whose org lies in ``scope``
  (a Q over ``org__path``, like a deadline source), each as a dict keyed by the importer's column keys, in the
  form the import reads back — so an export imports again. When it is defined, ``fazhi ledgers export KEY`` and
  the import page's export link work.

:class:`LedgerImporter` is a convenient base with these defaults.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy

from fazhi.core.audit import audit_record
from fazhi.core.import_spec import Importer
from fazhi.ledgers.common import registry
from fazhi.orgs import roles
from fazhi.orgs.access import has_any_capability, scope_q
from fazhi.orgs.models import subtree_q


class LedgerImporter(Importer):
    """An importer of a ledger: who may use it and, optionally, an export in the same columns."""

    capability: ClassVar[str] = roles.LEDGER_EDIT
    # Define as ``@classmethod def export_rows(cls, scope: Q) -> Iterable[dict]`` to offer an export.
    export_rows: ClassVar[Any] = None


def importer_for(key: str) -> type[Importer] | None:
    """The importer registered under ``key``, or None."""
    return registry.importers().get(key)


def importer_allowed(importer: type[Importer], user) -> bool:
    """Whether ``user`` may open the importer's page (and run it from the command line)."""
    allowed = getattr(importer, "allowed", None)
    if callable(allowed):
        return bool(allowed(user))
    return has_any_capability(user, getattr(importer, "capability", roles.LEDGER_EDIT))


def importer_exports(importer: type[Importer]) -> bool:
    return callable(getattr(importer, "export_rows", None))


def export_scope(user=None, org=None) -> Q:
    """The Q over ``org__path`` an export covers: the user's LEDGER_VIEW scope (everything without a user), within
    ``org``'s subtree when one is given."""
    scope = scope_q(user, roles.LEDGER_VIEW, "org__path") if user is not None else Q()
    if org is not None:
        scope &= subtree_q(org.path, "org__path")
    return scope


EXPORTED = "ledgers.exported"
ACTION_LABELS = {EXPORTED: gettext_lazy("Ledger exported")}


def export_dicts(importer: type[Importer], scope: Q, *, actor, key: str, org=None) -> list[dict]:
    """The rows of an export, and an audit event saying who exported what (ledgers hold personal data: PIPL)."""
    rows = list(importer.export_rows(scope))
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=EXPORTED,
            object_type="ledgers.export",
            object_repr=key,
            org=org,
            new={"importer": key, "org": org.code if org is not None else None, "rows": len(rows)},
        )
    return rows
