"""Scoring standards in files: YAML and XLSX ⇄ :class:`~fazhi.indicators.spec.Standard`. Pure, no Django.

The format (``format: fazhi-standard/1``) is a public contract, described in ``docs/indicator-format.md``.

- :func:`load_yaml` / :func:`load_xlsx` read a file's bytes and return a valid standard, or raise
  :class:`~fazhi.indicators.validation.StandardInvalid` with every error of the file together
  (structural errors met while reading, then every rule of :func:`~fazhi.indicators.validation.validate`).
- :func:`dump_yaml` / :func:`dump_xlsx` write a standard so that loading it gives the same standard back.

Both readers turn the file into the same plain document (the mapping a YAML file holds) and read that
with one parser (:mod:`.document`), so a rule is enforced, and worded, the same way whichever format a
standard arrives in. YAML (:mod:`.yaml_format`) is read with a safe loader that refuses aliases and
anchors (no alias bombs), deep nesting, duplicate keys, bytes that are not UTF-8 and files over
``max_bytes``; XLSX (:mod:`.xlsx_format`) is read with python-calamine and written with openpyxl.
"""

from fazhi.indicators.formats.document import DEFAULT_MAX_BYTES, read_document, to_document
from fazhi.indicators.formats.xlsx_format import dump_xlsx, load_xlsx
from fazhi.indicators.formats.yaml_format import dump_yaml, load_yaml
from fazhi.indicators.validation import StandardError, StandardInvalid, validate

__all__ = [
    "DEFAULT_MAX_BYTES",
    "StandardError",
    "StandardInvalid",
    "dump_xlsx",
    "dump_yaml",
    "load_xlsx",
    "load_yaml",
    "read_document",
    "to_document",
    "validate",
]
