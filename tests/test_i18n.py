"""The Chinese catalogue is complete, compiled, and in step with the source."""

import os
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.LOCALE_PATHS[0])
PO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
SRC = Path(settings.PACKAGE_DIR)


def test_every_message_has_a_chinese_translation():
    catalogue = polib.pofile(str(PO))
    missing = [e.msgid for e in catalogue if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert missing == [], f"{len(missing)} messages lack a Chinese translation, e.g. {missing[:5]}"


def test_compiled_catalogue_matches_the_source_catalogue():
    po = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.pofile(str(PO)) if e.translated()}
    mo = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.mofile(str(MO)) if e.msgid}
    assert po == mo, "django.mo is stale: run `uv run fazhi compilemessages`"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
def test_catalogue_holds_every_message_in_the_source(tmp_path):
    """makemessages over the source finds no message that the catalogue lacks."""
    work = tmp_path / "fazhi"
    shutil.copytree(SRC, work, ignore=shutil.ignore_patterns("static", "__pycache__", "*.mo"))
    subprocess.run(
        ["uv", "run", "django-admin", "makemessages", "-l", "zh_Hans", "--no-obsolete", "--no-location"],
        cwd=work,
        check=True,
        capture_output=True,
        # Without settings, makemessages writes into ./locale of the copy, never into the source tree.
        env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
    )
    fresh = {e.msgid for e in polib.pofile(str(work / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))}
    known = {e.msgid for e in polib.pofile(str(PO)) if not e.obsolete}
    assert sorted(fresh - known) == []


def test_translation_functions_keep_names_makemessages_knows():
    """xgettext finds messages only under the names Django tells it (_, gettext_lazy, pgettext, …): a message
    marked with ``gettext_lazy`` imported as ``lazy`` never reaches the catalogue, and the page stays English."""
    import re

    pattern = re.compile(r"import\s+((?:n|p|np)?gettext(?:_lazy|_noop)?)\s+as\s+(\w+)")
    known = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}
    aliased = [
        f"{path.relative_to(SRC)}: {name} as {alias}"
        for path in SRC.rglob("*.py")
        for name, alias in pattern.findall(path.read_text(encoding="utf-8"))
        if alias not in known and alias != name
    ]
    assert aliased == []
