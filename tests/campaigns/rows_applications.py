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
