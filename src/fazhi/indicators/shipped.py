"""The scoring standards Fazhi ships, as package data in ``indicators/standards/*.yaml``.

Each file is in the public format (``format: fazhi-standard/1``), in Simplified Chinese, and cites the
seed sections it was built from in its ``source``. The demo and the CLI load them from here, so they
work from an installed wheel as well as from a checkout. Pure, no Django.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

# The folder inside this package that holds the shipped files.
STANDARDS_FOLDER = "standards"


def shipped_standards() -> list[Traversable]:
    """The shipped standard files, sorted by file name (each named after its standard's code).

    Read one with ``path.read_bytes()`` and pass the bytes to :func:`fazhi.indicators.formats.load_yaml`.
    """
    folder = files("fazhi.indicators").joinpath(STANDARDS_FOLDER)
    return sorted(
        (entry for entry in folder.iterdir() if entry.is_file() and entry.name.endswith(".yaml")),
        key=lambda entry: entry.name,
    )
