"""Changes to scoring standards. Each is one transaction and writes one audit event.

A standard enters the database by import (a parsed file, validated first: nothing is saved when
anything is wrong) or as a new version of another. Only a draft changes: the editing services
refuse a published or retired standard. An edited draft may be inconsistent for a while (leaves
not summing to the total, a node without a rule); :func:`standard_problems` lists what is wrong,
and :func:`standard_publish` refuses while anything is.

- :mod:`.rows`: rows ⇄ :mod:`fazhi.indicators.spec` without loss (one writer for import and new version).
- :mod:`.standards`: whole standards (import, header, publish, retire, new version, delete, shipped).
- :mod:`.editing`: a draft's tree and its bonus and veto items.

Like the other services these do not check who is acting; the view, API or command does that
first through :mod:`fazhi.indicators.selectors`.
"""

from fazhi.indicators.services.editing import (
    bonus_item_add,
    bonus_item_remove,
    bonus_item_update,
    indicator_add,
    indicator_move,
    indicator_remove,
    indicator_update,
    veto_item_add,
    veto_item_remove,
    veto_item_update,
)
from fazhi.indicators.services.rows import rule_of, rule_params, standard_to_spec
from fazhi.indicators.services.standards import (
    UNCHANGED,
    StandardProblems,
    load_shipped_standards,
    standard_delete,
    standard_import,
    standard_new_version,
    standard_problems,
    standard_publish,
    standard_retire,
    standard_update,
)

__all__ = [
    "UNCHANGED",
    "StandardProblems",
    "bonus_item_add",
    "bonus_item_remove",
    "bonus_item_update",
    "indicator_add",
    "indicator_move",
    "indicator_remove",
    "indicator_update",
    "load_shipped_standards",
    "rule_of",
    "rule_params",
    "standard_delete",
    "standard_import",
    "standard_new_version",
    "standard_problems",
    "standard_publish",
    "standard_retire",
    "standard_to_spec",
    "standard_update",
    "veto_item_add",
    "veto_item_remove",
    "veto_item_update",
]
