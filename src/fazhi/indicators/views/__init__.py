"""The scoring-standard pages (see :mod:`.standards` and :mod:`.editing`)."""

from fazhi.indicators.views.editing import (
    bonus_item_add,
    bonus_item_edit,
    bonus_item_remove,
    indicator_add,
    indicator_edit,
    indicator_move,
    indicator_points,
    indicator_remove,
    standard_edit,
    veto_item_add,
    veto_item_edit,
    veto_item_remove,
)
from fazhi.indicators.views.standards import (
    standard_detail,
    standard_diff,
    standard_export,
    standard_import,
    standard_list,
    standard_new_version,
    standard_publish,
    standard_retire,
)

__all__ = [
    "bonus_item_add",
    "bonus_item_edit",
    "bonus_item_remove",
    "indicator_add",
    "indicator_edit",
    "indicator_move",
    "indicator_points",
    "indicator_remove",
    "standard_detail",
    "standard_diff",
    "standard_edit",
    "standard_export",
    "standard_import",
    "standard_list",
    "standard_new_version",
    "standard_publish",
    "standard_retire",
    "veto_item_add",
    "veto_item_edit",
    "veto_item_remove",
]
