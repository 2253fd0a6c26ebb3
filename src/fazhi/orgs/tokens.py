"""API tokens: create (the key is shown once), revoke, and find the user a key belongs to.

A key is ``fz_`` followed by 40 random bytes in URL-safe base64. The database keeps its first
8 characters (to find the row by an index) and its SHA-256 (to check it), never the key itself.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.core.audit import audit_record
from fazhi.core.errors import DomainError
from fazhi.orgs.models import ApiToken, User

KEY_PREFIX = "fz_"
PREFIX_LENGTH = 8
NAME_MAX = ApiToken._meta.get_field("name").max_length
# Write last_used_at at most this often per token, so every request does not write a row.
LAST_USED_EVERY_SECONDS = 60


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _snapshot(token: ApiToken) -> dict:
    return {"user": token.user.get_username(), "name": token.name, "prefix": token.prefix}


def api_token_create(*, actor, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the token and its key (shown once, never stored)."""
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX:
        raise DomainError(
            _("A name of 1 to %(max)d characters is required.") % {"max": NAME_MAX}, rule="api_token.name", field="name"
        )
    if not user.is_active:
        raise DomainError(_("The account is not active."), rule="api_token.inactive_user", field="user")
    key = KEY_PREFIX + secrets.token_urlsafe(40)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, prefix=key[:PREFIX_LENGTH], key_hash=_hash(key))
        audit_record(actor=actor, action="orgs.api_token.created", obj=token, org=user.org, new=_snapshot(token))
    return token, key


def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    """Refuse the token from now on (kept for the record). Revoking twice is refused."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
        if token.revoked_at is not None:
            raise DomainError(_("The token is already revoked."), rule="api_token.revoked")
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="orgs.api_token.revoked",
            obj=token,
            org=token.user.org,
            old=_snapshot(token),
            new={"revoked_at": token.revoked_at},
        )
    return token


def api_token_user(key: str) -> User | None:
    """The active user a live key belongs to, or None (unknown, wrong, revoked, or inactive user)."""
    if not key or not key.startswith(KEY_PREFIX) or len(key) > 200:
        return None
    digest = _hash(key)
    candidates = ApiToken.objects.filter(prefix=key[:PREFIX_LENGTH], revoked_at__isnull=True).select_related("user")
    for token in candidates:
        if hmac.compare_digest(token.key_hash, digest) and token.user.is_active:
            now = timezone.now()
            if token.last_used_at is None or (now - token.last_used_at).total_seconds() > LAST_USED_EVERY_SECONDS:
                ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            return token.user
    return None


def api_tokens_of(user: User):
    """The user's tokens, newest first (revoked ones included)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def api_tokens_all():
    """For operators (the CLI): every token with its user."""
    return ApiToken.objects.select_related("user").order_by("user__username", "-created_at", "-pk")


def api_token_get_for_user(user, pk) -> ApiToken:
    """One of ``user``'s own tokens (404 for anyone else's: its existence is not revealed)."""
    token = ApiToken.objects.filter(pk=pk, user_id=getattr(user, "pk", None)).select_related("user").first()
    if token is None:
        raise Http404
    return token
