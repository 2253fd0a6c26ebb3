"""The decisions tests read messages in English (the msgids), whatever the Chinese catalogue says."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def client_for(client_for):
    """The shared persona clients, asking for English pages."""

    def make(name: str):
        client = client_for(name)
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    return make
