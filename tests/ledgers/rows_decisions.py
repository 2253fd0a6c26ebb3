"""Permission rows of the decisions ledger. Columns: county_admin, township_clerk, village_clerk_elsewhere,
reviewer, leader, anonymous.

The administrator (青山县) and the township clerk (城关镇) may see and change 城关镇's decisions; the leader may
only see them; the reviewer holds no ledger role; the clerk of 白水村 sees only 白水村's.
"""

E = (200, 200, 404, 404, 403, 302)  # a write page on 城关镇's decision
ROWS = [
    ("decision_list", {}, "", "GET", (200, 200, 200, 403, 200, 302)),
    ("decision_list", {}, "?status=decided&year=2026", "GET", (200, 200, 200, 403, 200, 302)),
    ("decision_export", {}, "", "GET", (200, 200, 200, 403, 200, 302)),
    ("decision_create", {}, "", "GET", (200, 200, 200, 403, 403, 302)),
    ("decision_create", {}, "", "POST", (400, 400, 400, 403, 403, 302)),
    ("decision_detail", {"pk": "decision"}, "", "GET", (200, 200, 404, 404, 200, 302)),
    ("decision_detail", {"pk": "decision_other"}, "", "GET", (404, 404, 200, 404, 404, 302)),
    ("decision_edit", {"pk": "decision"}, "", "GET", E),
    ("decision_edit", {"pk": "decision"}, "", "POST", (400, 400, 404, 404, 403, 302)),
    ("decision_edit", {"pk": "decision_other"}, "", "GET", (404, 404, 200, 404, 404, 302)),
    ("decision_procedure", {"pk": "decision"}, "?kind=legality_review", "GET", E),
    ("decision_procedure", {"pk": "decision"}, "?kind=nonsense", "GET", (404, 404, 404, 404, 403, 302)),
    ("decision_procedure", {"pk": "decision"}, "?kind=risk_assessment", "POST", (400, 400, 404, 404, 403, 302)),
    ("decision_decide", {"pk": "decision"}, "", "GET", E),
    ("decision_decide", {"pk": "decision"}, "", "POST", (400, 400, 404, 404, 403, 302)),
    ("decision_withdraw", {"pk": "decision"}, "", "GET", E),
    ("decision_withdraw", {"pk": "decision"}, "", "POST", (400, 400, 404, 404, 403, 302)),
    ("decision_evaluate", {"pk": "decision_decided"}, "", "GET", E),
    ("decision_evaluate", {"pk": "decision_decided"}, "", "POST", (400, 400, 404, 404, 403, 302)),
    (
        "decision_procedure_delete",
        {"decision_procedure_pk": "decision_procedure"},
        "",
        "GET",
        (405, 405, 405, 405, 405, 302),
    ),
    (
        "decision_procedure_delete",
        {"decision_procedure_pk": "decision_procedure_other"},
        "",
        "POST",
        (404, 404, 302, 404, 404, 302),
    ),
    (
        "decision_evidence_add",
        {"decision_procedure_pk": "decision_procedure"},
        "",
        "POST",
        (302, 302, 404, 404, 403, 302),
    ),
    (
        "decision_evidence_download",
        {"decision_evidence_pk": "decision_evidence"},
        "",
        "GET",
        (200, 200, 404, 404, 200, 302),
    ),
    (
        "decision_evidence_download",
        {"decision_evidence_pk": "decision_evidence_other"},
        "",
        "GET",
        (404, 404, 200, 404, 404, 302),
    ),
    (
        "decision_evidence_delete",
        {"decision_evidence_pk": "decision_evidence_other"},
        "",
        "POST",
        (404, 404, 302, 404, 404, 302),
    ),
    # The API: 401 without credentials; a POST whose body is not JSON is a 400 before any scope check (the
    # scope of the API is tested in tests/ledgers/decisions/test_api.py).
    ("api-1:api_decision_list", {}, "", "GET", (200, 200, 200, 403, 200, 401)),
    ("api-1:api_decision_create", {}, "", "POST", (400, 400, 400, 400, 400, 401)),
    ("api-1:api_decision", {"decision_id": "decision"}, "", "GET", (200, 200, 404, 404, 200, 401)),
    ("api-1:api_decision", {"decision_id": "decision_other"}, "", "GET", (404, 404, 200, 404, 404, 401)),
    # The update is a PATCH on the decision's path (tested in test_api.py); the path's GET is the detail, and a
    # POST (the old update) is not allowed.
    ("api-1:api_decision_update", {"decision_id": "decision"}, "", "GET", (200, 200, 404, 404, 200, 401)),
    ("api-1:api_decision_update", {"decision_id": "decision"}, "", "POST", (405, 405, 405, 405, 405, 405)),
    ("api-1:api_decision_procedure", {"decision_id": "decision"}, "", "POST", (400, 400, 400, 400, 400, 401)),
    ("api-1:api_decision_decide", {"decision_id": "decision"}, "", "POST", (400, 400, 404, 404, 403, 401)),
    ("api-1:api_decision_withdraw", {"decision_id": "decision"}, "", "POST", (400, 400, 400, 400, 400, 401)),
    ("api-1:api_decision_evaluate", {"decision_id": "decision_decided"}, "", "POST", (400, 400, 400, 400, 400, 401)),
    (
        "api-1:api_decision_evidence_add",
        {"decision_procedure_id": "decision_procedure"},
        "",
        "POST",
        (422, 422, 422, 422, 422, 401),  # no file: refused before the scope check
    ),
]
