"""Services: rules refused with nothing written, audit written, scope enforced."""

import datetime as dt

import pytest

from fazhi.core.errors import DomainError
from fazhi.core.models import AuditEvent
from fazhi.ledgers.enforcement import services
from fazhi.ledgers.enforcement.models import CaseFile, Certificate, Officer, OfficerYear
from tests.ledgers.enforcement.factories import make_case, make_officer

D = dt.date


def test_officer_with_certificate_is_created_and_audited(tree, personas):
    officer = services.officer_create(
        actor=personas["township_clerk"],
        org=tree.village,
        name="张三",
        id_number="990101198001011234",
        certificate_number="QS001",
        issued_on=D(2025, 1, 1),
        expires_on=D(2030, 1, 1),
    )
    assert officer.certificates.get().number == "QS001"
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))[-2:]
    assert actions == ["enforcement.officer.created", "enforcement.certificate.created"]


def test_certificate_expiring_before_issue_is_refused_and_nothing_is_written(tree, personas):
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError) as error:
        services.officer_create(
            actor=personas["township_clerk"],
            org=tree.village,
            name="张三",
            id_number="990101198001011234",
            certificate_number="QS001",
            issued_on=D(2025, 1, 1),
            expires_on=D(2024, 1, 1),
        )
    assert (error.value.rule, error.value.field) == ("enforcement.certificate_dates", "expires_on")
    assert not Officer.objects.exists() and not Certificate.objects.exists()
    assert AuditEvent.objects.count() == before


def test_certificate_number_is_unique(tree):
    officer = make_officer(tree.village)
    number = officer.certificates.get().number
    with pytest.raises(DomainError) as error:
        services.certificate_add(
            actor=None, officer=officer, number=number, issued_on=D(2030, 1, 1), expires_on=D(2035, 1, 1)
        )
    assert error.value.rule == "enforcement.certificate_number_taken"
    assert officer.certificates.count() == 1


def test_id_number_is_unique(tree):
    officer = make_officer(tree.village)
    with pytest.raises(DomainError) as error:
        services.officer_create(actor=None, org=tree.township, name="李四", id_number=officer.id_number)
    assert error.value.rule == "enforcement.id_number_taken"


def test_writing_outside_the_actors_scope_is_refused(tree, personas):
    with pytest.raises(DomainError) as error:
        services.officer_create(
            actor=personas["township_clerk"], org=tree.other_village, name="张三", id_number="12345"
        )
    assert error.value.rule == "enforcement.forbidden"
    with pytest.raises(DomainError):
        services.officer_create(actor=personas["leader"], org=tree.village, name="张三", id_number="12345")
    assert not Officer.objects.exists()


def test_year_is_recorded_once_and_corrected(tree):
    officer = make_officer(tree.village)
    services.officer_year_record(actor=None, officer=officer, year=2025, general_score=50, special_score=70)
    services.officer_year_record(
        actor=None, officer=officer, year=2025, general_score=65, special_score=70, training_hours=62
    )
    year = OfficerYear.objects.get()
    assert (year.general_score, year.training_hours) == (65, 62)
    assert year.org == tree.village
    assert AuditEvent.objects.filter(action="enforcement.year.recorded").count() == 2


def test_scored_absence_is_refused(tree):
    officer = make_officer(tree.village)
    with pytest.raises(DomainError) as error:
        services.officer_year_record(
            actor=None, officer=officer, year=2025, general_score=70, general_absence="excused"
        )
    assert (error.value.rule, error.value.field) == ("enforcement.exam_result", "general_score")
    assert not OfficerYear.objects.exists()


def test_case_file_score_is_the_checklist_sum(tree):
    items = {"authority": 10, "facts": 20, "law": 20, "procedure": 20, "documents": 8, "filing": 10}
    case = make_case(tree.village, score=None, items=items)
    assert case.score == 88
    assert services.grade(case.score) == "pass"
    case = services.case_file_update(actor=None, case=case, items=items | {"facts": 25})
    assert case.score == 93 and services.grade(case.score) == "excellent"


def test_case_file_grade_follows_the_settings(tree, settings):
    settings.FAZHI_CASE_FILE_EXCELLENT = 95
    settings.FAZHI_CASE_FILE_PASS = 70
    assert services.grade(94) == "pass"
    assert services.grade(69) == "fail"
    assert services.grade(95) == "excellent"


def test_duplicate_case_file_is_refused(tree):
    make_case(tree.village, case_number="青执罚〔2025〕1号")
    with pytest.raises(DomainError) as error:
        make_case(tree.village, case_number="青执罚〔2025〕1号")
    assert error.value.rule == "enforcement.case_file_duplicate"
    make_case(tree.community, case_number="青执罚〔2025〕1号")  # another org may have the same number
    assert CaseFile.objects.count() == 2


def test_case_file_reviewed_before_its_year_is_refused(tree):
    with pytest.raises(DomainError) as error:
        make_case(tree.village, year=2025, reviewed_on=D(2024, 12, 31))
    assert error.value.field == "reviewed_on"
    assert not CaseFile.objects.exists()


def test_bulk_writes_recheck_the_rules_and_name_the_draft(tree, personas):
    officer = make_officer(tree.village)
    taken = officer.certificates.get().number
    drafts = [
        services.OfficerDraft(
            org=tree.village,
            name="甲",
            id_number="11111111",
            certificate_number="N1",
            issued_on=D(2025, 1, 1),
            expires_on=D(2030, 1, 1),
        ),
        services.OfficerDraft(
            org=tree.village,
            name="乙",
            id_number="22222222",
            certificate_number=taken,
            issued_on=D(2025, 1, 1),
            expires_on=D(2030, 1, 1),
        ),
    ]
    with pytest.raises(DomainError) as error:
        services.officer_bulk_create(actor=personas["township_clerk"], drafts=drafts)
    assert (error.value.rule, error.value.field) == ("enforcement.certificate_number_taken", "1:number")
    assert Officer.objects.count() == 1
    drafts[1].certificate_number = "N2"
    created = services.officer_bulk_create(actor=personas["township_clerk"], drafts=drafts)
    assert [o.certificates.get().number for o in created] == ["N1", "N2"]
    events = AuditEvent.objects.filter(action__in=["enforcement.officer.created", "enforcement.certificate.created"])
    assert events.filter(actor=personas["township_clerk"]).count() == 4


def test_bulk_year_record_creates_and_corrects(tree):
    officer = make_officer(tree.village)
    services.officer_year_record(actor=None, officer=officer, year=2024, general_score=50)
    drafts = [
        services.YearDraft(officer=officer, year=2024, general_score=70, special_score=80),
        services.YearDraft(officer=officer, year=2025, general_score=None, general_absence="unexcused"),
    ]
    assert services.officer_year_bulk_record(actor=None, drafts=drafts) == 2
    assert dict(OfficerYear.objects.values_list("year", "general_score")) == {2024: 70, 2025: None}
    corrected = AuditEvent.objects.filter(action="enforcement.year.recorded", old__isnull=False).get()
    assert (corrected.old["general_score"], corrected.new["general_score"]) == (50, 70)
    assert AuditEvent.objects.filter(action="enforcement.year.recorded").count() == 3
