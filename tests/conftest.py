import pytest
from django.test import Client

from tests.factories import PASSWORD, build_personas, build_tree


@pytest.fixture
def tree(db):
    return build_tree()


@pytest.fixture
def personas(tree):
    return build_personas(tree)


@pytest.fixture
def client_for(personas):
    """A logged-in test client for a persona name (``anonymous`` gets a plain client)."""

    def make(name: str) -> Client:
        client = Client()
        user = personas[name]
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def password():
    return PASSWORD
