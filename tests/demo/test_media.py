"""``media_prune``: after ``fazhi demo --reset``, the files under MEDIA_ROOT that the database does not reference
are deleted, and nothing else (referenced files, links, anything outside the folder)."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import translation

from fazhi.campaigns import models as m
from fazhi.demo.media import media_prune
from tests.campaigns.world import build_base


def test_only_unreferenced_files_inside_media_root_are_deleted(tree, personas, settings, tmp_path):
    root = tmp_path / "media"
    settings.MEDIA_ROOT = root
    world = build_base(tree, personas)
    kept = default_storage.save("evidence/1/1/kept", ContentFile(b"%PDF kept"))
    m.Evidence.objects.create(
        application_id=world["application"],
        file=kept,
        name="kept.pdf",
        content_type="application/pdf",
        size=9,
        sha256="0" * 64,
    )
    stale = root / "evidence" / "9" / "9" / "stale"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"%PDF old")
    (root / "evidence" / "old.pdf").write_bytes(b"%PDF old")
    outside = tmp_path / "outside.pdf"
    outside.write_bytes(b"not media")
    (root / "link.pdf").symlink_to(outside)

    assert media_prune() == ["evidence/9/9/stale", "evidence/old.pdf"]
    assert (root / kept).read_bytes() == b"%PDF kept"
    assert not (root / "evidence" / "9").exists(), "the folders left empty go too"
    assert (root / "link.pdf").is_symlink() and outside.read_bytes() == b"not media"
    assert media_prune() == []


def test_a_missing_media_root_is_nothing_to_prune(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "absent"
    assert media_prune() == []


def test_demo_reset_removes_the_old_demos_evidence_files(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    old = tmp_path / "media" / "evidence" / "3" / "7" / ("a" * 64)
    old.parent.mkdir(parents=True)
    old.write_bytes(b"%PDF from the demo before the reset")
    out = io.StringIO()
    with translation.override("en"):
        call_command("demo", "--reset", "--yes", "--no-serve", stdout=out, stderr=io.StringIO())
    assert not old.exists()
    assert "Removed 1 file under" in out.getvalue()
    names = list(m.Evidence.objects.values_list("file", flat=True))
    assert names and all((tmp_path / "media" / name).is_file() for name in names), "the new demo's files stay"
