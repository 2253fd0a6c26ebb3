"""Small builders of enforcement records for tests (and later the demo). They write through the services."""

from __future__ import annotations

import datetime as dt
import itertools

from fazhi.ledgers.enforcement import services

_serial = itertools.count(1)


def id_number() -> str:
    return f"99010119800101{next(_serial):04d}"


def certificate_number() -> str:
    return f"QS{next(_serial):08d}"


def make_officer(
    org,
    name: str = "张三",
    *,
    issued_on: dt.date | None = dt.date(2024, 1, 1),
    expires_on: dt.date | None = dt.date(2029, 12, 31),
    left_on: dt.date | None = None,
    joined_on: dt.date | None = None,
    actor=None,
):
    """An officer of ``org``, with one certificate (``issued_on=None``: without a certificate)."""
    return services.officer_create(
        actor=actor,
        org=org,
        name=name,
        id_number=id_number(),
        certificate_number=certificate_number() if issued_on else "",
        issued_on=issued_on,
        expires_on=expires_on if issued_on else None,
        joined_on=joined_on,
        left_on=left_on,
    )


def make_year(officer, year: int = 2025, general=80, special=80, training_hours=60, **absences):
    return services.officer_year_record(
        actor=None,
        officer=officer,
        year=year,
        general_score=general,
        special_score=special,
        training_hours=training_hours,
        general_absence=absences.get("general_absence", ""),
        special_absence=absences.get("special_absence", ""),
    )


def make_case(org, *, score: int = 80, year: int = 2025, reviewed_on=dt.date(2025, 11, 20), **fields):
    return services.case_file_create(
        actor=None,
        org=org,
        year=year,
        case_number=fields.pop("case_number", f"青执罚〔{year}〕{next(_serial)}号"),
        title=fields.pop("title", "销售过期食品案"),
        reviewed_on=reviewed_on,
        score=score,
        **fields,
    )
