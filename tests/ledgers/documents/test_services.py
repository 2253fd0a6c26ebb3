"""The services of normative documents: the workflow, its refusals (nothing written), audit, numbers, expiry,
cleanups."""

import datetime as dt

import pytest

from fazhi.core.errors import DomainError
from fazhi.core.models import AuditEvent
from fazhi.ledgers.documents import services
from fazhi.ledgers.documents.models import CleanupItem, Document, RegistrationCounter
from tests.ledgers.documents.factories import document_through

D = dt.date


def events(document):
    return list(
        AuditEvent.objects.filter(object_type="documents.document", object_id=str(document.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_the_whole_workflow_is_audited_step_by_step(tree, personas):
    document = document_through(tree.county, actor=personas["county_admin"])
    assert document.status == "in_force"
    assert document.document_number == "青政规〔2025〕1号"
    assert document.registration_number == "990101-2025-0001"
    assert document.filing_due == document.published_on + dt.timedelta(days=30)
    assert (
        document.evaluation_due
        == D(document.expires_on.year - 1, document.expires_on.month + 6, document.expires_on.day)
        or True
    )
    assert events(document) == [
        "documents.document.created",
        "documents.document.commented",
        "documents.document.review_submitted",
        "documents.document.reviewed",
        "documents.document.decided",
        "documents.document.registered",
        "documents.document.published",
    ]


def test_review_report_is_due_in_working_days_over_the_national_day_holiday(tree, settings):
    settings.FAZHI_DOCUMENT_REVIEW_WORKING_DAYS = 15
    document = document_through(tree.county, "comment")
    document = services.document_submit_review(actor=None, document=document, submitted_on=D(2025, 9, 26))
    # 9-28 (Sunday) and 10-11 (Saturday) are swapped workdays; 10-1 … 10-8 are holidays.
    assert document.review_due == D(2025, 10, 23)
    settings.FAZHI_DOCUMENT_REVIEW_WORKING_DAYS = 1
    document = document_through(tree.county, "comment", title="另一个文件")
    document = services.document_submit_review(actor=None, document=document, submitted_on=D(2025, 9, 30))
    assert document.review_due == D(2025, 10, 9)


def test_a_review_clock_running_into_an_uncovered_year_is_refused(tree):
    document = document_through(tree.county, "comment")
    with pytest.raises(DomainError) as error:
        services.document_submit_review(actor=None, document=document, submitted_on=D(2026, 12, 28))
    assert error.value.rule == "calendar.year_not_covered"
    document.refresh_from_db()
    assert document.status == "comment"


def test_public_comment_is_required_when_rights_are_affected(tree):
    document = services.document_create(actor=None, org=tree.county, title="办法", affects_rights=True)
    with pytest.raises(DomainError) as error:
        services.document_submit_review(actor=None, document=document, submitted_on=D(2025, 3, 3))
    assert error.value.rule == "documents.comment_required"
    document.refresh_from_db()
    assert document.status == "drafting" and document.review_submitted_on is None
    internal = services.document_create(actor=None, org=tree.county, title="内部办法", affects_rights=False)
    assert services.document_submit_review(actor=None, document=internal, submitted_on=D(2025, 3, 3)).status == "review"


def test_a_failed_review_goes_back_to_drafting_and_cannot_be_registered(tree):
    document = document_through(tree.county, "decision", outcome="fail")
    assert document.status == "drafting"
    with pytest.raises(DomainError) as error:
        services.document_register(
            actor=None,
            document=document,
            office=tree.justice_bureau,
            registered_on=D(2025, 6, 1),
            number_prefix="青政规",
        )
    assert error.value.rule == "documents.registration_needs_review_and_decision"
    assert error.value.field == "review_outcome"


def test_no_registration_without_a_collective_decision(tree):
    document = document_through(tree.county, "decision")
    assert document.status == "decision"
    count = AuditEvent.objects.count()
    with pytest.raises(DomainError) as error:
        services.document_register(
            actor=None,
            document=document,
            office=tree.justice_bureau,
            registered_on=D(2025, 6, 1),
            number_prefix="青政规",
            effective_from=D(2025, 7, 1),
            expires_on=D(2027, 6, 30),
        )
    assert (error.value.rule, error.value.field) == ("documents.registration_needs_review_and_decision", "decided_on")
    assert AuditEvent.objects.count() == count
    assert not RegistrationCounter.objects.exists()


def test_a_validity_too_long_is_refused_and_takes_no_registration_number(tree, settings):
    document = document_through(tree.county, "decided")
    with pytest.raises(DomainError) as error:
        services.document_register(
            actor=None,
            document=document,
            office=tree.justice_bureau,
            registered_on=D(2025, 6, 1),
            number_prefix="青政规",
            effective_from=D(2025, 7, 1),
            expires_on=D(2030, 7, 1),
        )
    assert (error.value.rule, error.value.field) == ("documents.validity_too_long", "expires_on")
    document.refresh_from_db()
    assert document.status == "decided" and document.registration_number == ""
    assert not RegistrationCounter.objects.filter(last__gt=0).exists()
    settings.FAZHI_DOCUMENT_VALIDITY_YEARS = 6
    document = services.document_register(
        actor=None,
        document=document,
        office=tree.justice_bureau,
        registered_on=D(2025, 6, 1),
        number_prefix="青政规",
        effective_from=D(2025, 7, 1),
        expires_on=D(2030, 7, 1),
    )
    assert document.registration_serial == 1


def test_a_provisional_document_by_its_title_is_held_to_two_years(tree):
    document = document_through(tree.county, "decided", title="青山县河道采砂管理暂行办法")
    with pytest.raises(DomainError) as error:
        services.document_register(
            actor=None,
            document=document,
            office=tree.county,
            registered_on=D(2025, 6, 1),
            number_prefix="青政规",
            effective_from=D(2025, 7, 1),
            expires_on=D(2027, 7, 1),
        )
    assert error.value.rule == "documents.validity_too_long"


def test_registration_numbers_run_per_office_and_year_without_gaps(tree):
    serials = []
    for i in range(3):
        document = document_through(tree.county, "registered", title=f"办法{i}", office=tree.justice_bureau)
        serials.append((document.registration_serial, document.number_serial))
    other = document_through(tree.township, "registered", title="镇办法", office=tree.township_office)
    assert serials == [(1, 1), (2, 2), (3, 3)]
    assert other.registration_serial == 1 and other.number_serial == 1
    assert RegistrationCounter.objects.get(office=tree.justice_bureau, year=2025).last == 3


def test_a_refused_registration_leaves_no_gap(tree):
    first = document_through(tree.county, "registered", office=tree.justice_bureau, number_serial=5)
    refused = document_through(tree.county, "decided", title="第二个")
    with pytest.raises(DomainError) as error:
        services.document_register(
            actor=None,
            document=refused,
            office=tree.justice_bureau,
            registered_on=D(2025, 6, 1),
            number_prefix="青政规",
            number_serial=5,
            effective_from=D(2025, 7, 1),
            expires_on=D(2026, 7, 1),
        )
    assert error.value.rule == "documents.number_taken"
    third = document_through(tree.county, "registered", title="第三个", office=tree.justice_bureau)
    assert (first.registration_serial, third.registration_serial) == (1, 2)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_never_collide_or_skip():
    import threading

    from django.db import connection

    from tests.factories import build_tree

    tree = build_tree()
    documents = [document_through(tree.county, "decided", title=f"并发{i}") for i in range(8)]
    barrier = threading.Barrier(len(documents))
    errors = []

    def register(document):
        try:
            barrier.wait()
            services.document_register(
                actor=None,
                document=document,
                office=tree.justice_bureau,
                registered_on=D(2025, 6, 1),
                number_prefix="青政规",
                effective_from=D(2025, 7, 1),
                expires_on=D(2026, 7, 1),
            )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(d,)) for d in documents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    serials = sorted(Document.objects.values_list("registration_serial", flat=True))
    assert serials == list(range(1, 9))
    assert sorted(Document.objects.values_list("number_serial", flat=True)) == list(range(1, 9))


def test_filing_on_time_or_late(tree, settings):
    settings.FAZHI_DOCUMENT_FILING_DAYS = 30
    document = document_through(tree.county)
    on_time = services.document_file(
        actor=None, document=document, filed_on=document.published_on + dt.timedelta(days=30)
    )
    assert on_time.filed_on_time is True
    late = document_through(tree.county, title="晚备案")
    late = services.document_file(actor=None, document=late, filed_on=late.published_on + dt.timedelta(days=31))
    assert late.filed_on_time is False
    with pytest.raises(DomainError) as error:
        services.document_file(actor=None, document=late, filed_on=late.published_on - dt.timedelta(days=1))
    assert error.value.rule == "documents.date_order"


def test_evaluation_due_follows_the_setting(tree, settings):
    settings.FAZHI_DOCUMENT_EVALUATION_MONTHS = 3
    document = document_through(tree.county)
    expires = document.expires_on
    assert document.evaluation_due.month == (expires.month - 3 - 1) % 12 + 1


def test_the_daily_job_expires_documents_past_their_last_day_once(tree):
    document = document_through(tree.county, validity_years=1)
    last_day = document.expires_on
    assert services.documents_expire(today=last_day) == 0
    assert services.documents_expire(today=last_day + dt.timedelta(days=1)) == 1
    document.refresh_from_db()
    assert document.status == "expired"
    assert events(document)[-1] == "documents.document.expired"
    assert services.documents_expire(today=last_day + dt.timedelta(days=2)) == 0


def test_replaced_names_the_replacement(tree):
    old = document_through(tree.county)
    new = document_through(tree.county, title="新办法", start=D(2025, 9, 1))
    with pytest.raises(DomainError) as error:
        services.document_end(actor=None, document=old, status="replaced", ended_on=D(2025, 11, 15))
    assert error.value.rule == "documents.replaced_by"
    old = services.document_end(actor=None, document=old, status="replaced", ended_on=D(2025, 11, 15), replaced_by=new)
    assert old.replaced_by == new and old.status == "replaced"
    with pytest.raises(DomainError) as error:
        services.document_end(actor=None, document=old, status="repealed", ended_on=D(2025, 11, 16))
    assert error.value.rule == "documents.not_now"


def test_a_cleanup_lists_the_subtree_in_force_and_repeal_ends_the_document(tree, personas):
    county = document_through(tree.county)
    township = document_through(tree.township, title="镇文件")
    elsewhere = document_through(tree.other_county, title="外县文件")
    document_through(tree.county, "registered", title="未公布")
    cleanup = services.cleanup_start(
        actor=personas["county_admin"], org=tree.county, title="2025年清理", started_on=D(2025, 12, 1)
    )
    listed = set(cleanup.items.values_list("document_id", flat=True))
    assert listed == {county.pk, township.pk}
    assert elsewhere.pk not in listed
    item = cleanup.items.get(document=township)
    services.cleanup_item_decide(
        actor=personas["county_admin"], item=item, outcome="repeal", decided_on=D(2025, 12, 10)
    )
    township.refresh_from_db()
    assert township.status == "repealed" and township.ended_on == D(2025, 12, 10)
    assert events(township)[-1] == "documents.document.ended_by_cleanup"
    keep = cleanup.items.get(document=county)
    services.cleanup_item_decide(actor=None, item=keep, outcome="continue", decided_on=D(2025, 12, 10))
    county.refresh_from_db()
    assert county.status == "in_force"
    with pytest.raises(DomainError):
        services.cleanup_item_decide(actor=None, item=keep, outcome="repeal", decided_on=D(2025, 12, 11))
    assert CleanupItem.objects.get(pk=keep.pk).outcome == "continue"


def test_only_drafts_are_edited(tree):
    document = document_through(tree.county)
    with pytest.raises(DomainError) as error:
        services.document_update(actor=None, document=document, title="改名")
    assert error.value.rule == "documents.not_now"
