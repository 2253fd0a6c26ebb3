"""Errors that services raise when a business rule refuses an operation.

A view turns :class:`DomainError` into a message for the user (400, or the form redisplayed);
:class:`PermissionDenied` and :class:`NotFound` are Django's, so the usual 403/404 handling applies.
"""

from __future__ import annotations


class DomainError(Exception):
    """A business rule refused the operation; nothing was written.

    ``field`` names the input at fault where there is one, ``rule`` a stable code for tests
    and the API, and the message is for the person (already translated).
    """

    def __init__(self, message: str, *, rule: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.rule = rule
        self.field = field

    def __str__(self) -> str:
        return self.message
