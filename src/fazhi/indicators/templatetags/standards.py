from django import template

from fazhi.indicators.validation import decimal_text, points_text

register = template.Library()


@register.filter
def points(hundredths):
    """Hundredths of a point as the points a person reads: 450 → "4.5"."""
    if hundredths is None or hundredths == "":
        return ""
    return points_text(int(hundredths))


@register.filter
def decimal(value):
    return "" if value is None else decimal_text(value)
