"""``fazhi serve``: gunicorn's command line from options and ``FAZHI_*`` variables, and — in a child process with
production settings — pages and static files served, and a clean stop on SIGTERM."""

from __future__ import annotations

import io
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

from fazhi.core.env import ImproperlyConfiguredEnv

ROOT = Path(__file__).resolve().parents[2]


def command_line(*args: str) -> str:
    out = io.StringIO()
    call_command("serve", "--print-command", *args, stdout=out)
    return out.getvalue()


def test_the_fazhi_variables_set_the_defaults(monkeypatch):
    monkeypatch.setenv("FAZHI_BIND", "0.0.0.0:9000")
    monkeypatch.setenv("FAZHI_WEB_WORKERS", "3")
    monkeypatch.setenv("FAZHI_WEB_THREADS", "2")
    monkeypatch.setenv("FAZHI_WEB_TIMEOUT", "90")
    line = command_line()
    assert "gunicorn fazhi.wsgi:application" in line
    assert "--bind 0.0.0.0:9000 --workers 3 --threads 2 --timeout 90" in line


def test_options_win_over_the_variables_and_bind_repeats(monkeypatch):
    monkeypatch.setenv("FAZHI_WEB_WORKERS", "3")
    line = command_line("--workers", "5", "--bind", "unix:/run/fazhi/web.sock", "--bind", "127.0.0.1:8001")
    assert "--bind unix:/run/fazhi/web.sock --bind 127.0.0.1:8001 --workers 5" in line


@pytest.mark.parametrize(("name", "value"), [("FAZHI_WEB_WORKERS", "lots"), ("FAZHI_WEB_THREADS", "0")])
def test_a_bad_variable_stops_the_command_and_is_named(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfiguredEnv, match=name):
        command_line()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str):
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, dict(response.headers)


def test_gunicorn_serves_pages_and_static_files_in_production_and_stops_on_sigterm(tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("FAZHI_", "DJANGO_"))}
    env = {
        **clean,
        "FAZHI_VAR_DIR": str(tmp_path),
        "FAZHI_DEBUG": "0",
        "FAZHI_SECRET_KEY": secrets.token_urlsafe(50),
        "FAZHI_ALLOWED_HOSTS": "127.0.0.1",
        "FAZHI_SECURE_SSL_REDIRECT": "0",  # plain HTTP in this test; a TLS proxy does the redirect in production
    }
    migrate = subprocess.run(
        [sys.executable, "-m", "fazhi", "migrate", "-v0"], cwd=ROOT, env=env, capture_output=True, timeout=180
    )
    assert migrate.returncode == 0, migrate.stderr
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "fazhi", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "2"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 180  # collectstatic compresses every file first
        while True:
            try:
                status, _headers = get(base + "accounts/login/")
                break
            except OSError:
                assert server.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "gunicorn did not answer:\n" + log.read_text()
                time.sleep(0.5)
        assert status == 200
        assert "gunicorn" in log.read_text()

        manifest = json.loads((tmp_path / "staticfiles" / "staticfiles.json").read_text())
        hashed = manifest["paths"]["vendor/htmx-2.0.11/htmx.min.js"]
        status, headers = get(base + "static/" + hashed)
        assert status == 200
        assert "immutable" in headers["Cache-Control"], "hashed names are cached for ever"

        server.send_signal(signal.SIGTERM)
        assert server.wait(60) == 0
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
