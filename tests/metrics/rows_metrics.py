"""Permission-table rows of the metric pages and API (format of tests/test_permissions.py).

Personas: county_admin, township_clerk, village_clerk_elsewhere, reviewer, leader, anonymous.
Readers need LEDGER_VIEW (administrator, clerk, recommender, leader): the reviewer gets 403. Without ``?org=``
the page shows the top of the reader's scope; an org outside it is a 404, as is an unknown metric.
"""

ROWS = [
    ("metric_list", {}, "", "GET", (200, 200, 200, 403, 200, 302)),
    ("metric_detail", {"metric_code": "metric_code"}, "", "GET", (200, 200, 200, 403, 200, 302)),
    ("metric_detail", {"metric_code": "metric_code"}, "?org={county_code}", "GET", (200, 404, 404, 403, 200, 302)),
    (
        "metric_detail",
        {"metric_code": "metric_code"},
        "?org={other_village_code}",
        "GET",
        (404, 404, 200, 403, 404, 302),
    ),
    ("metric_detail", {"metric_code": "unknown_metric_code"}, "", "GET", (404, 404, 404, 403, 404, 302)),
    ("metric_detail", {"metric_code": "metric_code"}, "", "POST", (405, 405, 405, 405, 405, 302)),
    ("metric_export", {"metric_code": "metric_code"}, "?org={county_code}", "GET", (200, 404, 404, 403, 200, 302)),
    ("metric_export", {"metric_code": "metric_code"}, "", "GET", (200, 200, 200, 403, 200, 302)),
    # the JSON API
    ("api-1:metrics", {}, "", "GET", (200, 200, 200, 403, 200, 401)),
    ("api-1:metric_value", {"metric_code": "metric_code"}, "?org={county_code}", "GET", (200, 404, 404, 403, 200, 401)),
    (
        "api-1:metric_value",
        {"metric_code": "metric_code"},
        "?org={other_village_code}",
        "GET",
        (404, 404, 200, 403, 404, 401),
    ),
    ("api-1:metric_value", {"metric_code": "unknown_metric_code"}, "", "GET", (404, 404, 404, 403, 404, 401)),
]
