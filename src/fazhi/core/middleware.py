from django.conf import settings

from fazhi.core.context import request_ip


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind our reverse proxy the last X-Forwarded-For entry,
    which the proxy itself appended (earlier entries come from the client and can be forged)."""
    if settings.FAZHI_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            request_ip.reset(token)
