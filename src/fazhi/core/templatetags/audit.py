from django import template

from fazhi.core.audit import action_label as _action_label

register = template.Library()


@register.filter
def action_label(action: str):
    """The people's label of an audit action code (empty when none is registered)."""
    return _action_label(action)
