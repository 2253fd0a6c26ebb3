"""Small builders of normative documents, for tests (and later the demo).

``document_through`` takes a document through the real services up to a step; ``make_document`` writes a row
directly (for metric worlds where only the dates matter).
"""

from __future__ import annotations

import datetime as dt
import itertools

from fazhi.ledgers.documents import services
from fazhi.ledgers.documents.models import Document

STEPS = ("drafting", "comment", "review", "decision", "decided", "registered", "in_force")
_serials = itertools.count(1)


def document_through(
    org,
    step: str = "in_force",
    *,
    actor=None,
    title: str = "青山县城市绿化管理办法",
    office=None,
    start: dt.date = dt.date(2025, 3, 3),
    affects_rights: bool = True,
    outcome: str = "pass",
    validity_years: int = 5,
    channel: str = "website",
    number_serial: int | None = None,
) -> Document:
    """A document of ``org`` taken through the services to ``step`` (one of STEPS), dates from ``start`` on."""
    target = STEPS.index(step)
    document = services.document_create(
        actor=actor, org=org, title=title, affects_rights=affects_rights, drafted_on=start
    )
    if target >= 1:
        document = services.document_comment(
            actor=actor,
            document=document,
            comment_start=start + dt.timedelta(days=7),
            comment_end=start + dt.timedelta(days=37),
        )
    if target >= 2:
        document = services.document_submit_review(
            actor=actor, document=document, submitted_on=start + dt.timedelta(days=40)
        )
    if target >= 3:
        document = services.document_review(
            actor=actor, document=document, reported_on=start + dt.timedelta(days=50), outcome=outcome
        )
    if target >= 4:
        document = services.document_decide(
            actor=actor, document=document, decided_on=start + dt.timedelta(days=55), meeting="县政府常务会议"
        )
    if target >= 5:
        effective = start + dt.timedelta(days=70)
        document = services.document_register(
            actor=actor,
            document=document,
            office=office or org,
            registered_on=start + dt.timedelta(days=60),
            number_prefix="青政规",
            number_serial=number_serial,
            effective_from=effective,
            expires_on=effective.replace(year=effective.year + validity_years) - dt.timedelta(days=1),
        )
    if target >= 6:
        document = services.document_publish(
            actor=actor, document=document, published_on=start + dt.timedelta(days=62), channel=channel
        )
    return document


def make_document(org, **fields) -> Document:
    """A row written directly (no rules, no audit): for worlds where only the stored fields matter."""
    fields.setdefault("title", f"规范性文件{next(_serials)}")
    fields.setdefault("status", "in_force")
    return Document.objects.create(org=org, **fields)
