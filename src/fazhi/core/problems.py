"""A rule's verdict on a value, as plain data that pure modules can return without Django.

Pure modules (no Django imports) mark their messages with :func:`gettext_noop` so that
``makemessages`` collects them, and return a :class:`Problem`; the Django side translates it
with :func:`fazhi.core.i18n.translate` at the moment it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def gettext_noop(message: str) -> str:
    """Marks a message for translation without translating it (same name as Django's)."""
    return message


@dataclass(frozen=True)
class Problem:
    message: str  # an English msgid with %(name)s placeholders
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message % self.params
