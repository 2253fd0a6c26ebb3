"""Forms of the scoring-standard pages. They check the shape of what was typed (numbers, required
parameters of the chosen rule kind) and turn points into hundredths; the services enforce the rules
of a standard (codes, where a node may go) and :func:`~fazhi.indicators.services.standard_problems`
judges the whole (sums, tiers order)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fazhi.core.forms import BootstrapForm
from fazhi.indicators import spec
from fazhi.indicators.validation import decimal_text, points_text

RULE_LABELS = {
    spec.MANUAL: gettext_lazy("Manual (a number of points in steps)"),
    spec.CHECKLIST: gettext_lazy("Checklist (items, each with points)"),
    spec.DEDUCTION: gettext_lazy("Deduction (points off per occurrence)"),
    spec.RATIO: gettext_lazy("Ratio (a value from 0 to 1)"),
    spec.TIERS: gettext_lazy("Tiers (a value reaching thresholds)"),
}
EXTRA_ROWS = 2


def hundredths(value: Decimal | None) -> int | None:
    return None if value is None else int((value * 100).to_integral_value())


def points_field(label, *, required=False, help_text=""):
    return forms.DecimalField(
        label=label, required=required, min_value=0, max_digits=9, decimal_places=2, help_text=help_text
    )


def ratio_field(label):
    return forms.DecimalField(label=label, required=False, min_value=0, max_value=1, max_digits=6, decimal_places=4)


class IndicatorForm(BootstrapForm):
    """A node: code, title and, for a leaf, its points and rule with the parameters of its kind.

    Checklist items and tiers arrive as rows of repeated inputs (``item_title``/``item_points``,
    ``tier_min``/``tier_points``); empty rows are ignored.
    """

    code = forms.CharField(label=gettext_lazy("Code"), max_length=64)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=500)
    points = points_field(gettext_lazy("Points"))
    kind = forms.ChoiceField(label=gettext_lazy("Rule"), required=False)
    step = points_field(gettext_lazy("Step"), help_text=gettext_lazy("Reviewers enter points in steps of this size."))
    per = points_field(gettext_lazy("Points off per occurrence"))
    full_at = ratio_field(gettext_lazy("Full points at or above"))
    zero_at = ratio_field(gettext_lazy("Zero at or below"))
    metric = forms.CharField(
        label=gettext_lazy("Metric"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("A ledger measure that will supply the value, e.g. disputes.mediation_success_rate."),
    )
    items = forms.CharField(required=False, widget=forms.HiddenInput)  # carries the errors of the item rows
    tiers = forms.CharField(required=False, widget=forms.HiddenInput)  # carries the errors of the tier rows
    guidance = forms.CharField(
        label=gettext_lazy("Scoring guidance"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.CharField(
        label=gettext_lazy("Expected evidence"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One item per line."),
    )

    def __init__(self, *args, is_branch: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_branch = is_branch
        self.fields["kind"].choices = [("", _("No rule yet"))] + [(kind, RULE_LABELS[kind]) for kind in spec.RULE_KINDS]
        if is_branch:
            for name in ("points", "kind", "step", "per", "full_at", "zero_at", "metric", "items", "tiers"):
                del self.fields[name]
        self.rule: spec.Rule | None = None

    @classmethod
    def initial_for(cls, indicator, rule: spec.Rule | None) -> dict:
        initial = {
            "code": indicator.code,
            "title": indicator.title,
            "points": points_text(indicator.points),
            "guidance": indicator.guidance,
            "evidence": "\n".join(indicator.evidence or ()),
            "kind": rule.kind if rule else "",
        }
        if rule is not None:
            initial |= {
                "step": points_text(rule.step) if rule.step is not None else None,
                "per": points_text(rule.per) if rule.per is not None else None,
                "full_at": rule.full_at,
                "zero_at": rule.zero_at,
                "metric": rule.metric or "",
                "item_rows": [(item.title, points_text(item.points)) for item in rule.items],
                "tier_rows": [(decimal_text(tier.min), points_text(tier.points)) for tier in rule.tiers],
            }
        return initial

    @property
    def rule_kind(self) -> str:
        """The rule kind the form shows: the submitted one, else the initial one."""
        if self.is_bound:
            return self.data.get("kind", "")
        return self.initial.get("kind", "")

    def _rows(self, first: str, second: str) -> list[tuple[str, str]]:
        if self.is_bound:
            rows = list(zip(self.data.getlist(first), self.data.getlist(second), strict=False))
        else:
            rows = list(self.initial.get("item_rows" if first == "item_title" else "tier_rows", ()))
        rows = [(a.strip(), b.strip()) for a, b in rows if a.strip() or b.strip()]
        return rows

    def item_rows(self) -> list[tuple[str, str]]:
        return self._rows("item_title", "item_points") + [("", "")] * EXTRA_ROWS

    def tier_rows(self) -> list[tuple[str, str]]:
        return self._rows("tier_min", "tier_points") + [("", "")] * EXTRA_ROWS

    def _number(self, text: str, field: str, *, row: int, what: str) -> Decimal | None:
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or value < 0 or value != round(value, 4):
            self.add_error(
                field, _("Row %(row)d: %(what)s must be a number of at least 0.") % {"row": row, "what": what}
            )
            return None
        return value

    def clean(self):
        data = super().clean()
        if self.is_branch:
            return data
        kind = data.get("kind") or ""
        if not kind:
            return data
        params: dict = {"kind": kind}
        if kind == spec.MANUAL:
            params["step"] = hundredths(data.get("step")) or spec.DEFAULT_STEP
        elif kind == spec.CHECKLIST:
            items = []
            for row, (title, points) in enumerate(self._rows("item_title", "item_points"), start=1):
                value = self._number(points or "", "items", row=row, what=_("the points"))
                if not title:
                    self.add_error("items", _("Row %(row)d: the item needs a title.") % {"row": row})
                elif value is not None:
                    items.append(spec.ChecklistItem(title, hundredths(value)))
            if not items and "items" not in self.errors:
                self.add_error("items", _("A checklist needs at least one item."))
            params["items"] = tuple(items)
        elif kind == spec.DEDUCTION:
            if data.get("per") is None:
                self.add_error("per", _("Say how many points one occurrence takes off."))
            params["per"] = hundredths(data.get("per"))
        elif kind == spec.RATIO:
            for name in ("full_at", "zero_at"):
                if data.get(name) is None:
                    self.add_error(name, _("A ratio rule needs both thresholds."))
            params |= {"full_at": data.get("full_at"), "zero_at": data.get("zero_at")}
        elif kind == spec.TIERS:
            tiers = []
            for row, (minimum, points) in enumerate(self._rows("tier_min", "tier_points"), start=1):
                low = self._number(minimum, "tiers", row=row, what=_("the threshold"))
                value = self._number(points, "tiers", row=row, what=_("the points"))
                if low is not None and value is not None:
                    tiers.append(spec.Tier(low, hundredths(value)))
            if not tiers and "tiers" not in self.errors:
                self.add_error("tiers", _("A tiers rule needs at least one tier."))
            params["tiers"] = tuple(tiers)
        if kind in (spec.RATIO, spec.TIERS):
            params["metric"] = (data.get("metric") or "").strip() or None
        if not self.errors:
            self.rule = spec.Rule(**params)
        return data

    def evidence_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("evidence", "").splitlines() if line.strip()]

    def points_hundredths(self) -> int:
        return hundredths(self.cleaned_data.get("points")) or 0


class PointsForm(BootstrapForm):
    points = points_field(gettext_lazy("Points"), required=True)


class MoveForm(BootstrapForm):
    parent = forms.ChoiceField(label=gettext_lazy("New parent"), required=False)
    position = forms.IntegerField(
        label=gettext_lazy("Place among its new siblings"),
        min_value=1,
        initial=1,
        help_text=gettext_lazy("1 puts it first."),
    )

    def __init__(self, *args, parents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", _("(level 1: no parent)"))] + [
            (str(node.pk), f"{'— ' * (node.depth - 1)}{node.code} {node.title}") for node in parents
        ]


class NewVersionForm(BootstrapForm):
    version = forms.CharField(
        label=gettext_lazy("New version"),
        max_length=40,
        help_text=gettext_lazy("For example the year it applies to. The copy starts as a draft."),
    )


class ImportForm(BootstrapForm):
    file = forms.FileField(
        label=gettext_lazy("Standard file"),
        help_text=gettext_lazy("A fazhi-standard/1 file: YAML (.yaml, .yml) or Excel (.xlsx)."),
    )
    owner = forms.ChoiceField(label=gettext_lazy("Owner"))

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [(str(org.pk), org.name) for org in owners]


class StandardHeaderForm(BootstrapForm):
    """A draft's header: its code and version stay (a new version is a new standard)."""

    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    source = forms.CharField(
        label=gettext_lazy("Source"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("The document the standard comes from."),
    )
    total = points_field(gettext_lazy("Declared total"), required=True)
    pass_score = points_field(gettext_lazy("Pass score"), help_text=gettext_lazy("Leave empty for none."))
    bonus_cap = points_field(gettext_lazy("Bonus cap"), help_text=gettext_lazy("Leave empty for no cap."))

    @classmethod
    def initial_for(cls, standard) -> dict:
        def text(value):
            return None if value is None else points_text(value)

        return {
            "title": standard.title,
            "source": standard.source,
            "total": text(standard.total),
            "pass_score": text(standard.pass_score),
            "bonus_cap": text(standard.bonus_cap),
        }

    def changes(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "source": data["source"].strip(),
            "total": hundredths(data["total"]),
            "pass_score": hundredths(data.get("pass_score")),
            "bonus_cap": hundredths(data.get("bonus_cap")),
        }


class VetoItemForm(BootstrapForm):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=64)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=500)


class BonusItemForm(VetoItemForm):
    points = points_field(gettext_lazy("Points"), required=True)
