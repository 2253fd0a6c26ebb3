"""Applications: create, self-assess, evidence, submit, and the recommender's decisions (services).

The world (tests/campaigns/world.py): ``campaign`` (青山县, application stage) with 城关镇's draft
``application`` (the township clerk's; recommended by 青山县) and 东门村's submitted
``application_submitted`` (recommended by 城关镇). The standard is tests/indicators/examples.py: 1.1 manual
(4 points, step 0.5), 1.2 checklist (10 items × 1 point), 1.3 deduction (5 points, 1 per case), 1.4 ratio
(4 points, full at 0.95, zero at 0.6), 1.5 tiers (≥2 → 3, ≥1 → 1.5, ≥0 → 0).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from fazhi.campaigns import models as m
from fazhi.campaigns.selectors.applications import application_assessment
from fazhi.campaigns.services import applications as services
from fazhi.campaigns.services.applications import AnswerInput, AnswersInvalid
from fazhi.campaigns.services.evidence import evidence_add, evidence_remove
from fazhi.core.errors import DomainError
from fazhi.core.models import AuditEvent
from fazhi.indicators import services as standard_services
from fazhi.indicators import spec
from fazhi.indicators.models import Indicator
from fazhi.orgs.models import OrgLevel
from tests.campaigns.world import build_base
from tests.core.test_filetypes import EXE, PDF, docx_bytes

FULL = {"1.1": 400, "1.2": list(range(10)), "1.3": 0, "1.4": Decimal("1"), "1.5": Decimal("2")}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def world(tree, personas):
    return build_base(tree, personas)


def application(pk) -> m.Application:
    return m.Application.objects.select_related("campaign__standard", "campaign__organiser", "org").get(pk=pk)


def leaf(app: m.Application, code: str) -> Indicator:
    return Indicator.objects.get(standard=app.campaign.standard, code=code)


def audit_count(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def answer_all(app, clerk, answers=FULL):
    services.answers_save(
        actor=clerk, application=app, answers=[AnswerInput(code, value, "") for code, value in answers.items()]
    )


# --- create ------------------------------------------------------------------------------------------


def test_a_clerk_applies_for_an_org_of_their_subtree_and_its_parent_recommends(world, tree, personas):
    campaign = m.Campaign.objects.get(pk=world["campaign"])
    created = services.application_create(actor=personas["township_clerk"], campaign=campaign, org=tree.community)
    assert created.state == "draft"
    assert created.recommender_org == tree.township
    assert audit_count("campaigns.application.created") == 1


def test_the_recommending_level_picks_the_ancestor_at_that_level(world, tree, personas):
    campaign = m.Campaign.objects.get(pk=world["campaign"])
    campaign.recommend_level = OrgLevel.COUNTY
    campaign.save()
    created = services.application_create(actor=personas["township_clerk"], campaign=campaign, org=tree.community)
    assert created.recommender_org == tree.county


@pytest.mark.parametrize(
    ("persona", "org", "change", "rule"),
    [
        ("township_clerk", "township", {}, "campaigns.already_applied"),
        ("township_clerk", "community", {"stage": "review"}, "campaigns.wrong_stage"),
        ("township_clerk", "community", {"eligible_kinds": ["village"]}, "campaigns.not_eligible"),
        ("township_clerk", "community", {"eligible_levels": [OrgLevel.TOWNSHIP]}, "campaigns.not_eligible"),
        ("village_clerk_elsewhere", "other_village", {}, "campaigns.not_eligible"),  # outside 青山县
    ],
)
def test_an_application_that_may_not_be_made_is_refused(world, tree, personas, persona, org, change, rule):
    campaign = m.Campaign.objects.get(pk=world["campaign"])
    for field, value in change.items():
        setattr(campaign, field, value)
    campaign.save()
    before = m.Application.objects.count()
    with pytest.raises(DomainError) as refused:
        services.application_create(actor=personas[persona], campaign=campaign, org=getattr(tree, org))
    assert refused.value.rule == rule
    assert m.Application.objects.count() == before


def test_an_inactive_org_may_not_apply(world, tree, personas):
    tree.community.is_active = False
    tree.community.save()
    with pytest.raises(DomainError, match="西街社区"):
        services.application_create(
            actor=personas["township_clerk"], campaign=m.Campaign.objects.get(pk=world["campaign"]), org=tree.community
        )


@pytest.mark.parametrize("persona", ["reviewer", "leader", "village_clerk_elsewhere"])
def test_only_a_clerk_of_the_org_may_apply_for_it(world, tree, personas, persona):
    with pytest.raises(PermissionDenied):
        services.application_create(
            actor=personas[persona], campaign=m.Campaign.objects.get(pk=world["campaign"]), org=tree.community
        )


# --- self-assessment ---------------------------------------------------------------------------------


def test_answers_of_every_rule_kind_are_stored_and_read_back_for_the_engine(world, personas):
    app = application(world["application"])
    answer_all(app, personas["township_clerk"], {**FULL, "1.2": [2, 0], "1.4": Decimal("0.7"), "1.5": Decimal("1.5")})
    stored = {a.indicator.code: a.answer for a in app.answers.select_related("indicator")}
    assert stored == {"1.1": 400, "1.2": [0, 2], "1.3": 0, "1.4": "0.7", "1.5": "1.5"}
    assessment = application_assessment(application(app.pk))
    assert assessment.values["1.4"] == Decimal("0.7")
    # 4 + 2 + 5 + 4 × 0.1 / 0.35 (1.14) + 1.5
    assert assessment.score.leaves == {"1.1": 400, "1.2": 200, "1.3": 500, "1.4": 114, "1.5": 150}
    assert assessment.total == 1364


def test_unanswered_leaves_count_zero_in_the_self_assessed_total(world, personas):
    app = application(world["application"])
    services.answer_save(
        actor=personas["township_clerk"], application=app, indicator=leaf(app, "1.1"), answer=350, statement="有计划"
    )
    assessment = application_assessment(application(app.pk))
    # An unanswered deduction (5 points, nothing deducted yet) and tiers count 0, not their full points.
    assert assessment.score.leaves == {"1.1": 350, "1.2": 0, "1.3": 0, "1.4": 0, "1.5": 0}
    assert assessment.total == 350
    assert assessment.unanswered == ["1.2", "1.3", "1.4", "1.5"]
    assert assessment.answers["1.1"].statement == "有计划"


@pytest.mark.parametrize(
    ("code", "answer", "rule", "words"),
    [
        ("1.1", 450, "scoring.manual_out_of_range", "4.5"),
        ("1.1", 330, "scoring.manual_off_step", "3.3"),
        ("1.2", [10], "scoring.checklist_no_item", "10"),
        ("1.3", -1, "scoring.deduction_bad_count", "-1"),
        ("1.4", Decimal("1.5"), "scoring.ratio_out_of_range", "1.5"),
    ],
)
def test_a_bad_answer_is_refused_naming_the_indicator_and_nothing_changes(world, personas, code, answer, rule, words):
    app = application(world["application"])
    clerk = personas["township_clerk"]
    services.answer_save(actor=clerk, application=app, indicator=leaf(app, code), answer=None, statement="旧说明")
    events = AuditEvent.objects.count()
    with pytest.raises(DomainError) as refused:
        services.answer_save(actor=clerk, application=app, indicator=leaf(app, code), answer=answer, statement="新")
    assert refused.value.rule == rule
    assert code in refused.value.message and words in refused.value.message
    row = app.answers.get()
    assert (row.answer, row.statement) == (None, "旧说明")
    assert AuditEvent.objects.count() == events


def test_several_answers_are_saved_all_or_nothing_and_every_bad_leaf_is_listed(world, personas):
    app = application(world["application"])
    with pytest.raises(AnswersInvalid) as refused:
        services.answers_save(
            actor=personas["township_clerk"],
            application=app,
            answers=[
                AnswerInput("1.1", 300),
                AnswerInput("1.2", [11]),
                AnswerInput("1.3", -2),
                AnswerInput("9.9", 1),
            ],
        )
    assert [(e["code"], e["rule"]) for e in refused.value.errors] == [
        ("1.2", "scoring.checklist_no_item"),
        ("1.3", "scoring.deduction_bad_count"),
        ("9.9", "campaigns.not_a_leaf"),
    ]
    assert "3" in refused.value.message
    assert not app.answers.exists()


def test_a_branch_of_the_standard_takes_no_answer(world, personas):
    app = application(world["application"])
    with pytest.raises(DomainError) as refused:
        services.answer_save(actor=personas["township_clerk"], application=app, indicator=leaf(app, "1"), answer=1)
    assert refused.value.rule == "campaigns.not_a_leaf"


@pytest.mark.parametrize(
    ("code", "raw", "expected"),
    [
        ("1.1", "3.5", 350),
        ("1.1", 4, 400),
        ("1.2", ["0", "3"], [0, 3]),
        ("1.3", "2", 2),
        ("1.4", "0.85", Decimal("0.85")),
        ("1.4", 0.85, Decimal("0.85")),
        ("1.5", "3", Decimal("3")),
        ("1.1", "", None),
    ],
)
def test_loose_input_becomes_the_engines_answer(world, code, raw, expected):
    app = application(world["application"])
    from fazhi.campaigns.selectors.applications import campaign_leaves

    assert services.answer_coerce(campaign_leaves(app.campaign)[code], raw) == expected


@pytest.mark.parametrize(("code", "raw"), [("1.1", "三分"), ("1.1", "3.555"), ("1.3", "1.5"), ("1.2", "0,1")])
def test_malformed_input_is_refused_naming_the_indicator(world, code, raw):
    app = application(world["application"])
    from fazhi.campaigns.selectors.applications import campaign_leaves

    with pytest.raises(DomainError, match=code.replace(".", r"\.")) as refused:
        services.answer_coerce(campaign_leaves(app.campaign)[code], raw)
    assert refused.value.rule == "campaigns.answer_malformed"


def test_a_clerk_cannot_edit_after_submission(world, personas):
    app = application(world["application"])
    clerk = personas["township_clerk"]
    answer_all(app, clerk)
    services.application_submit(actor=clerk, application=app)
    with pytest.raises(DomainError) as refused:
        services.answer_save(actor=clerk, application=app, indicator=leaf(app, "1.1"), answer=0)
    assert refused.value.rule == "campaigns.wrong_state"
    assert "城关镇" in refused.value.message
    assert application_assessment(application(app.pk)).values["1.1"] == 400


def test_a_draft_cannot_be_edited_outside_the_application_and_recommendation_stages(world, personas):
    app = application(world["application"])
    m.Campaign.objects.filter(pk=app.campaign_id).update(stage="review")
    app = application(app.pk)
    with pytest.raises(DomainError) as refused:
        services.answer_save(actor=personas["township_clerk"], application=app, indicator=leaf(app, "1.1"), answer=0)
    assert refused.value.rule == "campaigns.wrong_stage"
    assert not app.answers.exists()


@pytest.mark.parametrize("persona", ["county_admin", "leader", "reviewer", "village_clerk_elsewhere"])
def test_only_the_applicants_clerk_saves_answers(world, personas, persona):
    app = application(world["application"])
    with pytest.raises(PermissionDenied):
        services.answer_save(actor=personas[persona], application=app, indicator=leaf(app, "1.1"), answer=0)
    assert not app.answers.exists()


# --- submit ------------------------------------------------------------------------------------------


def test_submission_needs_every_leaf_answered_and_names_the_missing_ones(world, personas):
    app = application(world["application"])
    clerk = personas["township_clerk"]
    services.answer_save(actor=clerk, application=app, indicator=leaf(app, "1.1"), answer=400)
    with pytest.raises(DomainError) as refused:
        services.application_submit(actor=clerk, application=app)
    assert refused.value.rule == "campaigns.unanswered"
    assert "1.2, 1.3, 1.4, 1.5" in refused.value.message
    assert application(app.pk).state == "draft"


def test_a_long_list_of_unanswered_leaves_names_ten_and_counts_the_rest(tree, personas):
    leaves = tuple(
        spec.Indicator(code=f"{i}", title=f"指标{i}", points=100, rule=spec.Rule(spec.MANUAL, step=50))
        for i in range(1, 13)
    )
    std = spec.Standard(code="twelve", version="1", title="十二项", total=1200, indicators=leaves)
    standard = standard_services.standard_import(actor=None, owner_org=tree.county, spec=std)
    standard_services.standard_publish(actor=None, standard=standard)
    campaign = m.Campaign.objects.create(
        organiser=tree.county, kind="township", title="法治乡镇", batch="一", year=2026, standard=standard,
        pass_score=6000, quota=1, stage="application",
    )  # fmt: skip
    app = services.application_create(actor=personas["township_clerk"], campaign=campaign, org=tree.township)
    with translation.override("en"), pytest.raises(DomainError) as refused:
        services.application_submit(actor=personas["township_clerk"], application=application(app.pk))
    assert "1, 2, 3, 4, 5, 6, 7, 8, 9, 10" in refused.value.message
    assert "2 more" in refused.value.message
    assert "11" not in refused.value.message


def test_submitting_counts_submissions_and_keeps_the_first_time(world, personas):
    app = application(world["application"])
    clerk, admin = personas["township_clerk"], personas["county_admin"]
    answer_all(app, clerk)
    first = services.application_submit(actor=clerk, application=app)
    assert (first.state, first.submissions) == ("submitted", 1)
    assert first.first_submitted_at == first.submitted_at
    services.application_return(actor=admin, application=application(app.pk), reason="佐证材料不全")
    returned = application(app.pk)
    assert (returned.state, returned.decision_reason, returned.decided_by) == ("returned", "佐证材料不全", admin)
    services.answer_save(actor=clerk, application=returned, indicator=leaf(app, "1.1"), answer=350)
    again = services.application_submit(actor=clerk, application=application(app.pk))
    assert (again.state, again.submissions) == ("submitted", 2)
    assert again.first_submitted_at == first.first_submitted_at < again.submitted_at
    assert audit_count("campaigns.application.submitted") == 2


def test_a_submitted_application_cannot_be_submitted_twice(world, personas):
    app = application(world["application_submitted"])
    with pytest.raises((DomainError, PermissionDenied)):
        services.application_submit(actor=personas["township_clerk"], application=app)
    assert application(app.pk).submissions == 1


# --- recommendation ----------------------------------------------------------------------------------


def test_the_recommender_recommends_and_the_decision_is_recorded(world, personas):
    admin = personas["county_admin"]
    done = services.application_recommend(actor=admin, application=application(world["application_submitted"]))
    assert (done.state, done.decided_by) == ("recommended", admin)
    assert done.decided_at is not None
    assert audit_count("campaigns.application.recommended") == 1


@pytest.mark.parametrize(
    "decide", [services.application_return, services.application_not_recommend], ids=["return", "not_recommend"]
)
@pytest.mark.parametrize("reason", ["", "   "])
def test_returning_or_turning_down_needs_a_reason(world, personas, decide, reason):
    app = application(world["application_submitted"])
    with pytest.raises(DomainError) as refused:
        decide(actor=personas["county_admin"], application=app, reason=reason)
    assert (refused.value.rule, refused.value.field) == ("campaigns.reason_required", "reason")
    assert application(app.pk).state == "submitted"


def test_turning_down_records_the_reason(world, personas):
    done = services.application_not_recommend(
        actor=personas["county_admin"], application=application(world["application_submitted"]), reason="创建基础薄弱"
    )
    assert (done.state, done.decision_reason) == ("not_recommended", "创建基础薄弱")


@pytest.mark.parametrize("persona", ["township_clerk", "reviewer", "leader", "village_clerk_elsewhere"])
def test_only_a_recommender_over_the_recommending_org_decides(world, personas, persona):
    app = application(world["application_submitted"])
    with pytest.raises(PermissionDenied):
        services.application_recommend(actor=personas[persona], application=app)
    assert application(app.pk).state == "submitted"


def test_a_draft_cannot_be_recommended(world, personas):
    with pytest.raises(DomainError) as refused:
        services.application_recommend(actor=personas["county_admin"], application=application(world["application"]))
    assert refused.value.rule == "campaigns.wrong_state"
    assert "城关镇" in refused.value.message


def test_no_decision_outside_the_application_and_recommendation_stages(world, personas):
    m.Campaign.objects.filter(pk=world["campaign"]).update(stage="review")
    with pytest.raises(DomainError) as refused:
        services.application_recommend(
            actor=personas["county_admin"], application=application(world["application_submitted"])
        )
    assert refused.value.rule == "campaigns.wrong_stage"
    assert application(world["application_submitted"]).state == "submitted"


# --- evidence ----------------------------------------------------------------------------------------


def test_evidence_is_stored_with_its_real_type_name_and_sha256(world, personas, media):
    app = application(world["application"])
    added = evidence_add(
        actor=personas["township_clerk"],
        application=app,
        indicator=leaf(app, "1.1"),
        uploaded_file=SimpleUploadedFile("学法计划.jpg", PDF, content_type="image/jpeg"),
    )
    import hashlib

    assert added.name == "学法计划.jpg"
    assert added.content_type == "application/pdf"  # a PDF named .jpg is a PDF
    assert added.sha256 == hashlib.sha256(PDF).hexdigest()
    assert added.size == len(PDF)
    stored = media / added.file.name
    assert stored.read_bytes() == PDF
    assert "学法计划" not in added.file.name  # the stored name carries no user input
    assert audit_count("campaigns.application.evidence_added") == 1


def test_a_word_document_is_accepted(world, personas):
    app = application(world["application"])
    added = evidence_add(
        actor=personas["township_clerk"], application=app, uploaded_file=SimpleUploadedFile("制度.docx", docx_bytes())
    )
    assert added.content_type.endswith("wordprocessingml.document")
    assert added.indicator is None


@pytest.mark.parametrize(
    ("name", "content"),
    [("invoice.pdf", EXE), ("note.pdf", b"just text"), ("page.png", b"<html></html>")],
)
def test_a_file_of_a_forbidden_type_is_refused_whatever_its_name(world, personas, media, name, content):
    app = application(world["application"])
    with pytest.raises(DomainError) as refused:
        evidence_add(actor=personas["township_clerk"], application=app, uploaded_file=SimpleUploadedFile(name, content))
    assert refused.value.rule == "campaigns.evidence_type"
    assert name in refused.value.message and "PDF" in refused.value.message
    assert not m.Evidence.objects.exists()
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_a_type_left_out_of_the_setting_is_refused(world, personas, settings):
    settings.FAZHI_EVIDENCE_TYPES = ["pdf"]
    app = application(world["application"])
    with pytest.raises(DomainError, match="PDF"):
        evidence_add(
            actor=personas["township_clerk"], application=app, uploaded_file=SimpleUploadedFile("a.docx", docx_bytes())
        )


def test_a_file_over_the_size_limit_is_refused(world, personas, settings, media):
    settings.FAZHI_EVIDENCE_MAX_MB = 1
    app = application(world["application"])
    big = PDF + b"0" * (1024 * 1024)
    with pytest.raises(DomainError) as refused:
        evidence_add(actor=personas["township_clerk"], application=app, uploaded_file=SimpleUploadedFile("大.pdf", big))
    assert refused.value.rule == "campaigns.evidence_too_large"
    assert "1 MB" in refused.value.message
    assert not m.Evidence.objects.exists()
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_evidence_is_removed_while_editable_and_kept_after_submission(
    world, personas, media, django_capture_on_commit_callbacks
):
    app = application(world["application"])
    clerk = personas["township_clerk"]
    first = evidence_add(actor=clerk, application=app, uploaded_file=SimpleUploadedFile("a.pdf", PDF))
    path = media / first.file.name
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the removal is committed
        evidence_remove(actor=clerk, evidence=m.Evidence.objects.get(pk=first.pk))
    assert not m.Evidence.objects.filter(pk=first.pk).exists()
    assert not path.exists()

    second = evidence_add(actor=clerk, application=app, uploaded_file=SimpleUploadedFile("b.pdf", PDF + b"2"))
    answer_all(app, clerk)
    services.application_submit(actor=clerk, application=application(app.pk))
    with pytest.raises(DomainError) as refused:
        evidence_remove(actor=clerk, evidence=m.Evidence.objects.get(pk=second.pk))
    assert refused.value.rule == "campaigns.wrong_state"
    with pytest.raises(DomainError):
        evidence_add(actor=clerk, application=application(app.pk), uploaded_file=SimpleUploadedFile("c.pdf", PDF))
    assert m.Evidence.objects.filter(application=app).count() == 1
    assert (media / second.file.name).exists()


@pytest.mark.parametrize("persona", ["county_admin", "reviewer", "village_clerk_elsewhere"])
def test_only_the_clerk_adds_evidence(world, personas, persona):
    app = application(world["application"])
    with pytest.raises(PermissionDenied):
        evidence_add(actor=personas[persona], application=app, uploaded_file=SimpleUploadedFile("a.pdf", PDF))
    assert not m.Evidence.objects.exists()


def test_every_application_event_has_a_label_for_people(world, tree, personas):
    from fazhi.core.audit import action_label

    clerk, admin = personas["township_clerk"], personas["county_admin"]
    campaign = m.Campaign.objects.get(pk=world["campaign"])
    created = services.application_create(actor=clerk, campaign=campaign, org=tree.community)
    app = application(created.pk)
    answer_all(app, clerk)
    item = evidence_add(actor=clerk, application=app, uploaded_file=SimpleUploadedFile("a.pdf", PDF))
    evidence_remove(actor=clerk, evidence=item)
    services.application_submit(actor=clerk, application=application(app.pk))
    services.application_return(actor=admin, application=application(app.pk), reason="补充材料")
    services.application_submit(actor=clerk, application=application(app.pk))
    services.application_recommend(actor=admin, application=application(app.pk))
    services.application_not_recommend(
        actor=admin, application=application(world["application_submitted"]), reason="不符合条件"
    )
    actions = set(
        AuditEvent.objects.filter(action__startswith="campaigns.application.").values_list("action", flat=True)
    )
    assert len(actions) == 8
    assert {action for action in actions if not action_label(action)} == set()
