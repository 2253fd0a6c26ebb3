"""``fazhi demo``: a working Fazhi on this machine in one command.

Creates the embedded SQLite database under ``var/`` (or uses ``FAZHI_DATABASE_URL``), migrates,
loads the demo city when the database holds no organisations (and, with ``--scale province``,
a province-size tree for benchmarks), prints the URL and the demo accounts, then serves with
Django's development server (``runserver --noreload``, threaded, DEBUG on, static files served
by whitenoise) and a background-task worker beside it in a child process, stopped when the
server stops (Ctrl-C or SIGTERM). ``--no-serve`` stops after loading. See ``docs/demo.md``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fazhi.core.errors import DomainError
from fazhi.demo.city import demo_accounts, demo_city_load
from fazhi.demo.media import media_prune
from fazhi.demo.province import PROVINCE_CODE, PROVINCE_SIZE, province_generate
from fazhi.orgs.models import Org, Role

WORKER_STOP_SECONDS = 30


class Command(BaseCommand):
    help = "Set up a demo database (migrate, load the demo data) and serve it with a background worker."
    # runserver runs the system checks itself; loading must not wait for them.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Address to serve on (default 127.0.0.1).")
        parser.add_argument("--port", type=int, default=8000, help="Port to serve on (default 8000).")
        parser.add_argument(
            "--reset",
            action="store_true",
            help=(
                "Start again: delete the SQLite database file (on PostgreSQL: empty every table, with --yes); after "
                "loading, remove the files under MEDIA_ROOT that the new database does not reference."
            ),
        )
        parser.add_argument("--yes", action="store_true", help="Confirm --reset on a PostgreSQL database.")
        parser.add_argument(
            "--scale",
            choices=("city", "province"),
            default="city",
            help="city: the demo city (default); province: also a province-size tree for benchmarks.",
        )
        parser.add_argument("--no-serve", action="store_true", help="Prepare the database and exit.")

    def handle(self, *args, **options):
        self.refuse_bad_options(options)
        if options["reset"]:
            self.reset()
        self.migrate()
        self.load(scale=options["scale"])
        if options["reset"]:
            self.prune_media()
        url = self.url(options["host"], options["port"])
        self.print_accounts(url if not options["no_serve"] else None)
        if not options["no_serve"]:
            self.serve(options["host"], options["port"])

    # -- options -----------------------------------------------------------------------------

    def refuse_bad_options(self, options) -> None:
        if options["reset"] and connection.vendor != "sqlite" and not options["yes"]:
            name = connection.settings_dict.get("NAME")
            host = connection.settings_dict.get("HOST") or "localhost"
            raise CommandError(
                _(
                    "--reset would empty every table of the %(vendor)s database %(name)s on %(host)s, which may "
                    "hold real data: there is no file to delete as with the embedded SQLite database. "
                    "Add --yes if that is what you want."
                )
                % {"vendor": connection.display_name, "name": name, "host": host}
            )
        if not 0 < options["port"] < 65536:
            raise CommandError(_("--port must be between 1 and 65535."))
        if not options["no_serve"] and not settings.DEBUG:
            raise CommandError(
                _(
                    "fazhi demo serves with the development server and needs FAZHI_DEBUG=1 (the default); "
                    "for production run fazhi serve (see docs/deployment.md)."
                )
            )

    # -- the database ------------------------------------------------------------------------

    def sqlite_file(self) -> Path | None:
        """The SQLite database file, or None (PostgreSQL, or an in-memory test database)."""
        if connection.vendor != "sqlite" or connection.is_in_memory_db():
            return None
        return Path(connection.settings_dict["NAME"])

    def reset(self) -> None:
        database = self.sqlite_file()
        if database is None:
            self.stdout.write(_("Emptying every table of the database…"))
            call_command("flush", interactive=False, verbosity=0)
            return
        connections.close_all()
        for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
            path.unlink(missing_ok=True)
        self.stdout.write(_("Deleted %(path)s.") % {"path": database})

    def prune_media(self) -> None:
        """Remove the files under MEDIA_ROOT that the reset database does not reference (the old demo's
        evidence files)."""
        removed = media_prune()
        if removed:
            self.stdout.write(
                ngettext(
                    "Removed %(count)d file under %(root)s that the new database does not reference.",
                    "Removed %(count)d files under %(root)s that the new database does not reference.",
                    len(removed),
                )
                % {"count": len(removed), "root": settings.MEDIA_ROOT}
            )

    def migrate(self) -> None:
        database = self.sqlite_file()
        if database is not None:
            database.parent.mkdir(parents=True, exist_ok=True)
            self.stdout.write(_("Database: %(path)s") % {"path": database})
        self.stdout.write(_("Migrating the database…"))
        call_command("migrate", interactive=False, verbosity=0)

    def load(self, *, scale: str) -> None:
        if Org.objects.exists():
            self.stdout.write(
                _("The database already holds organisations; the demo city is not loaded again (--reset starts over).")
            )
        else:
            self.stdout.write(_("Loading the demo city…"))
            started = time.perf_counter()
            summary = demo_city_load(progress=lambda message: self.stdout.write("  " + message))
            self.stdout.write(
                _("Loaded %(orgs)d organisations and %(accounts)d accounts in %(seconds).1f s.")
                % {"orgs": summary.orgs, "accounts": summary.accounts, "seconds": time.perf_counter() - started}
            )
        if scale == "province":
            self.generate_province()

    def generate_province(self) -> None:
        if Org.objects.filter(code=PROVINCE_CODE).exists():
            self.stdout.write(_("The province-scale data is already there."))
            return
        size = PROVINCE_SIZE
        self.stdout.write(
            _(
                "Generating a province: %(counties)d counties, %(townships)d townships, %(villages)d villages "
                "and their units (%(total)d organisations)…"
            )
            % {"counties": size.counties, "townships": size.townships, "villages": size.villages, "total": size.total}
        )
        started = time.perf_counter()
        try:
            kinds = province_generate(size=size, progress=ProgressPrinter(self.stdout, started))
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(
            _("Generated %(total)d organisations in %(seconds).1f s.")
            % {"total": sum(kinds.values()), "seconds": time.perf_counter() - started}
        )

    # -- what to tell the person -------------------------------------------------------------

    @staticmethod
    def url(host: str, port: int) -> str:
        shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
        if ":" in shown:
            shown = f"[{shown.strip('[]')}]"
        return f"http://{shown}:{port}/"

    def print_accounts(self, url: str | None) -> None:
        rows = [
            (account.username, account.password, self.describe(account))
            for account, user in demo_accounts()
            if user is not None
        ]
        self.stdout.write("")
        if url:
            self.stdout.write(self.style.SUCCESS(_("Fazhi demo: %(url)s") % {"url": url}))
        if not rows:
            self.stdout.write(_("No demo accounts in this database (it was not loaded by fazhi demo)."))
            return
        self.stdout.write(_("Demo accounts (user name / password / role), see docs/demo.md:"))
        name_width = max(len(name) for name, _password, _role in rows)
        password_width = max(len(password) for _name, password, _role in rows)
        for name, password, role in rows:
            self.stdout.write(f"  {name.ljust(name_width)}  {password.ljust(password_width)}  {role}")
        self.stdout.write("")

    @staticmethod
    def describe(account) -> str:
        if account.role is None:
            return _("superuser: sees and manages everything")
        return f"{Role(account.role).label} · {account.org_name}"

    # -- serving -----------------------------------------------------------------------------

    def worker_argv(self) -> list[str] | None:
        """The command that runs background tasks beside the server, or None when none is needed."""
        backend = getattr(settings, "FAZHI_TASKS_BACKEND", "database")
        commands = get_commands()
        if backend == "immediate":
            return None
        if backend == "rq":
            if "rqworker" not in commands:
                return None
            return [sys.executable, "-m", "fazhi", "rqworker", "--job-class", "django_tasks_rq.Job", "default"]
        # --no-reload: one process, so that the signal that stops it reaches the process doing the work.
        return [sys.executable, "-m", "fazhi", "worker" if "worker" in commands else "db_worker", "--no-reload"]

    def start_worker(self) -> subprocess.Popen | None:
        argv = self.worker_argv()
        if argv is None:
            self.stdout.write(_("Background tasks run inside the web process; no worker is started."))
            return None
        env = {**os.environ, "FAZHI_VAR_DIR": str(settings.VAR_DIR)}
        env.setdefault("DJANGO_SETTINGS_MODULE", settings.SETTINGS_MODULE)
        # Its own process group: Ctrl-C reaches only this process, which then stops the worker
        # once (a second signal would make the worker abandon a task midway).
        worker = subprocess.Popen(argv, env=env, start_new_session=True, preexec_fn=_die_with_parent)
        self.stdout.write(
            _("Background worker started (pid %(pid)d): %(command)s")
            % {"pid": worker.pid, "command": " ".join(argv[2:])}
        )
        return worker

    def stop_worker(self, worker: subprocess.Popen | None) -> None:
        if worker is None or worker.poll() is not None:
            return
        self.stdout.write(_("Stopping the background worker…"))
        worker.terminate()  # the worker finishes the task in hand, then exits
        try:
            worker.wait(WORKER_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()

    def serve(self, host: str, port: int) -> None:
        connections.close_all()  # the server opens its own; a child must not share this one
        worker = self.start_worker()
        stopping = threading.Event()
        if worker is not None:
            threading.Thread(target=self.watch_worker, args=(worker, stopping), daemon=True).start()
        previous = signal.signal(signal.SIGTERM, _interrupt)
        try:
            self.run_server(host, port)
        finally:
            stopping.set()
            signal.signal(signal.SIGTERM, previous)
            self.stop_worker(worker)

    def run_server(self, host: str, port: int) -> None:
        """Django's development server in this process (DEBUG on: error pages, static files)."""
        ipv6 = ":" in host
        address = f"[{host.strip('[]')}]:{port}" if ipv6 else f"{host}:{port}"
        call_command("runserver", address, use_reloader=False, use_threading=True, use_ipv6=ipv6)

    def watch_worker(self, worker: subprocess.Popen, stopping: threading.Event) -> None:
        code = worker.wait()
        if not stopping.is_set():
            self.stderr.write(
                _("The background worker stopped (exit status %(code)s): imports will wait until fazhi demo restarts.")
                % {"code": code}
            )


class ProgressPrinter:
    """Prints the generator's progress, a line per group and at most one a second within one."""

    def __init__(self, stdout, started: float):
        self.stdout = stdout
        self.started = started
        self.last = 0.0

    def __call__(self, group: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if done < total and now - self.last < 1.0:
            return
        self.last = now
        label = {
            "planning": _("planning and checking every row"),
            "province": _("the province"),
            "cities": _("cities and their departments"),
            "counties": _("counties and their units"),
            "townships": _("townships and their units"),
            "villages": _("villages and communities"),
        }.get(group, group)
        elapsed = _("%(seconds).1f s") % {"seconds": now - self.started}
        self.stdout.write(f"  {label}: {done:,} / {total:,}  ({elapsed})")


def _interrupt(signum, frame):
    """SIGTERM stops the server as Ctrl-C does, so that the worker is stopped too."""
    raise KeyboardInterrupt


def _die_with_parent() -> None:
    """In the worker, before it starts: on Linux, receive SIGTERM if fazhi demo itself is killed."""
    if sys.platform.startswith("linux"):
        import ctypes

        PR_SET_PDEATHSIG = 1
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
