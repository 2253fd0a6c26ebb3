"""Permission-table rows of the study ledger's pages (format of tests/test_permissions.py).

Personas: county_admin, township_clerk, village_clerk_elsewhere, reviewer, leader, anonymous.
Administrators and clerks keep the ledger of their subtree (ledger.edit); leaders read it (ledger.view); reviewers
have no ledger rights (403 on lists, 404 on records). Records of 城关镇 lie inside 青山县; those of 白水村 outside it.
"""

VIEW = (200, 200, 200, 403, 200, 302)
EDIT = (200, 200, 200, 403, 403, 302)
# An empty POST redisplays the form (as org_edit does).
POST_EMPTY = (200, 200, 200, 403, 403, 302)
INSIDE = (200, 200, 404, 404, 200, 302)
INSIDE_EDIT = (200, 200, 404, 404, 403, 302)
INSIDE_POST = (200, 200, 404, 404, 403, 302)
OUTSIDE = (404, 404, 200, 404, 404, 302)

ROWS = [
    ("study_index", {}, "", "GET", VIEW),
    ("study_compliance", {}, "", "GET", VIEW),
    ("study_compliance", {}, "?year=2025&status=short", "GET", VIEW),
    # An organisation typed outside the scope is refused on the page, naming its code (400), not hidden (404).
    ("study_compliance", {}, "?org={study_other_village_code}", "GET", (400, 400, 200, 403, 400, 302)),
]

for register, kwarg, inside, outside in (
    ("session", "study_session_pk", "study_session", "study_session_other"),
    ("learner", "study_learner_pk", "study_learner", "study_learner_other"),
    ("meeting", "study_meeting_pk", "study_meeting", None),
    ("appointment", "study_appointment_pk", "study_appointment", None),
    ("publicity", "study_publicity_pk", "study_publicity", None),
):
    ROWS += [
        (f"study_{register}_list", {}, "", "GET", VIEW),
        (
            f"study_{register}_list",
            {},
            "?org={study_township_code}&year=2025&status=x",
            "GET",
            (200, 200, 400, 403, 200, 302),
        ),
        (f"study_{register}_create", {}, "", "GET", EDIT),
        (f"study_{register}_create", {}, "", "POST", POST_EMPTY),
        (f"study_{register}_detail", {kwarg: inside}, "", "GET", INSIDE),
        (f"study_{register}_edit", {kwarg: inside}, "", "GET", INSIDE_EDIT),
        (f"study_{register}_edit", {kwarg: inside}, "", "POST", INSIDE_POST),
    ]
    if outside:
        ROWS += [
            (f"study_{register}_detail", {kwarg: outside}, "", "GET", OUTSIDE),
            (f"study_{register}_edit", {kwarg: outside}, "", "GET", OUTSIDE),
        ]

# Imports are the ledgers' shared page (its rows: rows_common.py); each register's filtered export is its own.
for register in ("session", "learner", "meeting", "appointment", "publicity"):
    ROWS += [
        (f"study_{register}_export", {}, "", "GET", VIEW),
        (f"study_{register}_export", {}, "?org={study_township_code}", "GET", (200, 200, 404, 403, 200, 302)),
    ]

# The JSON API (401 without credentials; a form-encoded empty body is refused (400) before any check of rights).
API_VIEW = (200, 200, 200, 403, 200, 401)
API_EMPTY = (400, 400, 400, 400, 400, 401)
API_INSIDE = (200, 200, 404, 404, 200, 401)
API_OUTSIDE = (404, 404, 200, 404, 404, 401)
ROWS += [
    ("api-1:study_compliance", {}, "", "GET", API_VIEW),
    ("api-1:study_compliance", {}, "?org=990102001001", "GET", (404, 404, 200, 403, 404, 401)),
    ("api-1:study_sessions", {}, "?org=990101001&year=2025", "GET", (200, 200, 404, 403, 200, 401)),
]
for collection, item, kwarg, inside, outside in (
    ("study_sessions", "study_session", "study_session_id", "study_session", "study_session_other"),
    ("study_learners", "study_learner", "study_learner_id", "study_learner", "study_learner_other"),
    ("study_meetings", "study_meeting", "study_meeting_id", "study_meeting", None),
    ("study_appointments", "study_appointment", "study_appointment_id", "study_appointment", None),
    ("study_publicity", "study_publicity_event", "study_publicity_id", "study_publicity", None),
):
    ROWS += [
        (f"api-1:{collection}", {}, "", "GET", API_VIEW),
        (f"api-1:{collection}", {}, "", "POST", API_EMPTY),
        (f"api-1:{item}", {kwarg: inside}, "", "GET", API_INSIDE),
    ]
    if outside:
        ROWS.append((f"api-1:{item}", {kwarg: outside}, "", "GET", API_OUTSIDE))
