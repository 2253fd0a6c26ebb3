"""Permission rows of the normative-documents ledger. Columns: county_admin, township_clerk,
village_clerk_elsewhere, reviewer, leader, anonymous.

``normative_document`` is 青山县's (the administrator edits it, the leader sees it, the township clerk does not:
it lies above 城关镇); ``normative_document_township`` is 城关镇's, decided and awaiting registration;
``normative_document_other`` is 白水县's. The reviewer holds no ledger role. A POST with an empty form is refused
with the form redisplayed (400); an empty body to the JSON API is not JSON (400). The public catalogue needs no
sign-in and shows published documents in force only.
"""

VIEW = (200, 200, 200, 403, 200, 302)
EDIT_ANY = (200, 200, 200, 403, 403, 302)
POST_EMPTY = (400, 400, 400, 403, 403, 302)
COUNTY = (200, 404, 404, 404, 200, 302)
TOWNSHIP = (200, 200, 404, 404, 200, 302)
OTHER = (404, 404, 200, 404, 404, 302)
PUBLIC = (200, 200, 200, 200, 200, 200)
API_VIEW = (200, 200, 200, 403, 200, 401)
API_COUNTY = (200, 404, 404, 404, 200, 401)
NOT_JSON = (400, 400, 400, 400, 400, 401)

_county = {"pk": "normative_document"}
_township = {"pk": "normative_document_township"}

ROWS = [
    ("document_index", {}, "", "GET", VIEW),
    ("document_list", {}, "", "GET", VIEW),
    ("document_list", {}, "?org=990101&year=2025&status=in_force&q=办法", "GET", VIEW),
    ("document_export", {}, "?status=expired", "GET", VIEW),
    ("document_create", {}, "", "GET", EDIT_ANY),
    ("document_create", {}, "", "POST", POST_EMPTY),
    ("document_detail", _county, "", "GET", COUNTY),
    ("document_detail", _township, "", "GET", TOWNSHIP),
    ("document_detail", {"pk": "normative_document_other"}, "", "GET", OTHER),
    ("document_edit", _township, "", "GET", (200, 200, 404, 404, 403, 302)),
    ("document_edit", _township, "", "POST", (400, 400, 404, 404, 403, 302)),
    ("document_step", {**_township, "step": "document_step"}, "", "GET", (405, 405, 405, 405, 405, 302)),
    ("document_step", {**_township, "step": "document_step"}, "", "POST", (400, 400, 404, 404, 403, 302)),
    ("document_cleanup_list", {}, "", "GET", VIEW),
    ("document_cleanup_create", {}, "", "GET", EDIT_ANY),
    ("document_cleanup_create", {}, "", "POST", POST_EMPTY),
    ("document_cleanup_detail", {"cleanup_pk": "document_cleanup"}, "", "GET", COUNTY),
    (
        "document_cleanup_decide",
        {"cleanup_pk": "document_cleanup", "cleanup_item_pk": "document_cleanup_item"},
        "",
        "POST",
        (400, 404, 404, 404, 403, 302),
    ),
    ("public_document_catalogue", {}, "", "GET", PUBLIC),
    ("public_document_catalogue", {}, "?q=绿化&page=2", "GET", PUBLIC),
    ("public_document_detail", {"document_pk": "normative_document"}, "", "GET", PUBLIC),
    ("public_document_detail", {"document_pk": "normative_document_township"}, "", "GET", (404,) * 6),
    # The JSON API.
    ("api-1:api_document_list", {}, "", "GET", API_VIEW),
    ("api-1:api_document_list", {}, "?org=990101001&status=decided", "GET", (200, 200, 404, 403, 200, 401)),
    ("api-1:api_document", {"document_id": "normative_document"}, "", "GET", API_COUNTY),
    (
        "api-1:api_document_update",
        {"document_id": "normative_document_other"},
        "",
        "GET",
        (404, 404, 200, 404, 404, 401),
    ),
    ("api-1:api_document_create", {}, "", "POST", NOT_JSON),
    ("api-1:api_document_cleanup_create", {}, "", "POST", NOT_JSON),
    ("api-1:api_document_cleanup", {"cleanup_id": "document_cleanup"}, "", "GET", API_COUNTY),
    (
        "api-1:api_document_cleanup_decide",
        {"cleanup_id": "document_cleanup", "cleanup_item_id": "document_cleanup_item"},
        "",
        "POST",
        NOT_JSON,
    ),
]
for _step in ("comment", "submit_review", "review", "decide", "register", "publish", "file", "evaluate", "end"):
    ROWS.append((f"api-1:api_document_{_step}", {"document_id": "normative_document_township"}, "", "POST", NOT_JSON))
