"""Permission rows of the notice area: the public pages (no sign-in), the administrator's objections, naming
and designations, the certificate, and the API. Columns: county_admin, township_clerk,
village_clerk_elsewhere, reviewer, leader, anonymous.

``campaign_notice`` is 青山县's campaign on notice (the township clerk of 城关镇 is a participant, the leader a
viewer: both may see the campaign but not manage it); ``designation`` is 河口镇's, outside 城关镇.
"""

ROWS = [
    # Public pages: everyone, signed in or not.
    ("public_notice_list", {}, "", "GET", (200, 200, 200, 200, 200, 200)),
    ("public_notice_detail", {"notice_pk": "campaign_notice"}, "", "GET", (200, 200, 200, 200, 200, 200)),
    ("public_notice_detail", {"notice_pk": "campaign"}, "", "GET", (404, 404, 404, 404, 404, 404)),
    (
        "public_objection_create",
        {"notice_pk": "campaign_notice", "unit_pk": "application_notice"},
        "",
        "GET",
        (200, 200, 200, 200, 200, 200),
    ),
    (
        "public_objection_create",
        {"notice_pk": "campaign_notice", "unit_pk": "application_notice"},
        "",
        "POST",
        (400, 400, 400, 400, 400, 400),
    ),
    (
        "public_objection_create",
        {"notice_pk": "campaign", "unit_pk": "application"},
        "",
        "GET",
        (404, 404, 404, 404, 404, 404),
    ),
    (
        "public_objection_filed",
        {"notice_pk": "campaign_notice", "unit_pk": "application_notice"},
        "",
        "GET",
        (200, 200, 200, 200, 200, 200),
    ),
    ("public_named_list", {}, "", "GET", (200, 200, 200, 200, 200, 200)),
    ("public_named_list", {}, "?year=2025&batch=第一批&q=青山", "GET", (200, 200, 200, 200, 200, 200)),
    ("public_named_detail", {"named_pk": "campaign_named"}, "", "GET", (200, 200, 200, 200, 200, 200)),
    ("public_named_detail", {"named_pk": "campaign_notice"}, "", "GET", (404, 404, 404, 404, 404, 404)),
    ("public_named_list_content", {"named_pk": "campaign_named"}, "", "GET", (200, 200, 200, 200, 200, 200)),
    # The administrator's side.
    ("objection_list", {"campaign_pk": "campaign_notice"}, "", "GET", (200, 403, 404, 404, 403, 302)),
    ("objection_list", {"campaign_pk": "campaign_other"}, "", "GET", (404, 404, 403, 404, 404, 302)),
    ("objection_decide", {"pk": "objection"}, "", "GET", (200, 404, 404, 404, 404, 302)),
    ("objection_decide", {"pk": "objection"}, "", "POST", (400, 404, 404, 404, 404, 302)),
    ("campaign_naming", {"campaign_pk": "campaign_notice"}, "", "GET", (200, 403, 404, 404, 403, 302)),
    ("campaign_naming", {"campaign_pk": "campaign_notice"}, "", "POST", (400, 403, 404, 404, 403, 302)),
    ("designation_list", {}, "", "GET", (200, 200, 200, 200, 200, 302)),
    ("designation_rereview", {"pk": "designation"}, "", "GET", (200, 404, 404, 404, 403, 302)),
    ("designation_rereview", {"pk": "designation"}, "", "POST", (400, 404, 404, 404, 403, 302)),
    ("designation_veto", {"pk": "designation"}, "", "GET", (405, 405, 405, 405, 405, 302)),
    ("designation_veto", {"pk": "designation"}, "", "POST", (400, 404, 404, 404, 403, 302)),
    ("designation_certificate", {"pk": "designation"}, "", "GET", (200, 404, 404, 404, 200, 302)),
    # The API: public endpoints answer everyone; the rest 401 without credentials. A POST whose body is not JSON
    # (the table posts an empty form) is refused with 400 before any permission check.
    ("api-1:notice_list", {}, "", "GET", (200, 200, 200, 200, 200, 200)),
    ("api-1:notice_detail", {"campaign_id": "campaign_notice"}, "", "GET", (200, 200, 200, 200, 200, 200)),
    ("api-1:notice_detail", {"campaign_id": "campaign_draft"}, "", "GET", (404, 404, 404, 404, 404, 404)),
    ("api-1:objection_file", {"application_id": "application_notice"}, "", "POST", (400, 400, 400, 400, 400, 400)),
    ("api-1:objection_list", {"campaign_id": "campaign_notice"}, "", "GET", (200, 403, 404, 404, 403, 401)),
    ("api-1:objection_decide", {"objection_id": "objection"}, "", "POST", (400, 400, 400, 400, 400, 401)),
    ("api-1:designations_name", {"campaign_id": "campaign_notice"}, "", "POST", (400, 403, 404, 404, 403, 401)),
    ("api-1:designation_list", {"campaign_id": "campaign_named"}, "", "GET", (200, 403, 404, 404, 403, 401)),
    ("api-1:designation_rereview", {"designation_id": "designation"}, "", "POST", (400, 400, 400, 400, 400, 401)),
    ("api-1:named_list", {"campaign_id": "campaign_named"}, "", "GET", (200, 200, 200, 200, 200, 200)),
]
