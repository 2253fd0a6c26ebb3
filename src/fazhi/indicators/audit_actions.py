"""Labels of the audit actions the indicators app writes (registered in ``IndicatorsConfig.ready``)."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "indicators.standard.imported": _("Scoring standard imported"),
    "indicators.standard.updated": _("Scoring standard edited"),
    "indicators.standard.published": _("Scoring standard published"),
    "indicators.standard.retired": _("Scoring standard retired"),
    "indicators.standard.version_created": _("New version of a scoring standard"),
    "indicators.standard.deleted": _("Draft scoring standard deleted"),
    "indicators.indicator.added": _("Indicator added"),
    "indicators.indicator.updated": _("Indicator edited"),
    "indicators.indicator.moved": _("Indicator moved"),
    "indicators.indicator.removed": _("Indicator removed"),
    "indicators.bonus_item.added": _("Bonus item added"),
    "indicators.bonus_item.updated": _("Bonus item edited"),
    "indicators.bonus_item.removed": _("Bonus item removed"),
    "indicators.veto_item.added": _("Veto item added"),
    "indicators.veto_item.updated": _("Veto item edited"),
    "indicators.veto_item.removed": _("Veto item removed"),
}
