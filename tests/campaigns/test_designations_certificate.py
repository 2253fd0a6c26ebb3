"""The certificate PDF: one A4 landscape page, Chinese text in an embedded CJK font (checked with ``pdffonts``
from poppler-utils), the unit, the title, the organiser and the certificate number.

Skipped when ``pdffonts`` is absent, unless ``FAZHI_REQUIRE_BROWSER=1`` (as in ``.ci/run``, which installs
poppler-utils), when it fails instead.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from fazhi.campaigns import certificates
from fazhi.campaigns import models as m
from fazhi.core.env import env_bool

PDFFONTS = shutil.which("pdffonts")
PDFTOTEXT = shutil.which("pdftotext")
PDFINFO = shutil.which("pdfinfo")
REQUIRED = env_bool("FAZHI_REQUIRE_BROWSER", False)

needs_poppler = pytest.mark.skipif(
    PDFFONTS is None and not REQUIRED,
    reason="pdffonts is absent (apt-get install poppler-utils); set FAZHI_REQUIRE_BROWSER=1 to fail instead",
)


@pytest.fixture
def designation(tree):
    from django.utils import timezone

    from tests.campaigns.world import _application, _campaign, _standard

    campaign = _campaign(_standard(tree), tree.county, m.Stage.CLOSED, title="青山县法治乡镇创建", year=2025)
    campaign.kind = m.CampaignKind.TOWNSHIP
    campaign.save()
    application = _application(campaign, tree.township2, m.ApplicationState.NAMED)
    return m.Designation.objects.create(
        application=application,
        campaign=campaign,
        org=tree.township2,
        certificate_number=f"990101-2025-{campaign.pk}-001",
        named_at=timezone.now(),
    )


@pytest.fixture
def pdf(designation, tmp_path):
    path = tmp_path / "certificate.pdf"
    path.write_bytes(certificates.certificate_pdf(designation))
    return path


@needs_poppler
def test_certificate_embeds_a_cjk_font(pdf):
    if PDFFONTS is None:
        pytest.fail("FAZHI_REQUIRE_BROWSER=1 but pdffonts is absent: apt-get install poppler-utils", pytrace=False)
    output = subprocess.run([PDFFONTS, str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = output.splitlines()[2:]  # after the header and the dashes
    cjk = [row for row in rows if "CJK" in row]
    assert cjk, output
    # Columns: name, type, encoding, emb, sub, uni, object id; "emb" is the fourth from the right.
    assert all(row.split()[-5] == "yes" for row in cjk), output


@needs_poppler
def test_certificate_text_is_the_unit_the_organiser_and_the_number(pdf, designation):
    if PDFTOTEXT is None:
        pytest.fail("FAZHI_REQUIRE_BROWSER=1 but pdftotext is absent: apt-get install poppler-utils", pytrace=False)
    text = subprocess.run([PDFTOTEXT, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    text = re.sub(r"\s+", "", text)
    assert "河口镇" in text
    assert "青山县" in text
    assert designation.certificate_number in text


@needs_poppler
def test_certificate_is_one_a4_landscape_page(pdf):
    if PDFINFO is None:
        pytest.fail("FAZHI_REQUIRE_BROWSER=1 but pdfinfo is absent: apt-get install poppler-utils", pytrace=False)
    info = subprocess.run([PDFINFO, str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.MULTILINE), info
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.MULTILINE)
    assert (round(float(size.group(1))), round(float(size.group(2)))) == (842, 595), info  # A4 landscape
