"""Selectors: the status query agrees with the pure rule; lists and deadlines are scoped."""

import datetime as dt

from fazhi.ledgers.enforcement import rules, selectors
from fazhi.ledgers.enforcement.models import Officer
from fazhi.orgs.models import subtree_q
from tests.ledgers.enforcement.factories import make_officer, make_year

D = dt.date


def _world(tree):
    active = make_officer(tree.village, "甲")
    make_year(active, 2025)
    failed = make_officer(tree.village, "乙")
    make_year(failed, 2025, general=59)
    truant = make_officer(tree.community, "丙")
    make_year(truant, 2025, general=None, general_absence="unexcused")
    excused = make_officer(tree.community, "丁")
    make_year(excused, 2025, special=None, special_absence="excused")
    expired = make_officer(tree.township, "戊", issued_on=D(2020, 1, 1), expires_on=D(2025, 3, 1))
    none = make_officer(tree.township, "己", issued_on=None)
    left = make_officer(tree.township, "庚", left_on=D(2025, 5, 1))
    other = make_officer(tree.other_village, "辛")
    make_officer(tree.township, "壹", joined_on=D(2025, 7, 1))
    return {
        "active": active,
        "failed": failed,
        "truant": truant,
        "excused": excused,
        "expired": expired,
        "none": none,
        "left": left,
        "other": other,
    }


def test_status_query_agrees_with_the_rule(tree, personas):
    world = _world(tree)
    for on in (D(2025, 6, 1), D(2024, 6, 1), D(2025, 2, 1), D(2030, 1, 1)):
        annotated = dict(
            Officer.objects.annotate(status=selectors.status_annotation(on, 60)).values_list("pk", "status")
        )
        for officer in Officer.objects.all():
            assert annotated[officer.pk] == selectors.officer_detail(officer, on)["status"], (officer.name, on)
    statuses = dict(
        Officer.objects.annotate(status=selectors.status_annotation(D(2025, 6, 1), 60)).values_list("name", "status")
    )
    assert statuses == {
        "甲": rules.ACTIVE,
        "乙": rules.SUSPENDED,
        "丙": rules.SUSPENDED,
        "丁": rules.ACTIVE,
        "戊": rules.EXPIRED,
        "己": rules.EXPIRED,
        "庚": rules.LEFT,
        "辛": rules.ACTIVE,
        "壹": rules.LEFT,
    }
    assert world


def test_pass_mark_comes_from_the_settings(tree, settings):
    officer = make_officer(tree.village)
    make_year(officer, 2025, general=65)
    settings.FAZHI_EXAM_PASS_MARK = 70
    assert Officer.objects.annotate(status=selectors.status_annotation(D(2025, 6, 1))).get().status == rules.SUSPENDED
    assert selectors.officer_detail(officer, D(2025, 6, 1))["status"] == rules.SUSPENDED


def test_officer_list_is_scoped_and_filtered(tree, personas):
    _world(tree)
    clerk = personas["township_clerk"]
    names = {o.name for o in selectors.officer_list(clerk, on=D(2025, 6, 1))}
    assert names == {"甲", "乙", "丙", "丁", "戊", "己", "庚", "壹"}
    suspended = {o.name for o in selectors.officer_list(clerk, status="suspended", on=D(2025, 6, 1))}
    assert suspended == {"乙", "丙"}
    assert {o.name for o in selectors.officer_list(clerk, org=tree.community, on=D(2025, 6, 1))} == {"丙", "丁"}
    assert {o.name for o in selectors.officer_list(personas["village_clerk_elsewhere"])} == {"辛"}


def test_deadlines_certificates_due_and_exams_missing(tree):
    world = _world(tree)
    make_officer(tree.village, "壬", issued_on=D(2021, 1, 1), expires_on=D(2026, 1, 5))
    renewed = make_officer(tree.village, "癸", issued_on=D(2020, 1, 1), expires_on=D(2025, 12, 30))
    from fazhi.ledgers.enforcement import services

    services.certificate_add(
        actor=None, officer=renewed, number="NEW-1", issued_on=D(2025, 12, 1), expires_on=D(2030, 12, 1)
    )
    scope = subtree_q(tree.county.path, "org__path")
    due = list(selectors.deadlines(scope, D(2025, 1, 1), D(2026, 1, 8)))
    certificates = {(d.record, d.due) for d in due if d.url.endswith(f"/{world['expired'].pk}/") or d.record == "壬"}
    assert ("戊", D(2025, 3, 1)) in certificates and ("壬", D(2026, 1, 5)) in certificates
    assert not [d for d in due if d.record == "癸" and d.due == D(2025, 12, 30)]
    exams = {d.record for d in due if d.due == D(2025, 12, 31)}
    # in post on 31 December with a certificate at some time in 2025 and the exams not recorded (an absence is a
    # result): not 甲 乙 丙 丁 (recorded), 己 (no certificate), 庚 (left), 辛 (outside the scope).
    assert exams == {"壬 2025", "癸 2025", "戊 2025", "壹 2025"}
    assert all(d.org_id != tree.other_village.pk for d in due)
