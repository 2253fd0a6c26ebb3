"""Forms of the review area. They check the shape of input only; the services judge the answers (ranges,
steps, checklist items) so the page and the API refuse the same things with the same words."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from fazhi.indicators import spec
from fazhi.indicators.scoring import points_text


class SheetForm(forms.Form):
    """One field per leaf in the form its rule asks for, a comment per leaf, a box per bonus item.

    Field names are positional (``leaf_3``, ``comment_3``, ``bonus_0``) since indicator codes contain dots.
    A checklist with no box ticked is not answered yet; "none of these items" (``none_3``) answers it with
    no item satisfied, so that a forgotten checklist is named at submission instead of scoring 0."""

    def __init__(self, *args, rows, bonus, disabled: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows, self.bonus_items = rows, bonus
        for index, row in enumerate(rows):
            self.fields[f"leaf_{index}"] = self._leaf_field(row)
            self.fields[f"comment_{index}"] = forms.CharField(
                label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 1})
            )
            if row.kind == spec.CHECKLIST:
                self.fields[f"none_{index}"] = forms.BooleanField(label=_("None of these items"), required=False)
                self.initial[f"none_{index}"] = row.answer is not None and not row.answer
            if not self.is_bound:
                self.initial[f"leaf_{index}"] = self._initial(row)
                self.initial[f"comment_{index}"] = row.comment
        for index, (item, awarded) in enumerate(bonus):
            self.fields[f"bonus_{index}"] = forms.BooleanField(
                label=f"{item.code} {item.title}（+{points_text(item.points)}）", required=False
            )
            self.initial.setdefault(f"bonus_{index}", awarded)
        for name, field in self.fields.items():
            field.disabled = disabled
            if isinstance(field.widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-check-input")
            else:
                field.widget.attrs.setdefault("class", "form-control form-control-sm")
            if name.startswith("leaf_"):
                field.widget.attrs.setdefault("aria-describedby", f"{name}_help")

    @staticmethod
    def _leaf_field(row) -> forms.Field:
        leaf, kind = row.leaf, row.kind
        if kind == spec.CHECKLIST:
            return forms.TypedMultipleChoiceField(
                label=_("Items satisfied"),
                required=False,
                coerce=int,
                choices=[(i, f"{item.title}（{points_text(item.points)}）") for i, item in enumerate(leaf.rule.items)],
                widget=forms.CheckboxSelectMultiple,
            )
        if kind == spec.DEDUCTION:
            return forms.IntegerField(label=_("Occurrences"), required=False)
        if kind == spec.RATIO:
            return forms.DecimalField(label=_("Ratio (0 to 1)"), required=False, max_digits=12, decimal_places=6)
        if kind == spec.TIERS:
            return forms.DecimalField(label=_("Value"), required=False, max_digits=14, decimal_places=6)
        return forms.DecimalField(label=_("Points"), required=False, max_digits=10, decimal_places=2)

    @staticmethod
    def _initial(row):
        if row.answer is None:
            return None
        if row.kind == spec.MANUAL and isinstance(row.answer, int):
            return Decimal(row.answer) / 100
        if row.kind == spec.CHECKLIST:
            return sorted(row.answer)
        return row.answer

    def answers(self) -> dict:
        """{leaf code: answer in the engine's form, or None to clear}."""
        result = {}
        for index, row in enumerate(self.rows):
            value = self.cleaned_data.get(f"leaf_{index}")
            if row.kind == spec.CHECKLIST:
                none = self.cleaned_data.get(f"none_{index}")
                result[row.leaf.code] = set(value) if value else (set() if none else None)
            elif value is None:
                result[row.leaf.code] = None
            elif row.kind == spec.MANUAL:
                hundredths = value * 100
                result[row.leaf.code] = int(hundredths) if hundredths == hundredths.to_integral_value() else hundredths
            else:
                result[row.leaf.code] = value
        return result

    def comments(self) -> dict:
        return {row.leaf.code: self.cleaned_data.get(f"comment_{index}", "") for index, row in enumerate(self.rows)}

    def bonus(self) -> dict:
        return {
            item.code: bool(self.cleaned_data.get(f"bonus_{index}"))
            for index, (item, _a) in enumerate(self.bonus_items)
        }

    def field_of(self, code: str) -> str | None:
        for index, row in enumerate(self.rows):
            if row.leaf.code == code:
                return f"leaf_{index}"
        for index, (item, _a) in enumerate(self.bonus_items):
            if item.code == code:
                return f"bonus_{index}"
        return None

    def leaf_fields(self):
        """(row, answer field, comment field, "none of these" field or None) per leaf, for the template."""
        return [
            (row, self[f"leaf_{i}"], self[f"comment_{i}"], self[f"none_{i}"] if f"none_{i}" in self.fields else None)
            for i, row in enumerate(self.rows)
        ]

    def bonus_fields(self):
        return [self[f"bonus_{i}"] for i in range(len(self.bonus_items))]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}), max_length=2000
    )


class ReassignForm(forms.Form):
    reviewer = forms.ModelChoiceField(
        label=_("New reviewer"), queryset=None, widget=forms.Select(attrs={"class": "form-select"})
    )

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["reviewer"].queryset = get_user_model().objects.filter(pk__in=[r.pk for r in reviewers])
        self.fields["reviewer"].label_from_instance = lambda user: f"{user}（{user.get_username()}）"


class VetoForm(forms.Form):
    item = forms.ModelChoiceField(
        label=_("Veto item"), queryset=None, widget=forms.Select(attrs={"class": "form-select"})
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}), max_length=2000
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
        self.fields["item"].label_from_instance = lambda item: f"{item.code} {item.title}"


class InspectionForm(forms.Form):
    application = forms.IntegerField(widget=forms.HiddenInput)
    score = forms.CharField(
        label=_("Score (0–100)"),
        max_length=20,
        widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "decimal"}),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.TextInput(attrs={"class": "form-control"})
    )


class SurveyLinksForm(forms.Form):
    application = forms.IntegerField(widget=forms.HiddenInput)
    count = forms.IntegerField(
        label=_("Number of links"), widget=forms.NumberInput(attrs={"class": "form-control", "min": 1})
    )


class SurveyAnswerForm(forms.Form):
    satisfied = forms.TypedChoiceField(
        label=_("Are you satisfied with the rule-of-law work of this unit?"),
        choices=[("yes", _("Satisfied")), ("no", _("Not satisfied"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
