"""Permission rows of the enforcement ledger. Columns: county_admin, township_clerk, village_clerk_elsewhere,
reviewer, leader, anonymous.

``enf_officer`` and ``enf_casefile`` are in 东门村's ledger (inside 城关镇 and 青山县); ``*_other`` in 白水村's. The
reviewer holds no ledger capability (403 on lists, 404 on records); the leader reads but does not edit (403). An
empty POST redisplays the form (200), as the other pages do.
"""

READ = (200, 200, 200, 403, 200, 302)
CREATE = (200, 200, 200, 403, 403, 302)
INSIDE = (200, 200, 404, 404, 200, 302)
OUTSIDE = (404, 404, 200, 404, 404, 302)
EDIT = (200, 200, 404, 404, 403, 302)
API_READ = (200, 200, 200, 403, 200, 401)
API_INSIDE = (200, 200, 404, 404, 200, 401)
API_POST_ONLY = (405, 405, 405, 405, 405, 405)

ROWS = [
    ("enforcement_index", {}, "", "GET", READ),
    ("enforcement_officer_list", {}, "", "GET", READ),
    ("enforcement_officer_list", {}, "?status=suspended&year=2025", "GET", READ),
    ("enforcement_officer_export", {}, "", "GET", READ),
    ("enforcement_officer_create", {}, "", "GET", CREATE),
    ("enforcement_officer_create", {}, "", "POST", CREATE),
    ("enforcement_officer_detail", {"officer_id": "enf_officer"}, "", "GET", INSIDE),
    ("enforcement_officer_detail", {"officer_id": "enf_officer_other"}, "", "GET", OUTSIDE),
    ("enforcement_officer_edit", {"officer_id": "enf_officer"}, "", "GET", EDIT),
    ("enforcement_officer_edit", {"officer_id": "enf_officer"}, "", "POST", EDIT),
    ("enforcement_officer_edit", {"officer_id": "enf_officer_other"}, "", "GET", (404, 404, 200, 404, 404, 302)),
    ("enforcement_certificate_create", {"officer_id": "enf_officer"}, "", "GET", EDIT),
    ("enforcement_certificate_create", {"officer_id": "enf_officer"}, "", "POST", EDIT),
    ("enforcement_year_record", {"officer_id": "enf_officer"}, "?year=2025", "GET", EDIT),
    ("enforcement_year_record", {"officer_id": "enf_officer"}, "", "POST", EDIT),
    ("enforcement_exam_list", {}, "", "GET", READ),
    ("enforcement_exam_list", {}, "?status=passed&year=2025", "GET", READ),
    ("enforcement_exam_export", {}, "", "GET", READ),
    ("enforcement_casefile_list", {}, "", "GET", READ),
    ("enforcement_casefile_list", {}, "?status=excellent", "GET", READ),
    ("enforcement_casefile_export", {}, "", "GET", READ),
    ("enforcement_casefile_create", {}, "", "GET", CREATE),
    ("enforcement_casefile_detail", {"casefile_id": "enf_casefile"}, "", "GET", INSIDE),
    ("enforcement_casefile_detail", {"casefile_id": "enf_casefile_other"}, "", "GET", OUTSIDE),
    ("enforcement_casefile_edit", {"casefile_id": "enf_casefile"}, "", "GET", EDIT),
    ("enforcement_casefile_edit", {"casefile_id": "enf_casefile"}, "", "POST", EDIT),
    # The JSON API: a GET of each named path (the POST and PATCH endpoints share their paths).
    ("api-1:enforcement_officers", {}, "", "GET", API_READ),
    ("api-1:enforcement_officer_create", {}, "?status=active", "GET", API_READ),
    ("api-1:enforcement_officer", {"officer_id": "enf_officer"}, "", "GET", API_INSIDE),
    (
        "api-1:enforcement_officer_update",
        {"officer_id": "enf_officer_other"},
        "",
        "GET",
        (404, 404, 200, 404, 404, 401),
    ),
    ("api-1:enforcement_certificate_create", {"officer_id": "enf_officer"}, "", "GET", API_POST_ONLY),
    ("api-1:enforcement_year_record", {"officer_id": "enf_officer"}, "", "GET", API_POST_ONLY),
    ("api-1:enforcement_exams", {}, "?year=2025", "GET", API_READ),
    ("api-1:enforcement_case_files", {}, "?grade=pass", "GET", API_READ),
    ("api-1:enforcement_case_file_create", {}, "", "GET", API_READ),
    ("api-1:enforcement_case_file", {"casefile_id": "enf_casefile"}, "", "GET", API_INSIDE),
    (
        "api-1:enforcement_case_file_update",
        {"casefile_id": "enf_casefile_other"},
        "",
        "GET",
        (404, 404, 200, 404, 404, 401),
    ),
]
