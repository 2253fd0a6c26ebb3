"""Services: rules enforced with the settings' figures, refusals write nothing, every change audited."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from fazhi.core.errors import DomainError
from fazhi.core.models import AuditEvent
from fazhi.core.workdays import add_working_days
from fazhi.ledgers.disputes import services
from fazhi.ledgers.disputes.models import DisclosureRequest, ReconsiderationCase
from tests.ledgers.disputes import factories

D = dt.date


def test_reconsideration_created_with_due_date_and_audit(tree, personas):
    case = factories.reconsideration(tree.county, actor=personas["county_admin"], handlers="王某, 李某")
    assert case.handler_count == 2 and case.handlers == "王某、李某"
    assert case.due_on == D(2026, 3, 6) + dt.timedelta(days=60)
    event = AuditEvent.objects.get(action="disputes.reconsideration.created")
    assert event.object_id == str(case.pk) and event.org_id == tree.county.pk


def test_one_handler_is_refused_and_nothing_written(tree, personas):
    with pytest.raises(DomainError) as error:
        factories.reconsideration(tree.county, actor=personas["county_admin"], handlers="王某")
    assert error.value.rule == "disputes.reconsideration_handlers" and error.value.field == "handlers"
    assert (
        not ReconsiderationCase.objects.exists()
        and not AuditEvent.objects.filter(action__startswith="disputes").exists()
    )


def test_figures_come_from_settings(tree, settings):
    settings.FAZHI_RECONSIDERATION_MIN_HANDLERS = 3
    settings.FAZHI_RECONSIDERATION_DAYS = 30
    with pytest.raises(DomainError):
        factories.reconsideration(tree.county)
    case = factories.reconsideration(tree.county, handlers="甲、乙、丙")
    assert case.due_on == D(2026, 4, 5)


def test_extension_once_and_at_most_the_setting(tree, personas):
    admin = personas["county_admin"]
    case = factories.reconsideration(tree.county, actor=admin)
    with pytest.raises(DomainError) as error:
        services.reconsideration_extend(actor=admin, case=case, days=31)
    assert error.value.rule == "disputes.reconsideration_extension"
    case = services.reconsideration_extend(actor=admin, case=case, days=30)
    assert case.due_on == D(2026, 3, 6) + dt.timedelta(days=90)
    with pytest.raises(DomainError) as error, translation.override("en"):
        services.reconsideration_extend(actor=admin, case=case, days=1)
    assert "second" in error.value.message
    assert AuditEvent.objects.filter(action="disputes.reconsideration.extended").count() == 1


def test_decided_late_or_on_time(tree):
    case = factories.reconsideration(tree.county)
    case = services.reconsideration_update(actor=None, case=case, decided_on=case.due_on, decision="dismiss")
    assert case.on_time is True and case.act_corrected is False
    case = services.reconsideration_update(
        actor=None, case=case, decided_on=case.due_on + dt.timedelta(days=1), decision="revoke"
    )
    assert case.on_time is False and case.act_corrected is True


def test_update_audits_only_what_changed(tree):
    case = factories.reconsideration(tree.county)
    services.reconsideration_update(actor=None, case=case, matter="不服行政强制")
    event = AuditEvent.objects.get(action="disputes.reconsideration.updated")
    assert event.new == {"matter": "不服行政强制"} and event.old == {"matter": "不服行政处罚决定"}


def test_duplicate_number_in_one_org_refused(tree):
    factories.reconsideration(tree.county, case_number="复1")
    with pytest.raises(DomainError) as error:
        factories.reconsideration(tree.county, case_number="复1")
    assert error.value.rule == "disputes.duplicate_number"
    factories.reconsideration(tree.township, case_number="复1")  # another org's register


def test_write_outside_edit_scope_is_forbidden(tree, personas):
    with pytest.raises(PermissionDenied):
        factories.mediation(tree.county, actor=personas["township_clerk"])
    with pytest.raises(PermissionDenied):
        factories.mediation(tree.village, actor=personas["leader"])
    factories.mediation(tree.village, actor=personas["township_clerk"])


def test_disclosure_due_in_working_days_with_one_extension(tree, settings):
    request = factories.disclosure(tree.county, received_on=D(2026, 9, 25))
    # National Day week: the clock skips the holidays and counts the swapped working Saturday.
    assert request.due_on == add_working_days(D(2026, 9, 25), settings.FAZHI_DISCLOSURE_WORKING_DAYS)
    assert (request.due_on - D(2026, 9, 25)).days > 28
    request = services.disclosure_extend(actor=None, request=request, days=20)
    assert request.due_on == add_working_days(D(2026, 9, 25), 40)
    with pytest.raises(DomainError):
        services.disclosure_extend(actor=None, request=request, days=5)


def test_disclosure_running_into_an_uncovered_year_is_refused(tree):
    with pytest.raises(DomainError) as error:
        factories.disclosure(tree.county, received_on=D(2026, 12, 20))
    assert error.value.rule == "calendar.year_not_covered"
    assert not DisclosureRequest.objects.exists()


def test_mediation_and_litigation_rules_hold_in_services(tree):
    with pytest.raises(DomainError) as error:
        factories.mediation(tree.county, outcome="settled", concluded_on=D(2026, 3, 5))
    assert error.value.rule == "disputes.mediation_order"
    with pytest.raises(DomainError) as error:
        factories.litigation(tree.county, hearing_on=D(2026, 1, 1))
    assert error.value.rule == "disputes.dates_order"


def test_a_blank_outcome_is_pending(tree):
    case = factories.litigation(tree.county, outcome="")
    assert case.outcome == "pending"
