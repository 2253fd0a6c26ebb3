"""``fazhi worker``: run background tasks.

With the database queue (``FAZHI_TASKS_BACKEND=database``, the default) this is django-tasks-db's
``db_worker`` with all its options (``--queue-name``, ``--interval``, ``--batch``, ``--max-tasks``,
``--reload``/``--no-reload``, ``--worker-id`` …). With RQ (``FAZHI_TASKS_BACKEND=rq``) run
``fazhi rqworker --job-class django_tasks_rq.Job default`` on each worker machine instead; with the in-process runner
(``immediate``) tasks run in the request and no worker is needed.
"""

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand


class Command(DatabaseWorkerCommand):
    help = "Run the background task worker (the database queue). See docs/background-work.md."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        if settings.FAZHI_TASKS_BACKEND != "database":
            # db_worker checks --backend (default "default") names a database queue while parsing;
            # let handle() explain what to run instead.
            for action in parser._actions:
                if action.dest == "backend_name":
                    action.type = str

    def handle(self, *args, **options):
        backend = settings.FAZHI_TASKS_BACKEND
        if backend == "rq":
            raise CommandError(
                _(
                    "FAZHI_TASKS_BACKEND=rq: run `fazhi rqworker --job-class django_tasks_rq.Job default` "
                    "on each worker machine instead (see docs/background-work.md)."
                )
            )
        if backend == "immediate":
            raise CommandError(_("FAZHI_TASKS_BACKEND=immediate runs tasks inside the request; no worker is needed."))
        return super().handle(*args, **options)
