"""What the application pages' rows need beyond the base world: a leaf of the world's standard, and evidence
files on 城关镇's draft (``evidence``), on 西街社区's application in review, assigned to the ``reviewer``
persona (``evidence_review``), and on 东门村's submitted application (``evidence_submitted``). Files are
written through the default storage (a temporary MEDIA_ROOT in tests/settings.py)."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile

from fazhi.campaigns import models as m
from fazhi.indicators.models import Indicator

PDF = b"%PDF-1.7\n%%EOF\n"


def _evidence(application_pk: int, name: str) -> int:
    content = PDF + name.encode()
    evidence = m.Evidence(
        application_id=application_pk,
        name=name,
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    evidence.file.save(evidence.sha256, ContentFile(content), save=False)
    evidence.save()
    return evidence.pk


def build(tree, personas, world) -> dict:
    return {
        "world_leaf": Indicator.objects.get(standard_id=world["world_standard"], code="1.1").pk,
        "evidence": _evidence(world["application"], "学法计划.pdf"),
        "evidence_review": _evidence(world["application_review"], "调解台账.pdf"),
        "evidence_submitted": _evidence(world["application_submitted"], "村规民约.pdf"),
    }


SAMPLES = {"evidence": "evidence_review"}
