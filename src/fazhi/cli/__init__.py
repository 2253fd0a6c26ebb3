"""The ``fazhi`` console script: Django's management commands with Fazhi's settings."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    from fazhi.core.env import ImproperlyConfiguredEnv

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["fazhi", *(sys.argv[1:] if argv is None else argv)])
    except ImproperlyConfiguredEnv as exc:
        sys.stderr.write(f"fazhi: configuration error: {exc}\n")
        raise SystemExit(2) from None
