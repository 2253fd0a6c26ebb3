"""Settings for the test run: Fazhi's settings, with background tasks run in-process."""

import os
import tempfile

os.environ.setdefault("FAZHI_TASKS_BACKEND", "immediate")

from fazhi.settings import *  # noqa: E402, F403

# Argon2 is the production hasher (tests/orgs/test_accounts.py checks it); MD5 keeps the suite fast.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]  # noqa: F405
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405

# Evidence files written by tests (and the page tables' world) go to a temporary folder, never var/media.
MEDIA_ROOT = tempfile.mkdtemp(prefix="fazhi-test-media-")
