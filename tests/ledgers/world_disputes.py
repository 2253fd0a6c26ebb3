"""Disputes records for the permission and air-gap tables: one record of each register in 城关镇's ledger
(``dispute_<register>``) and one in 白水村's (``dispute_<register>_other``)."""

from __future__ import annotations

from tests.ledgers.disputes import factories

REGISTERS = ("reconsideration", "litigation", "mediation", "disclosure")


def build(tree, personas, world) -> dict:
    built = {}
    for register in REGISTERS:
        make = getattr(factories, register)
        built[f"dispute_{register}"] = make(tree.township).pk
        built[f"dispute_{register}_other"] = make(tree.other_village).pk
    return built


SAMPLES = {register: f"dispute_{register}" for register in REGISTERS}
