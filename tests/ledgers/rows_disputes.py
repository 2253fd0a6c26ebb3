"""Permission rows of the disputes ledger. Columns: county_admin, township_clerk, village_clerk_elsewhere,
reviewer, leader, anonymous.

The administrator (青山县) and the township clerk (城关镇) may see and change 城关镇's records; the leader may
only see them; the reviewer holds no ledger role; the clerk of 白水村 sees only 白水村's. A POST with an empty
form is refused with the form redisplayed (400) or, for an extension, a message and a redirect (302).
"""

VIEW = (200, 200, 200, 403, 200, 302)
EDIT_ANY = (200, 200, 200, 403, 403, 302)
DETAIL = (200, 200, 404, 404, 200, 302)
DETAIL_OTHER = (404, 404, 200, 404, 404, 302)
EDIT = (200, 200, 404, 404, 403, 302)

ROWS = [("disputes_index", {}, "", "GET", VIEW)]
for _r in ("reconsideration", "litigation", "mediation", "disclosure"):
    _pk = {"pk": f"dispute_{_r}"}
    ROWS += [
        (f"{_r}_list", {}, "", "GET", VIEW),
        (f"{_r}_list", {}, "?org=990101001&year=2026&status=x", "GET", VIEW),
        (f"{_r}_export", {}, "", "GET", VIEW),
        (f"{_r}_create", {}, "", "GET", EDIT_ANY),
        (f"{_r}_create", {}, "", "POST", (400, 400, 400, 403, 403, 302)),
        (f"{_r}_detail", _pk, "", "GET", DETAIL),
        (f"{_r}_detail", {"pk": f"dispute_{_r}_other"}, "", "GET", DETAIL_OTHER),
        (f"{_r}_edit", _pk, "", "GET", EDIT),
        (f"{_r}_edit", _pk, "", "POST", (400, 400, 404, 404, 403, 302)),
        (f"{_r}_edit", {"pk": f"dispute_{_r}_other"}, "", "GET", DETAIL_OTHER),
    ]
for _r in ("reconsideration", "disclosure"):
    ROWS += [
        (f"{_r}_extend", {"pk": f"dispute_{_r}"}, "", "GET", (405, 405, 405, 405, 405, 302)),
        (f"{_r}_extend", {"pk": f"dispute_{_r}"}, "", "POST", (302, 302, 404, 404, 403, 302)),
    ]

# The API (session or token): 401 anonymous. A POST with an empty form body is not the JSON the endpoints read (400).
for _r in ("reconsideration", "litigation", "mediation", "disclosure"):
    _id = {f"{_r}_id": f"dispute_{_r}"}
    ROWS += [
        (f"api-1:api_disputes_{_r}_list", {}, "", "GET", (200, 200, 200, 403, 200, 401)),
        (f"api-1:api_disputes_{_r}_list", {}, "?org=990102", "GET", (404, 404, 404, 403, 404, 401)),
        (f"api-1:api_disputes_{_r}_create", {}, "", "POST", (400, 400, 400, 400, 400, 401)),
        (f"api-1:api_disputes_{_r}", _id, "", "GET", (200, 200, 404, 404, 200, 401)),
        (f"api-1:api_disputes_{_r}", {f"{_r}_id": f"dispute_{_r}_other"}, "", "GET", (404, 404, 200, 404, 404, 401)),
        (f"api-1:api_disputes_{_r}_update", _id, "", "POST", (405, 405, 405, 405, 405, 405)),
    ]
for _r in ("reconsideration", "disclosure"):
    ROWS.append(
        (f"api-1:api_disputes_{_r}_extend", {f"{_r}_id": f"dispute_{_r}"}, "", "POST", (400, 400, 400, 400, 400, 401))
    )
