"""Permission rows of the application area: the clerk's workspace, the self-assessment page and its actions,
evidence download and removal, the recommender's queue and decisions, and the API. Columns: county_admin,
township_clerk, village_clerk_elsewhere, reviewer, leader, anonymous.

``application`` is 城关镇's draft (the township clerk edits it; the county admin and the leader see it);
``application_submitted`` is 东门村's, recommended by 城关镇 — the county admin holds ``application.recommend``
over the county, the township clerk is a clerk, not a recommender; ``application_review`` is 西街社区's,
assigned to the reviewer; ``application_other`` is 白水村's, in the other county. A POST with an empty form
changes nothing: it is refused with a message and a redirect (302), or by role (403) or scope (404).
"""

ALL = (200, 200, 200, 200, 200, 302)
POST_ONLY = (405, 405, 405, 405, 405, 302)

ROWS = [
    ("application_workspace", {}, "", "GET", ALL),
    ("application_create", {}, "", "GET", POST_ONLY),
    ("application_create", {}, "", "POST", (302, 302, 302, 302, 302, 302)),
    ("application_detail", {"pk": "application"}, "", "GET", (200, 200, 404, 404, 200, 302)),
    ("application_detail", {"pk": "application_review"}, "", "GET", (200, 200, 404, 200, 200, 302)),
    ("application_detail", {"pk": "application_other"}, "", "GET", (404, 404, 200, 404, 404, 302)),
    ("application_answer", {"pk": "application", "indicator_pk": "world_leaf"}, "", "GET", POST_ONLY),
    (
        "application_answer",
        {"pk": "application", "indicator_pk": "world_leaf"},
        "",
        "POST",
        (403, 302, 404, 404, 403, 302),
    ),
    ("application_evidence_add", {"pk": "application"}, "", "POST", (403, 302, 404, 404, 403, 302)),
    ("application_evidence_add", {"pk": "application_other"}, "", "POST", (404, 404, 302, 404, 404, 302)),
    ("application_submit", {"pk": "application"}, "", "GET", POST_ONLY),
    ("application_submit", {"pk": "application"}, "", "POST", (403, 302, 404, 404, 403, 302)),
    ("application_decide", {"pk": "application_submitted"}, "", "GET", POST_ONLY),
    ("application_decide", {"pk": "application_submitted"}, "", "POST", (302, 403, 404, 404, 403, 302)),
    ("application_decide", {"pk": "application_other"}, "", "POST", (404, 404, 403, 404, 404, 302)),
    ("evidence_download", {"pk": "evidence"}, "", "GET", (200, 200, 404, 404, 200, 302)),
    ("evidence_download", {"pk": "evidence_review"}, "", "GET", (200, 200, 404, 200, 200, 302)),
    ("evidence_remove", {"pk": "evidence"}, "", "GET", POST_ONLY),
    ("evidence_remove", {"pk": "evidence_submitted"}, "", "POST", (403, 302, 404, 404, 403, 302)),
    ("recommendation_queue", {}, "", "GET", ALL),
    ("recommendation_queue", {}, "?campaign={campaign}&page=2", "GET", ALL),
]

# The JSON API: 401 without credentials; 404 outside the scope, 403 for the wrong role, 400 for a broken rule,
# 422 for a malformed request and 400 for a body that is not JSON where JSON is expected (both checked before
# anything else: the table posts an empty form).
API_ALL = (200, 200, 200, 200, 200, 401)
MALFORMED = (422, 422, 422, 422, 422, 401)
NOT_JSON = (400, 400, 400, 400, 400, 401)

ROWS += [
    ("api-1:application_list", {}, "", "GET", API_ALL),
    ("api-1:application_list", {}, "?campaign={campaign}&state=submitted", "GET", API_ALL),
    ("api-1:recommendation_queue", {}, "", "GET", API_ALL),
    ("api-1:application", {"application_id": "application"}, "", "GET", (200, 200, 404, 404, 200, 401)),
    ("api-1:application", {"application_id": "application_review"}, "", "GET", (200, 200, 404, 200, 200, 401)),
    ("api-1:application_create", {"campaign_id": "campaign"}, "", "POST", NOT_JSON),
    ("api-1:application_answers", {"application_id": "application"}, "", "POST", NOT_JSON),
    ("api-1:application_evidence_add", {"application_id": "application"}, "", "POST", MALFORMED),
    ("api-1:application_submit", {"application_id": "application"}, "", "POST", (403, 400, 404, 404, 403, 401)),
    (
        "api-1:application_recommend",
        {"application_id": "application_submitted"},
        "",
        "POST",
        (200, 403, 404, 404, 403, 401),
    ),
    (
        "api-1:application_return",
        {"application_id": "application_submitted"},
        "",
        "POST",
        NOT_JSON,
    ),
    (
        "api-1:application_not_recommend",
        {"application_id": "application_submitted"},
        "",
        "POST",
        NOT_JSON,
    ),
    ("api-1:evidence_download", {"evidence_id": "evidence"}, "", "GET", (200, 200, 404, 404, 200, 401)),
    ("api-1:evidence_download", {"evidence_id": "evidence_review"}, "", "GET", (200, 200, 404, 200, 200, 401)),
]
