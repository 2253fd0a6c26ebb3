"""The layering of docs/architecture.md and the house lint hold, checked in every test run.

The import contracts live in ``pyproject.toml`` (``[tool.importlinter]``); ruff's rules live there too.
"""

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_import_contracts_are_kept():
    result = run(str(BIN / "lint-imports"), "--no-cache")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_every_app_has_a_place_in_the_layers_contract():
    """A new app under src/fazhi/ must be placed in the layers, or nothing stops it importing upwards."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    layers = next(c for c in config["contracts"] if c["type"] == "layers")
    placed = {name.strip() for layer in layers["layers"] for name in layer.split("|")}
    placed |= {f"{container}.{name}" for container in layers.get("containers", []) for name in placed}
    apps = {f"fazhi.{p.parent.name}" for p in (ROOT / "src" / "fazhi").glob("*/apps.py")}
    assert sorted(apps - placed) == []


def test_ruff_finds_nothing_to_fix():
    result = run(sys.executable, "-m", "ruff", "check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_code_is_ruff_formatted():
    result = run(sys.executable, "-m", "ruff", "format", "--check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
