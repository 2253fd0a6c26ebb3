"""Enforcement records for the permission and air-gap tables: an officer (with a certificate and a year's exams)
and a reviewed case file in 东门村's ledger (inside 城关镇 and 青山县), and the same in 白水村's (the other county)."""

from __future__ import annotations

from tests.ledgers.enforcement.factories import make_case, make_officer, make_year


def build(tree, personas, world) -> dict:
    officer = make_officer(tree.village, "张执法")
    make_year(officer, 2025)
    other = make_officer(tree.other_village, "白执法")
    return {
        "enf_officer": officer.pk,
        "enf_officer_other": other.pk,
        "enf_casefile": make_case(tree.village).pk,
        "enf_casefile_other": make_case(tree.other_village).pk,
    }


SAMPLES = {"officer": "enf_officer", "casefile": "enf_casefile"}
