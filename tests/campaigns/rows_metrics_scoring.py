"""Permission rows of the scores-from-records pages (columns: county_admin, township_clerk, village_clerk_elsewhere,
reviewer, leader, anonymous). Objects: tests/campaigns/world_metrics_scoring.py.

The drill-down is scoped through the application: its assigned reviewer opens it without ledger.view over the
applicant, as does anyone who sees the application; a metric the campaign's standard does not score by is a 404.
The override page is the assigned reviewer's only; an empty form is refused (400)."""

ROWS = [
    (
        "application_metric_records",
        {"pk": "ms_application", "metric_code": "ms_metric"},
        "",
        "GET",
        (200, 200, 404, 200, 200, 302),
    ),
    (
        "application_metric_records",
        {"pk": "ms_application", "metric_code": "ms_other_metric"},
        "",
        "GET",
        (404, 404, 404, 404, 404, 302),
    ),
    (
        "assignment_leaf_override",
        {"pk": "ms_assignment", "indicator_pk": "ms_indicator"},
        "",
        "GET",
        (404, 404, 404, 200, 404, 302),
    ),
    (
        "assignment_leaf_override",
        {"pk": "ms_assignment", "indicator_pk": "ms_indicator"},
        "",
        "POST",
        (404, 404, 404, 400, 404, 302),
    ),
    # The JSON API: 401 without credentials.
    (
        "api-1:application_figures",
        {"application_id": "ms_application"},
        "",
        "GET",
        (200, 200, 404, 200, 200, 401),
    ),
    (
        "api-1:application_metric_record_ids",
        {"application_id": "ms_application", "metric_code": "ms_metric"},
        "",
        "GET",
        (200, 200, 404, 200, 200, 401),
    ),
    (
        "api-1:sheet_override",
        {"assignment_id": "ms_assignment"},
        "",
        "POST",
        (400, 400, 400, 400, 400, 401),
    ),
]
