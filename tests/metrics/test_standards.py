"""Every metric a shipped scoring standard names resolves to a registered metric (the standards' metric-bound
leaves are scored from the ledgers: a code that resolves to nothing would leave a leaf unscorable)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fazhi.indicators.formats.yaml_format import load_yaml
from fazhi.metrics.registry import metric_get, metrics

STANDARDS = sorted((Path(__file__).resolve().parents[2] / "src/fazhi/indicators/standards").glob("*.yaml"))


def _leaves(indicators):
    for indicator in indicators:
        if indicator.children:
            yield from _leaves(indicator.children)
        else:
            yield indicator


def named_metrics() -> list[tuple[str, str, str]]:
    """(standard file, leaf code, metric code) for every metric-bound leaf of the shipped standards."""
    found = []
    for path in STANDARDS:
        standard = load_yaml(path.read_bytes())
        for leaf in _leaves(standard.indicators):
            if leaf.rule is not None and leaf.rule.metric:
                found.append((path.name, leaf.code, leaf.rule.metric))
    return found


def test_the_shipped_standards_name_metrics():
    assert len(named_metrics()) >= 30


@pytest.mark.parametrize(("standard", "leaf", "code"), named_metrics(), ids=lambda v: v)
def test_every_metric_a_shipped_standard_names_is_registered(standard, leaf, code):
    try:
        metric = metric_get(code)
    except KeyError:
        pytest.fail(f"{standard} leaf {leaf} names {code}, which is not a registered metric")
    assert metric.code == code


def test_the_metrics_the_issue_lists_are_registered():
    """Issue 5's list: filing on time, legality review, expired yet in force; procedure compliance; certified, exam
    pass, case-file excellent; reconsideration on time and correction, head appearance, mediation and its success,
    disclosure on time; study-hours compliance and sessions held."""
    listed = {
        "documents.timely_filing_rate",
        "documents.legality_review_rate",
        "documents.expired_in_force",
        "decisions.procedure_compliance_rate",
        "enforcement.certified_officer_rate",
        "enforcement.exam_pass_rate",
        "enforcement.case_file_excellent_rate",
        "disputes.reconsideration_on_time_rate",
        "disputes.reconsideration_correction_rate",
        "disputes.head_appearance_rate",
        "disputes.mediation_rate",
        "disputes.mediation_success_rate",
        "disputes.disclosure_on_time_rate",
        "study.hours_compliance_rate",
        "study.sessions_held",
    }
    assert listed - {m.code for m in metrics()} == set()
