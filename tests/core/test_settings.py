"""The process as an operator starts it: bad ``FAZHI_*`` values stop it, production settings pass ``check --deploy``.

Each test runs ``python -m fazhi`` (the ``fazhi`` console script) in a child process with a clean environment,
so that it sees exactly the variables an operator would set and nothing from the test run.
"""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {"FAZHI_DEBUG": "0", "FAZHI_ALLOWED_HOSTS": "fazhi.example.gov.cn"}


def fazhi(*args: str, env: dict[str, str], var_dir: Path) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("FAZHI_", "DJANGO_"))}
    clean.update(FAZHI_VAR_DIR=str(var_dir), **env)
    return subprocess.run(
        [sys.executable, "-m", "fazhi", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def strong_key() -> str:
    return secrets.token_urlsafe(50)  # 67 characters


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("FAZHI_DEBUG", "maybe"),
        ("FAZHI_LOGIN_MAX_FAILURES", "0"),
        ("FAZHI_PASSWORD_MIN_LENGTH", "short"),
        ("FAZHI_TASKS_BACKEND", "celery"),
        ("FAZHI_DATABASE_URL", "mysql://fazhi@127.0.0.1/fazhi"),
        ("FAZHI_ALLOWED_HOSTS", "a.gov.cn,,b.gov.cn"),
        ("FAZHI_LOG_LEVEL", "verbose"),
    ],
)
def test_a_bad_value_stops_the_process_and_names_the_variable(tmp_path, name, value):
    result = fazhi("check", env={name: value}, var_dir=tmp_path)
    assert result.returncode != 0
    assert name in result.stderr
    assert "Traceback" not in result.stderr, "the operator should get one line, not a traceback"


def test_development_defaults_pass_the_system_check(tmp_path):
    result = fazhi("check", env={}, var_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_settings_pass_check_deploy_without_a_single_warning(tmp_path):
    result = fazhi(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={**PRODUCTION, "FAZHI_SECRET_KEY": strong_key()},
        var_dir=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_development_settings_fail_check_deploy(tmp_path):
    """The deploy check is not a rubber stamp: DEBUG=True with the development key is flagged."""
    result = fazhi("check", "--deploy", "--fail-level", "WARNING", env={}, var_dir=tmp_path)
    assert result.returncode != 0
    assert "DEBUG" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = fazhi("check", "--deploy", env=PRODUCTION, var_dir=tmp_path)
    assert result.returncode != 0
    assert "FAZHI_SECRET_KEY" in result.stderr


@pytest.mark.parametrize("key", ["too-short-key", "a" * 60])
def test_production_refuses_a_weak_secret_key(tmp_path, key):
    result = fazhi("check", env={**PRODUCTION, "FAZHI_SECRET_KEY": key}, var_dir=tmp_path)
    assert result.returncode != 0
    assert "FAZHI_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    result = fazhi("check", env={"FAZHI_DEBUG": "0", "FAZHI_SECRET_KEY": strong_key()}, var_dir=tmp_path)
    assert result.returncode != 0
    assert "FAZHI_ALLOWED_HOSTS" in result.stderr


def test_docs_configuration_lists_every_variable_and_no_other():
    """docs/configuration.md and the code name the same FAZHI_* variables."""
    read = re.compile(r"""env_\w+\(\s*["'](FAZHI_[A-Z0-9_]+)["']""")
    in_code = {
        m
        for path in (*ROOT.joinpath("src").rglob("*.py"), *ROOT.joinpath("tests").rglob("conftest.py"))
        for m in read.findall(path.read_text())
    }
    documented = set(re.findall(r"^\| `(FAZHI_[A-Z0-9_]+)` \|", (ROOT / "docs" / "configuration.md").read_text(), re.M))
    assert "FAZHI_DEBUG" in in_code
    assert sorted(in_code - documented) == [], "document these in docs/configuration.md"
    assert sorted(documented - in_code) == [], "docs/configuration.md lists variables the code no longer reads"


def test_behind_the_proxy_the_audit_records_the_address_the_proxy_saw(rf, settings):
    from fazhi.core.middleware import client_ip

    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    settings.FAZHI_BEHIND_PROXY = False
    assert client_ip(request) == "10.0.0.1"
    settings.FAZHI_BEHIND_PROXY = True
    assert client_ip(request) == "203.0.113.7"  # the proxy's entry, not the forgeable first one
