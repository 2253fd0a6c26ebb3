"""The metric pages' objects for the page tables: the fake metrics' codes (registered here) and an unknown one."""

from __future__ import annotations

from tests.metrics.fakes import VILLAGE_SHARE, fake_metrics_register


def build(tree, personas, world) -> dict:
    fake_metrics_register()
    return {"metric_code": VILLAGE_SHARE.code, "unknown_metric_code": "test.no_such_metric"}


SAMPLES = {"metric_code": "metric_code"}
