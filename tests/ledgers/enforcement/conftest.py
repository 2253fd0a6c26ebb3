"""The API tests' fixtures (a bearer key per persona)."""

from tests.api.conftest import api_client, key_for  # noqa: F401
