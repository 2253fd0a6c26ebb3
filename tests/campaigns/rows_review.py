"""Permission-table rows of the review pages (personas: county_admin, township_clerk,
village_clerk_elsewhere, reviewer, leader, anonymous). Objects: tests/campaigns/world.py and world_review.py."""

ROWS = [
    ("review_queue", {}, "", "GET", (200, 200, 200, 200, 200, 302)),
    # A reviewer's own sheet; anyone else's is a 404 (its existence is not revealed).
    ("assignment_sheet", {"pk": "assignment"}, "", "GET", (404, 404, 404, 200, 404, 302)),
    ("assignment_sheet", {"pk": "assignment"}, "", "POST", (404, 404, 404, 302, 404, 302)),
    ("assignment_veto_propose", {"pk": "assignment"}, "", "GET", (405, 405, 405, 405, 405, 302)),
    ("assignment_veto_propose", {"pk": "assignment"}, "", "POST", (404, 404, 404, 302, 404, 302)),
    # The administrator's pages.
    ("campaign_assignments", {"campaign_pk": "campaign_review"}, "", "GET", (200, 403, 404, 404, 403, 302)),
    ("campaign_assignments", {"campaign_pk": "review_campaign_inspection"}, "", "GET", (200, 403, 404, 403, 403, 302)),
    ("assignments_run", {"campaign_pk": "campaign_review"}, "", "GET", (405, 405, 405, 405, 405, 302)),
    ("assignments_run", {"campaign_pk": "campaign_review"}, "", "POST", (302, 403, 404, 404, 403, 302)),
    ("assignment_reassign", {"pk": "assignment"}, "", "GET", (200, 404, 404, 404, 404, 302)),
    ("assignment_reassign", {"pk": "assignment"}, "", "POST", (400, 404, 404, 404, 404, 302)),
    ("assignment_reopen", {"pk": "assignment"}, "", "GET", (200, 404, 404, 404, 404, 302)),
    ("assignment_reopen", {"pk": "assignment"}, "", "POST", (400, 404, 404, 404, 404, 302)),
    ("application_vetoes", {"application_pk": "application_review"}, "", "GET", (200, 403, 404, 403, 403, 302)),
    ("application_vetoes", {"application_pk": "application_review"}, "", "POST", (400, 403, 404, 403, 403, 302)),
    ("veto_withdraw", {"pk": "review_veto"}, "", "GET", (200, 404, 404, 404, 404, 302)),
    ("veto_withdraw", {"pk": "review_veto"}, "", "POST", (400, 404, 404, 404, 404, 302)),
    ("survey_links", {"campaign_pk": "review_campaign_inspection"}, "", "GET", (200, 403, 404, 403, 403, 302)),
    ("survey_links", {"campaign_pk": "review_campaign_inspection"}, "", "POST", (400, 403, 404, 403, 403, 302)),
    # Inspectors of the campaign's pool only.
    ("inspection_scores", {"campaign_pk": "review_campaign_inspection"}, "", "GET", (403, 403, 404, 200, 403, 302)),
    ("inspection_scores", {"campaign_pk": "review_campaign_inspection"}, "", "POST", (403, 403, 404, 400, 403, 302)),
    ("inspection_scores", {"campaign_pk": "campaign_review"}, "", "GET", (403, 403, 404, 404, 403, 302)),
    # The public questionnaire: no sign-in; an empty answer is refused.
    ("survey_answer", {"survey_token": "review_survey_token"}, "", "GET", (200, 200, 200, 200, 200, 200)),
    ("survey_answer", {"survey_token": "review_survey_token"}, "", "POST", (400, 400, 400, 400, 400, 400)),
    # The JSON API: 401 without credentials; a form-encoded body where JSON is expected is a 400 before anything
    # else (tests/campaigns/test_review_api.py checks who may do what with JSON bodies).
    ("api-1:my_assignments", {}, "", "GET", (200, 200, 200, 200, 200, 401)),
    ("api-1:assignments_run", {"campaign_id": "campaign_review"}, "", "POST", (200, 403, 404, 404, 403, 401)),
    ("api-1:assignment_list", {"campaign_id": "campaign_review"}, "", "GET", (200, 403, 404, 404, 403, 401)),
    ("api-1:assignment_reassign", {"assignment_id": "assignment"}, "", "POST", (400, 400, 400, 400, 400, 401)),
    ("api-1:sheet", {"assignment_id": "assignment"}, "", "GET", (404, 404, 404, 200, 404, 401)),
    ("api-1:sheet_save", {"assignment_id": "assignment"}, "", "POST", (400, 400, 400, 400, 400, 401)),
    ("api-1:sheet_submit", {"assignment_id": "assignment"}, "", "POST", (404, 404, 404, 400, 404, 401)),
    ("api-1:sheet_reopen", {"assignment_id": "assignment"}, "", "POST", (400, 400, 400, 400, 400, 401)),
    ("api-1:veto_list", {"application_id": "application_review"}, "", "GET", (200, 403, 404, 403, 403, 401)),
    ("api-1:veto_propose", {"application_id": "application_review"}, "", "POST", (400, 400, 400, 400, 400, 401)),
    ("api-1:veto_record", {"application_id": "application_review"}, "", "POST", (400, 400, 400, 400, 400, 401)),
    ("api-1:veto_withdraw", {"veto_id": "review_veto"}, "", "POST", (400, 400, 400, 400, 400, 401)),
    (
        "api-1:inspection_score_enter",
        {"application_id": "review_application_inspection"},
        "",
        "POST",
        (400, 400, 400, 400, 400, 401),
    ),
    (
        "api-1:survey_tokens_create",
        {"application_id": "review_application_inspection"},
        "",
        "POST",
        (400, 400, 400, 400, 400, 401),
    ),
]
