"""The real type of a file from its first bytes: what evidence uploads are checked with."""

from __future__ import annotations

import io
import zipfile

import pytest

from fazhi.core import filetypes

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def xlsx_bytes() -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PDF, "pdf"),
        (JPEG, "jpeg"),
        (PNG, "png"),
        (docx_bytes(), "docx"),
        (xlsx_bytes(), "xlsx"),
    ],
)
def test_each_accepted_kind_is_recognised_by_its_content(data, kind):
    assert filetypes.sniff(io.BytesIO(data)) == kind


@pytest.mark.parametrize(
    "data",
    [
        EXE,
        b"",
        b"hello, plain text",
        b"<html><script>alert(1)</script></html>",
        zip_bytes({"readme.txt": b"just a zip"}),  # a ZIP, but no Office document
        zip_bytes({"word/document.xml": b"<w:document/>"}),  # no [Content_Types].xml
        b"PK\x03\x04 broken archive",
    ],
)
def test_anything_else_is_not_recognised(data):
    assert filetypes.sniff(io.BytesIO(data)) is None


def test_the_name_plays_no_part_and_the_position_is_put_back():
    stream = io.BytesIO(PDF)
    stream.name = "photo.jpg"
    stream.seek(5)
    assert filetypes.sniff(stream) == "pdf"
    assert stream.tell() == 5


def test_a_zip_bomb_is_listed_not_extracted():
    # 64 MB of zeros compresses to about 64 KB; sniffing must not inflate it.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\x00" * (1 << 20)
            for _ in range(64):
                member.write(chunk)
    assert len(buffer.getvalue()) < 2 << 20
    import tracemalloc

    tracemalloc.start()
    assert filetypes.sniff(io.BytesIO(buffer.getvalue())) == "docx"
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 10 << 20


def test_an_archive_with_too_many_members_is_refused(monkeypatch):
    monkeypatch.setattr(filetypes, "MAX_ZIP_MEMBERS", 3)
    data = zip_bytes({"[Content_Types].xml": b"", "word/document.xml": b"", "a": b"", "b": b""})
    assert filetypes.sniff(io.BytesIO(data)) is None


def test_content_types_are_the_standard_ones():
    assert filetypes.content_type("pdf") == "application/pdf"
    assert filetypes.content_type("docx").endswith("wordprocessingml.document")
