"""The real type of a file, from its first bytes, whatever its name says. Pure, no Django.

Evidence uploads are checked with :func:`sniff`: a PDF, a JPEG or a PNG by its signature, and the Office
Open XML documents (``docx``, ``xlsx``) as ZIP containers whose member names show the kind. A ZIP is only
*listed* (its central directory read through :mod:`zipfile`), never extracted, so a zip bomb costs
nothing; an archive with an absurd number of members is not recognised at all.
"""

from __future__ import annotations

import zipfile
from typing import BinaryIO

PDF, JPEG, PNG, DOCX, XLSX = "pdf", "jpeg", "png", "docx", "xlsx"
KINDS = (PDF, JPEG, PNG, DOCX, XLSX)

CONTENT_TYPES = {
    PDF: "application/pdf",
    JPEG: "image/jpeg",
    PNG: "image/png",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", DOCX: ".docx", XLSX: ".xlsx"}

# A real Word or Excel file has tens to a few thousand members; more is not a document we accept.
MAX_ZIP_MEMBERS = 10_000

_SIGNATURES = (
    (b"%PDF-", PDF),
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
)
_ZIP = b"PK\x03\x04"
# The part that makes an OOXML package a Word document or a workbook.
_OOXML_PARTS = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX))


def _ooxml_kind(stream: BinaryIO) -> str | None:
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_MEMBERS:
                return None
            names = {info.filename for info in infos}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    for part, kind in _OOXML_PARTS:
        if part in names:
            return kind
    return None


def sniff(stream: BinaryIO) -> str | None:
    """The kind of the file (one of :data:`KINDS`), or None when it is none of them.

    ``stream`` is a seekable binary file object; its position is put back where it was.
    """
    start = stream.tell()
    try:
        stream.seek(0)
        head = stream.read(16)
        for signature, kind in _SIGNATURES:
            if head.startswith(signature):
                return kind
        if head.startswith(_ZIP):
            stream.seek(0)
            return _ooxml_kind(stream)
        return None
    finally:
        stream.seek(start)


def content_type(kind: str) -> str:
    return CONTENT_TYPES[kind]
