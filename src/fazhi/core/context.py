"""The request's client address, carried to services so audit events record it.

Set by :class:`fazhi.core.middleware.RequestContextMiddleware` for each request; empty in CLI
commands and tasks. A ``ContextVar`` is per thread and per asyncio task, so concurrent
requests never see each other's address.
"""

from contextvars import ContextVar

request_ip: ContextVar[str | None] = ContextVar("fazhi_request_ip", default=None)
