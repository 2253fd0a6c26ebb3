import pytest
from django.test import Client

from fazhi.orgs.tokens import api_token_create


@pytest.fixture
def key_for(personas):
    """A fresh API key for a persona."""

    def make(name: str) -> str:
        return api_token_create(actor=None, user=personas[name], name="测试程序")[1]

    return make


@pytest.fixture
def api_client(key_for):
    """A client that sends a persona's key as a bearer token (no session); ``anonymous`` sends none."""

    def make(name: str) -> Client:
        if name == "anonymous":
            return Client()
        return Client(headers={"Authorization": f"Bearer {key_for(name)}"})

    return make
