"""``fazhi serve``: the production web server.

Collects the static files into ``STATIC_ROOT`` (whitenoise serves them from there, compressed and
with far-future caching of the hashed names), then replaces this process with gunicorn running
``fazhi.wsgi:application``. Each option falls back to a ``FAZHI_*`` variable, read with the same
typed helpers as the settings, so a bad value stops the command and names the variable. Background
tasks need their own process: ``fazhi worker``. See ``docs/deployment.md``.
"""

from __future__ import annotations

import os
import shlex
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

from fazhi.core.env import env_int, env_str

DEFAULT_BIND = "127.0.0.1:8000"


def serve_defaults() -> dict:
    """The options' defaults, from the ``FAZHI_*`` variables."""
    return {
        "bind": env_str("FAZHI_BIND", DEFAULT_BIND),
        "workers": env_int("FAZHI_WEB_WORKERS", min(2 * (os.cpu_count() or 1) + 1, 9), min_value=1, max_value=256),
        "threads": env_int("FAZHI_WEB_THREADS", 4, min_value=1, max_value=256),
        "timeout": env_int("FAZHI_WEB_TIMEOUT", 60, min_value=1, max_value=3600),
    }


def gunicorn_argv(*, bind: list[str], workers: int, threads: int, timeout: int) -> list[str]:
    argv = [sys.executable, "-m", "gunicorn", "fazhi.wsgi:application"]
    for address in bind:
        argv += ["--bind", address]
    argv += [
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--timeout",
        str(timeout),
        "--graceful-timeout",
        "30",
        "--access-logfile",
        "-",
        "--error-logfile",
        "-",
        # Keep each worker's first request fast: load the application before forking.
        "--preload",
    ]
    if _has_control_socket():
        # gunicorn 25.1+ opens a control socket in $HOME or $XDG_RUNTIME_DIR, one path for every
        # instance there; signals (HUP, TERM, TTIN, TTOU) do the same work.
        argv.append("--no-control-socket")
    return argv


def _has_control_socket() -> bool:
    from gunicorn import config

    return any(setting.name == "control_socket_disable" for setting in config.KNOWN_SETTINGS)


class Command(BaseCommand):
    help = "Run the production web server (gunicorn), with static files served by whitenoise."

    def add_arguments(self, parser):
        defaults = serve_defaults()
        parser.add_argument(
            "--bind",
            action="append",
            help=f"Address to listen on, host:port or unix:/path (repeatable; FAZHI_BIND, default {defaults['bind']}).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=defaults["workers"],
            help=f"Worker processes (FAZHI_WEB_WORKERS, default {defaults['workers']}).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=defaults["threads"],
            help=f"Threads per worker (FAZHI_WEB_THREADS, default {defaults['threads']}).",
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=defaults["timeout"],
            help=f"Seconds before a silent worker is restarted (FAZHI_WEB_TIMEOUT, default {defaults['timeout']}).",
        )
        parser.add_argument("--skip-collectstatic", action="store_true", help="Do not collect the static files first.")
        parser.add_argument(
            "--print-command", action="store_true", help="Print the gunicorn command line instead of running it."
        )

    def handle(self, *args, **options):
        for name in ("workers", "threads", "timeout"):
            if options[name] < 1:
                raise CommandError(_("--%(option)s must be at least 1.") % {"option": name})
        bind = options["bind"] or [env_str("FAZHI_BIND", DEFAULT_BIND)]
        argv = gunicorn_argv(
            bind=bind, workers=options["workers"], threads=options["threads"], timeout=options["timeout"]
        )
        if options["print_command"]:
            self.stdout.write(shlex.join(argv))
            return
        if not options["skip_collectstatic"]:
            self.stdout.write(_("Collecting static files into %(path)s…") % {"path": settings.STATIC_ROOT})
            call_command("collectstatic", interactive=False, verbosity=0)
        self.warn_unapplied_migrations()
        connections.close_all()
        self.stdout.write(
            _("Starting gunicorn on %(bind)s (%(workers)d workers × %(threads)d threads).")
            % {"bind": ", ".join(bind), "workers": options["workers"], "threads": options["threads"]}
        )
        self.stdout.flush()
        os.execv(sys.executable, argv)  # gunicorn takes over this process: signals go straight to it

    def warn_unapplied_migrations(self) -> None:
        executor = MigrationExecutor(connections["default"])
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stderr.write(
                _("The database has unapplied migrations: run fazhi migrate before serving (see docs/deployment.md).")
            )
