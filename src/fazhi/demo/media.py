"""Media files that no database row references any more: what ``fazhi demo --reset`` leaves behind.

Every file under ``MEDIA_ROOT`` is written through a model's ``FileField`` (evidence files of applications and
of the ledgers). After a reset, the new database references only the files the new demo wrote; the old ones
(whose rows went with the old database) are removed here. Only regular files strictly inside ``MEDIA_ROOT`` are
touched: symbolic links are left alone and never followed, and nothing outside the folder is deleted. Folders
that end up empty are removed too (``MEDIA_ROOT`` itself stays).
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.db import models


def referenced_media() -> set[str]:
    """The names (relative to ``MEDIA_ROOT``, with ``/``) of every file a ``FileField`` of any model holds;
    one query per such field."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                values = model._default_manager.exclude(**{field.name: ""}).exclude(**{f"{field.name}__isnull": True})
                names.update(str(PurePosixPath(name)) for name in values.values_list(field.name, flat=True))
    return names


def media_prune(root: Path | str | None = None) -> list[str]:
    """Delete the regular files under ``root`` (default ``MEDIA_ROOT``) that no row references, and the folders
    left empty; return the deleted files' names, sorted."""
    root = Path(root if root is not None else settings.MEDIA_ROOT)
    if not root.is_dir() or root.is_symlink():
        return []
    base = root.resolve()
    keep = referenced_media()
    removed = []
    for folder, _subfolders, files in os.walk(base, topdown=False, followlinks=False):
        here = Path(folder)
        for file in files:
            path = here / file
            name = path.relative_to(base).as_posix()
            if path.is_symlink() or not path.is_file() or name in keep:
                continue
            if base not in path.resolve().parents:
                continue  # never anything outside MEDIA_ROOT
            path.unlink()
            removed.append(name)
        if here != base and not any(here.iterdir()):  # bottom-up: its subfolders were handled first
            here.rmdir()
    return sorted(removed)
