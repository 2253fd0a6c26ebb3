"""Many threads appending audit events at once, each on its own database connection.

Used in-process by the PostgreSQL test, and run as a program by the SQLite test, which needs a
file database (pytest-django's in-memory SQLite shares one cache between threads, where the
busy timeout does not apply, so it cannot show how the real file database serialises writers)::

    DJANGO_SETTINGS_MODULE=tests.settings FAZHI_VAR_DIR=/tmp/x python -m tests.core.audit_writers 8 25

prints one JSON object: the errors, the events written, and what ``audit_verify`` says.
"""

from __future__ import annotations

import json
import sys
import threading
import time

ACTION = "test.concurrent"


def write_concurrently(*, threads: int, per_thread: int) -> list[str]:
    """Each thread writes ``per_thread`` events, each in its own transaction; returns the errors."""
    from django.db import connections, transaction

    from fazhi.core.audit import audit_record

    errors: list[str] = []
    start = threading.Barrier(threads)

    def work(n: int) -> None:
        try:
            start.wait()
            for i in range(per_thread):
                with transaction.atomic():
                    audit_record(action=ACTION, object_type="test.writer", object_id=f"{n}-{i}", new={"n": n, "i": i})
        except Exception as exc:  # reported to the test, which fails on any
            errors.append(f"thread {n}: {exc!r}")
        finally:
            connections.close_all()

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return errors


def summary() -> dict:
    """What the tests check after the writers are done."""
    from fazhi.core.audit import audit_verify
    from fazhi.core.models import AuditEvent

    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    written = sorted(AuditEvent.objects.filter(action=ACTION).values_list("object_id", flat=True))
    report = audit_verify()
    return {
        "seqs": seqs,
        "written": written,
        "ok": report.ok,
        "checked": report.checked,
        "break": None if report.ok else [report.first_break.seq, report.first_break.reason],
    }


def main(threads: int, per_thread: int) -> None:
    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    call_command("migrate", verbosity=0)
    began = time.perf_counter()
    errors = write_concurrently(threads=threads, per_thread=per_thread)
    elapsed = time.perf_counter() - began
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal_mode = cursor.fetchone()[0]
    result = {"errors": errors, "seconds": elapsed, "vendor": connection.vendor, "journal_mode": journal_mode}
    print(json.dumps({**result, **summary()}))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
