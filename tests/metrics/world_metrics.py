"""The metric pages' objects for the page tables: a real metric's code and an unknown one (the fake metrics are
registered only inside the tests that use them: the registry is global, and a page would list them)."""

from __future__ import annotations


def build(tree, personas, world) -> dict:
    return {"metric_code": "disputes.mediation_success_rate", "unknown_metric_code": "test.no_such_metric"}


SAMPLES = {"metric_code": "metric_code"}
