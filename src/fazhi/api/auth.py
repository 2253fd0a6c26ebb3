"""Who is calling the API: a program with ``Authorization: Bearer <key>``, or a signed-in browser.

A key is checked by :func:`fazhi.orgs.tokens.api_token_user` (unknown, revoked, or an inactive
user: refused). The session (ninja's ``django_auth``) serves people already signed in to the site;
it checks the CSRF token on unsafe methods, as the site's forms do.
"""

from __future__ import annotations

from ninja.security import HttpBearer, django_auth

from fazhi.orgs.tokens import api_token_user


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        user = api_token_user(token)
        if user is None:
            return None
        request.user = user
        return user


AUTH = [BearerToken(), django_auth]
