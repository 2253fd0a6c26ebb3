"""``fazhi demo``: its options, what it loads and prints, and — in a child process, as a newcomer runs it —
the server with its background worker, an import completed by that worker, and ``--reset``."""

from __future__ import annotations

import io
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings
from django.utils import translation

from fazhi.cli.management.commands import demo as demo_command
from fazhi.demo.city import ACCOUNTS, CITY
from fazhi.demo.province import PROVINCE_CODE, ProvinceSize
from fazhi.orgs.models import Org

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


# -- in this process, on the test database -------------------------------------------------------


def test_without_serving_it_loads_the_city_and_prints_every_account_with_its_password(db):
    out = run("--no-serve")
    assert "Loading the demo city" in out
    assert Org.objects.filter(code=CITY[1]).exists()
    for account in ACCOUNTS:
        assert f"{account.username}  " in out
        assert account.password in out


def test_a_database_that_holds_organisations_is_left_as_it_is(tree):
    before = Org.objects.count()
    out = run("--no-serve")
    assert "already holds organisations" in out
    assert Org.objects.count() == before
    assert "No demo accounts in this database" in out


def test_reset_is_refused_on_postgresql_without_yes_and_says_why(tree, monkeypatch):
    monkeypatch.setattr(connection, "vendor", "postgresql")
    before = Org.objects.count()
    with pytest.raises(CommandError) as refused:
        run("--reset", "--no-serve")
    message = str(refused.value)
    assert "--yes" in message
    assert "may hold real data" in message
    assert Org.objects.count() == before, "nothing was emptied"


def test_reset_with_yes_empties_a_database_without_a_file_and_loads_the_demo(transactional_db, tree):
    out = run("--reset", "--yes", "--no-serve")
    assert "Emptying every table" in out
    assert not Org.objects.filter(code=tree.county.code).exists()
    assert Org.objects.filter(code=CITY[1]).exists()


def test_province_scale_generates_the_province_and_prints_progress(db, monkeypatch):
    small = ProvinceSize(cities=1, counties_per_city=2, townships_per_county=3, villages_per_township=5)
    monkeypatch.setattr(demo_command, "PROVINCE_SIZE", small)
    out = run("--no-serve", "--scale", "province")
    assert "villages and communities: 30 / 30" in out
    assert f"Generated {small.total} organisations" in out
    assert Org.objects.filter(code=PROVINCE_CODE).exists()
    assert "already there" in run("--no-serve", "--scale", "province")


@override_settings(DEBUG=False)
def test_serving_without_debug_is_refused_before_anything_is_written(db):
    with pytest.raises(CommandError, match="fazhi serve"):
        run()
    assert not Org.objects.exists()


def test_a_port_out_of_range_is_refused(db):
    with pytest.raises(CommandError, match="--port"):
        run("--port", "70000")


@pytest.mark.parametrize(
    ("backend", "expected"),
    [("database", ["worker", "--no-reload"]), ("immediate", None)],
)
def test_the_worker_runs_beside_the_server_unless_tasks_run_in_the_request(backend, expected):
    with override_settings(FAZHI_TASKS_BACKEND=backend):
        argv = demo_command.Command().worker_argv()
    assert (argv[3:] if argv else None) == expected


@pytest.mark.parametrize(
    ("host", "url"),
    [("127.0.0.1", "http://127.0.0.1:8000/"), ("0.0.0.0", "http://127.0.0.1:8000/"), ("::1", "http://[::1]:8000/")],
)
def test_the_printed_url_is_one_a_browser_can_open(host, url):
    assert demo_command.Command.url(host, 8000) == url


# -- the real command in a child process ---------------------------------------------------------


def child_env(var_dir: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("FAZHI_", "DJANGO_"))}
    return {**clean, "FAZHI_VAR_DIR": str(var_dir), "PYTHONUNBUFFERED": "1"}


def fazhi(*args: str, var_dir: Path, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "fazhi", *args],
        cwd=ROOT,
        env=child_env(var_dir),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


def children(pid: int) -> list[int]:
    """Ids of the processes whose parent is ``pid`` (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    """A var/ directory where ``fazhi demo --no-serve`` has created and loaded the SQLite database."""
    var_dir = tmp_path_factory.mktemp("demo-var")
    result = fazhi("demo", "--no-serve", var_dir=var_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    assert query(var_dir, "SELECT count(*) FROM orgs_org") == [(153,)]
    return var_dir


def query(var_dir: Path, sql: str, *params):
    with sqlite3.connect(var_dir / "fazhi.sqlite3", timeout=30) as db:
        return db.execute(sql, params).fetchall()


IMPORT_A_VILLAGE = """
from django.db import transaction
from fazhi.core.imports import import_start
from fazhi.orgs.importers import OrgImporter
from fazhi.orgs.models import User
from tests.spreadsheets import make_xlsx
sheet = make_xlsx([["名称", "类型", "代码", "上级代码"], ["新华村", "村", "980121101299", "980121101"]])
with transaction.atomic():
    job = import_start(owner=User.objects.get(username="county_admin"), importer=OrgImporter, data=sheet,
                       filename="villages.xlsx")
print(job.pk)
"""


def test_demo_serves_runs_an_import_in_its_worker_and_stops_the_worker_on_sigterm(demo_dir):
    port = free_port()
    log = demo_dir / "demo.log"
    with log.open("w") as out:
        demo = subprocess.Popen(
            [sys.executable, "-m", "fazhi", "demo", "--port", str(port)],
            cwd=ROOT,
            env=child_env(demo_dir),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}/"

        def up():
            try:
                with urllib.request.urlopen(url + "accounts/login/", timeout=5) as response:
                    return response.status == 200
            except OSError:
                return False

        wait_for(up, timeout=90, what="the demo server")
        output = log.read_text()
        assert url in output
        assert "fazhi-demo-2026" in output
        (worker_pid,) = children(demo.pid)
        assert "worker" in Path(f"/proc/{worker_pid}/cmdline").read_text()
        with urllib.request.urlopen(url + "static/vendor/htmx-2.0.11/htmx.min.js", timeout=5) as response:
            assert response.status == 200, "static files are served"

        started = fazhi("shell", "-c", IMPORT_A_VILLAGE, var_dir=demo_dir, timeout=120)
        assert started.returncode == 0, started.stderr
        job_id = int(started.stdout.strip().splitlines()[-1])

        def finished():
            ((status,),) = query(demo_dir, "SELECT status FROM core_job WHERE id = ?", job_id)
            return status if status not in ("queued", "running") else None

        status = wait_for(finished, timeout=60, what="the worker to finish the import")
        assert status == "succeeded", log.read_text()[-3000:]
        assert query(demo_dir, "SELECT name FROM orgs_org WHERE code = ?", "980121101299") == [("新华村",)]

        demo.send_signal(signal.SIGTERM)
        assert demo.wait(60) == 0
        assert not alive(worker_pid), "the worker stopped with the server"
    finally:
        if demo.poll() is None:
            demo.kill()
            demo.wait()


def test_reset_deletes_the_sqlite_file_and_starts_again(demo_dir):
    query(demo_dir, "UPDATE orgs_org SET name = '改过的名字' WHERE code = '980000'")
    result = fazhi("demo", "--reset", "--no-serve", var_dir=demo_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    assert query(demo_dir, "SELECT name FROM orgs_org WHERE code = '980000'") == [("西岭省",)]
    assert query(demo_dir, "SELECT count(*) FROM orgs_org") == [(153,)]
    assert "fazhi-admin-2026" in result.stdout
