"""Permission-table rows of the results pages (format of tests/test_permissions.py).

Personas: county_admin, township_clerk, village_clerk_elsewhere, reviewer, leader, anonymous.
Administrators of the campaign see every version and act; leaders (campaign.view) read published versions
only (an unpublished one is 404 for them); a clerk of the area sees the campaign but not its results (403);
those outside it get 404.
"""

ROWS = [
    ("results_page", {"pk": "campaign_notice"}, "", "GET", (200, 403, 404, 404, 200, 302)),
    ("results_page", {"pk": "campaign_review"}, "", "GET", (200, 403, 404, 404, 200, 302)),
    ("results_page", {"pk": "campaign_other"}, "", "GET", (404, 404, 403, 404, 404, 302)),
    ("results_compute", {"pk": "campaign_notice"}, "", "GET", (405, 405, 405, 405, 405, 302)),
    ("results_compute", {"pk": "campaign_review"}, "", "POST", (302, 403, 404, 404, 403, 302)),
    ("results_sheets_export", {"pk": "campaign_notice"}, "?format=csv", "GET", (200, 403, 404, 404, 403, 302)),
    ("results_publish", {"version_pk": "result_version"}, "", "GET", (405, 405, 405, 405, 405, 302)),
    ("results_publish", {"version_pk": "result_version"}, "", "POST", (302, 403, 404, 404, 403, 302)),
    ("results_export", {"version_pk": "result_version"}, "?format=csv", "GET", (200, 403, 404, 404, 200, 302)),
    ("results_export", {"version_pk": "result_version_draft"}, "?format=json", "GET", (200, 403, 404, 404, 404, 302)),
    ("results_export", {"version_pk": "result_version"}, "?format=pdf", "GET", (404, 403, 404, 404, 404, 302)),
    # the JSON API
    ("api-1:results_versions", {"campaign_id": "campaign_notice"}, "", "GET", (200, 403, 404, 404, 200, 401)),
    ("api-1:results_version", {"version_id": "result_version"}, "", "GET", (200, 403, 404, 404, 200, 401)),
    ("api-1:results_version", {"version_id": "result_version_draft"}, "", "GET", (200, 403, 404, 404, 404, 401)),
    ("api-1:results_export", {"version_id": "result_version"}, "?format=csv", "GET", (200, 403, 404, 404, 200, 401)),
    ("api-1:results_compute", {"campaign_id": "campaign_review"}, "", "GET", (405, 405, 405, 405, 405, 405)),
    ("api-1:results_compute", {"campaign_id": "campaign_review"}, "", "POST", (400, 403, 404, 404, 403, 401)),
    ("api-1:results_publish", {"version_id": "result_version"}, "", "POST", (400, 403, 404, 404, 403, 401)),
]
