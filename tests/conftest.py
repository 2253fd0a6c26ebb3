import pytest
from django.conf import settings
from django.test import Client

from tests.factories import PASSWORD, build_personas, build_tree


def pytest_collection_modifyitems(config, items):
    """Skip tests marked ``postgres_only`` when the suite runs on another database (SQLite by default)."""
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine == "django.db.backends.postgresql":
        return
    skip = pytest.mark.skip(
        reason=f"needs PostgreSQL (set FAZHI_DATABASE_URL); this run uses {engine.rsplit('.', 1)[-1]}"
    )
    for item in items:
        if item.get_closest_marker("postgres_only"):
            item.add_marker(skip)


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
