"""Typed readers for ``FAZHI_*`` environment variables.

Each helper returns the default when the variable is unset or empty, and raises
:class:`ImproperlyConfiguredEnv` naming the variable when its value cannot be used, so that
a misconfigured process refuses to start instead of running on a guess. No Django imports:
``settings.py`` calls these before Django is configured.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path


class ImproperlyConfiguredEnv(Exception):
    """A ``FAZHI_*`` variable holds a value Fazhi cannot use."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    value = (environ if environ is not None else os.environ).get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def env_str(name: str, default: str | None = None, *, environ: Mapping[str, str] | None = None) -> str | None:
    value = _raw(name, environ)
    return default if value is None else value


def env_bool(name: str, default: bool, *, environ: Mapping[str, str] | None = None) -> bool:
    value = _raw(name, environ)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfiguredEnv(f"{name}={value!r} is not a boolean; use 1/0, true/false, yes/no or on/off.")


def env_int(
    name: str,
    default: int,
    *,
    min_value: int | None = None,
    max_value: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    value = _raw(name, environ)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfiguredEnv(f"{name}={value!r} is not a whole number.") from None
    if min_value is not None and number < min_value:
        raise ImproperlyConfiguredEnv(f"{name}={number} is below the minimum {min_value}.")
    if max_value is not None and number > max_value:
        raise ImproperlyConfiguredEnv(f"{name}={number} is above the maximum {max_value}.")
    return number


def env_list(name: str, default: list[str], *, environ: Mapping[str, str] | None = None) -> list[str]:
    value = _raw(name, environ)
    if value is None:
        return list(default)
    items = [item.strip() for item in value.split(",")]
    if any(item == "" for item in items):
        raise ImproperlyConfiguredEnv(f"{name}={value!r} has an empty item; separate items with single commas.")
    return items


def env_choice(name: str, default: str, choices: tuple[str, ...], *, environ: Mapping[str, str] | None = None) -> str:
    value = _raw(name, environ)
    if value is None:
        return default
    if value not in choices:
        raise ImproperlyConfiguredEnv(f"{name}={value!r} is not one of: {', '.join(choices)}.")
    return value


def env_path(name: str, default: Path, *, environ: Mapping[str, str] | None = None) -> Path:
    value = _raw(name, environ)
    return default if value is None else Path(value).expanduser().resolve()


def env_database(name: str, default_sqlite: Path, *, environ: Mapping[str, str] | None = None) -> dict:
    """Django DATABASES['default'] from a URL, or the embedded SQLite file when the URL is unset.

    Only ``postgres://``/``postgresql://`` and ``sqlite://`` URLs are accepted.
    """
    import dj_database_url  # a small pure-Python parser; imported here to keep this module light

    value = _raw(name, environ)
    if value is None:
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(default_sqlite)}
    else:
        scheme = value.split(":", 1)[0].lower()
        if scheme not in {"postgres", "postgresql", "pgsql", "sqlite"}:
            raise ImproperlyConfiguredEnv(
                f"{name}={value!r}: only PostgreSQL (postgres://…) and SQLite (sqlite:///path) are supported."
            )
        try:
            config = dj_database_url.parse(value)
        except Exception as exc:  # the parser raises assorted errors on garbage
            raise ImproperlyConfiguredEnv(f"{name}={value!r} cannot be parsed: {exc}") from None
        if config["ENGINE"] == "django.db.backends.postgresql" and not config.get("NAME"):
            raise ImproperlyConfiguredEnv(f"{name}={value!r} names no database.")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            # BEGIN IMMEDIATE: a transaction takes the write lock when it starts, so two writers
            # queue on the busy timeout instead of failing when one upgrades a read to a write.
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    else:
        config.setdefault("CONN_MAX_AGE", 60)
        config.setdefault("CONN_HEALTH_CHECKS", True)
    return config
