"""Normative documents for the permission and air-gap tables: 青山县's document in force (``normative_document``,
also on the public catalogue), 城关镇's decided one awaiting registration (``normative_document_township``),
白水村's in force (``normative_document_other``), and a cleanup of 青山县 (``document_cleanup``) with its first item."""

from __future__ import annotations

import datetime as dt

from fazhi.ledgers.documents import services
from tests.ledgers.documents.factories import document_through

SAMPLES = {
    "document": "normative_document",
    "cleanup": "document_cleanup",
    "cleanup_item": "document_cleanup_item",
    "step": "document_step",
}


def build(tree, personas, world) -> dict:
    county = document_through(tree.county, title="青山县城市绿化管理办法", office=tree.justice_bureau)
    township = document_through(tree.township, "decided", title="城关镇集贸市场管理办法")
    other = document_through(tree.other_village, title="白水村村务管理办法", office=tree.other_bureau)
    cleanup = services.cleanup_start(
        actor=None, org=tree.county, title="2025年规范性文件清理", started_on=dt.date(2025, 12, 1)
    )
    return {
        "normative_document": county.pk,
        "normative_document_township": township.pk,
        "normative_document_other": other.pk,
        "document_cleanup": cleanup.pk,
        "document_cleanup_item": cleanup.items.get().pk,
        "document_step": "register",
    }
