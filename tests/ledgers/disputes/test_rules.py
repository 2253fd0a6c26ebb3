"""The pure rules: each rule and its boundary, with the figures passed in."""

import datetime as dt

from fazhi.ledgers.disputes import rules

D = dt.date


def _recon(**values):
    base = {"received_on": D(2026, 3, 1), "accepted_on": D(2026, 3, 5), "handlers": "王某、李某", "extension_days": 0}
    base.update(values)
    return rules.reconsideration_problems(base, min_handlers=2, max_extension_days=30)


def codes(problems):
    return [(p.field, p.rule) for p in problems]


def test_a_complete_case_breaks_no_rule():
    assert _recon(decided_on=D(2026, 4, 1), decision="revoke", act_corrected=True, complied=True) == []


def test_accepted_before_received_is_refused():
    assert codes(_recon(accepted_on=D(2026, 2, 28))) == [("accepted_on", "disputes.dates_order")]
    assert _recon(accepted_on=D(2026, 3, 1)) == []


def test_handlers_at_least_the_minimum():
    assert codes(_recon(handlers="王某")) == [("handlers", "disputes.reconsideration_handlers")]
    assert codes(_recon(handlers="")) == [("handlers", "disputes.reconsideration_handlers")]
    assert _recon(handlers="王某,李某") == []
    assert rules.reconsideration_problems(
        {"handlers": "王某、李某", "extension_days": 0}, min_handlers=3, max_extension_days=30
    )[0].params == {"min": 3, "count": 2}


def test_handler_names_split_on_any_separator():
    assert rules.handler_names("王某、李某，张某; 赵某 钱某") == ["王某", "李某", "张某", "赵某", "钱某"]


def test_extension_at_most_the_maximum():
    assert _recon(extension_days=30) == []
    assert codes(_recon(extension_days=31)) == [("extension_days", "disputes.reconsideration_extension")]


def test_one_extension_only():
    assert rules.extension_problems(0, 30, max_days=30, rule="reconsideration", unit="days") == []
    assert codes(rules.extension_problems(10, 5, max_days=30, rule="reconsideration", unit="days")) == [
        ("extension_days", "disputes.reconsideration_extension")
    ]
    assert codes(rules.extension_problems(0, 21, max_days=20, rule="disclosure", unit="working days")) == [
        ("extension_days", "disputes.disclosure_extension")
    ]
    assert rules.extension_problems(0, 0, max_days=20, rule="disclosure", unit="working days")


def test_due_date_counts_calendar_days_after_acceptance():
    assert rules.reconsideration_due(D(2026, 3, 5), 0, days=60) == D(2026, 5, 4)
    assert rules.reconsideration_due(D(2026, 3, 5), 30, days=60) == D(2026, 6, 3)


def test_decision_needs_its_date_and_type():
    assert codes(_recon(decided_on=D(2026, 4, 1))) == [("decision", "disputes.reconsideration_decision")]
    assert codes(_recon(decision="uphold")) == [("decided_on", "disputes.reconsideration_decision")]
    assert codes(_recon(decided_on=D(2026, 3, 4), decision="uphold")) == [("decided_on", "disputes.dates_order")]


def test_correction_follows_the_decision_type():
    assert codes(_recon(decided_on=D(2026, 4, 1), decision="revoke", act_corrected=False)) == [
        ("act_corrected", "disputes.reconsideration_correction")
    ]
    assert codes(_recon(decided_on=D(2026, 4, 1), decision="uphold", act_corrected=True)) == [
        ("act_corrected", "disputes.reconsideration_correction")
    ]
    assert _recon(decided_on=D(2026, 4, 1), decision="mediation", act_corrected=True) == []
    assert rules.reconsideration_corrected("alter", None) is True
    assert rules.reconsideration_corrected("dismiss", None) is False
    assert rules.reconsideration_corrected("settlement", True) is True
    assert rules.reconsideration_corrected("", None) is None


def test_compliance_only_for_decisions_to_perform():
    assert codes(_recon(decided_on=D(2026, 4, 1), decision="uphold", complied=True)) == [
        ("complied", "disputes.reconsideration_compliance")
    ]


def test_litigation_rules():
    base = {"filed_on": D(2026, 2, 1)}
    assert rules.litigation_problems(base) == []
    assert codes(rules.litigation_problems({**base, "hearing_on": D(2026, 1, 31)})) == [
        ("hearing_on", "disputes.dates_order")
    ]
    assert codes(rules.litigation_problems({**base, "head_appeared": True})) == [
        ("head_appeared", "disputes.litigation_appearance")
    ]
    assert codes(rules.litigation_problems({**base, "outcome": "lost"})) == [
        ("closed_on", "disputes.litigation_outcome")
    ]
    assert codes(
        rules.litigation_problems({**base, "outcome": "won", "closed_on": D(2026, 5, 1), "complied": True})
    ) == [("complied", "disputes.litigation_compliance")]
    assert rules.litigation_problems({**base, "outcome": "lost", "closed_on": D(2026, 5, 1), "complied": False}) == []


def test_mediation_goes_screened_mediated_concluded():
    base = {"screened_on": D(2026, 3, 1)}
    assert rules.mediation_problems(base) == []
    assert codes(rules.mediation_problems({**base, "outcome": "settled", "concluded_on": D(2026, 3, 5)})) == [
        ("mediated_on", "disputes.mediation_order")
    ]
    assert codes(rules.mediation_problems({**base, "mediated_on": D(2026, 2, 28)})) == [
        ("mediated_on", "disputes.dates_order")
    ]
    assert codes(rules.mediation_problems({**base, "mediated_on": D(2026, 3, 2), "outcome": "settled"})) == [
        ("concluded_on", "disputes.mediation_outcome")
    ]


def test_disclosure_rules():
    base = {"received_on": D(2026, 3, 2), "extension_days": 20}
    assert rules.disclosure_problems(base, max_extension_days=20) == []
    assert codes(rules.disclosure_problems(base, max_extension_days=19)) == [
        ("extension_days", "disputes.disclosure_extension")
    ]
    assert codes(
        rules.disclosure_problems({**base, "answered_on": D(2026, 3, 1), "reply": "disclosed"}, max_extension_days=20)
    ) == [("answered_on", "disputes.dates_order")]
    assert codes(rules.disclosure_problems({**base, "answered_on": D(2026, 3, 3)}, max_extension_days=20)) == [
        ("reply", "disputes.disclosure_reply")
    ]
