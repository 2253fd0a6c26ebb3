"""The authentication backend: Django's, with every password check going through the lockout rule.

Any code that calls ``django.contrib.auth.authenticate`` (the sign-in page, an API's basic
authentication, the test client's ``login``) thereby counts wrong passwords and respects locks.
"""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from fazhi.core.middleware import client_ip
from fazhi.orgs.accounts import LoginRefused, login_attempt
from fazhi.orgs.models import User


class LockoutBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        ip = client_ip(request) if request is not None else None
        try:
            return login_attempt(username=username, password=password, ip=ip)
        except LoginRefused:
            return None
