"""The certificate of a designation, as a PDF: one A4 landscape page in Chinese.

Rendered by WeasyPrint from ``templates/campaigns/notice/certificate.html``. The fonts are Debian's
``fonts-noto-cjk`` ("Noto Serif CJK SC" for the text, "Noto Sans CJK SC" for the number), found through
fontconfig and embedded (subset) in the PDF, so the certificate prints the same on any machine; nothing is
fetched from the network (the template refers to no URL, and the URL fetcher refuses every request).
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format

from fazhi.campaigns.models import CampaignKind, Designation


def _no_fetch(url: str, *args, **kwargs):
    raise ValueError(f"certificates fetch nothing: {url}")


def certificate_context(designation: Designation) -> dict:
    campaign = designation.campaign
    named_on = timezone.localdate(designation.named_at)
    return {
        "designation": designation,
        "unit": designation.org.name,
        "title": CampaignKind(campaign.kind).label,
        "campaign": campaign,
        "organiser": campaign.organiser.name,
        "named_on": date_format(named_on, "DATE_FORMAT"),
        "number": designation.certificate_number,
    }


def certificate_pdf(designation: Designation) -> bytes:
    """The PDF bytes of the certificate: always in Chinese, whatever the reader's language (an official document)."""
    from weasyprint import HTML  # imported here: loading Pango takes a moment, and only this needs it

    with translation.override("zh-hans"):
        context = certificate_context(designation)
        html = render_to_string("campaigns/notice/certificate.html", context)
    return HTML(string=html, url_fetcher=_no_fetch).write_pdf()


def certificate_filename(designation: Designation) -> str:
    return f"certificate-{designation.certificate_number}.pdf"
