"""Permission rows of the campaigns area: the list, create, edit, the dashboard, advancing the stage, the pool
and conflicts, and the API. Columns: county_admin, township_clerk, village_clerk_elsewhere, reviewer, leader,
anonymous.

``campaign`` (青山县, application stage) is seen by the county's administrator and leader and by the township
clerk (a participant inside the area); ``campaign_draft`` only by the county's administrator and leader;
``campaign_other`` (白水县) only by the clerk of 白水村; ``campaign_pooled`` also by the ``reviewer`` persona,
who sits in its pool and declared the ``conflict``. Only the administrator manages (403 for the others who see
the campaign, 404 for those who do not). A POST with an empty form is refused: 400 with the form.
"""

POST_ONLY = (405, 405, 405, 405, 405, 302)
API_POST_ONLY = (405, 405, 405, 405, 405, 405)  # the wrong method, before credentials are asked

ROWS = [
    ("campaign_list", {}, "", "GET", (200, 200, 200, 200, 200, 302)),
    ("campaign_list", {}, "?stage=review", "GET", (200, 200, 200, 200, 200, 302)),
    ("campaign_create", {}, "", "GET", (200, 403, 403, 403, 403, 302)),
    ("campaign_create", {}, "", "POST", (400, 403, 403, 403, 403, 302)),
    ("campaign_detail", {"pk": "campaign"}, "", "GET", (200, 200, 404, 404, 200, 302)),
    ("campaign_detail", {"pk": "campaign_draft"}, "", "GET", (200, 404, 404, 404, 200, 302)),
    ("campaign_detail", {"pk": "campaign_other"}, "", "GET", (404, 404, 200, 404, 404, 302)),
    ("campaign_detail", {"pk": "campaign_pooled"}, "", "GET", (200, 200, 404, 200, 200, 302)),
    ("campaign_edit", {"pk": "campaign"}, "", "GET", (200, 403, 404, 404, 403, 302)),
    ("campaign_edit", {"pk": "campaign_draft"}, "", "POST", (400, 404, 404, 404, 403, 302)),
    ("campaign_edit", {"pk": "campaign_other"}, "", "GET", (404, 404, 403, 404, 404, 302)),
    ("campaign_advance", {"pk": "campaign"}, "", "GET", (200, 403, 404, 404, 403, 302)),
    ("campaign_advance", {"pk": "campaign_draft"}, "", "POST", (400, 404, 404, 404, 403, 302)),
    ("campaign_pool", {"pk": "campaign_pooled"}, "", "GET", (200, 403, 404, 403, 403, 302)),
    ("campaign_pool", {"pk": "campaign_pooled"}, "", "POST", (400, 403, 404, 403, 403, 302)),
    ("campaign_pool_remove", {"pk": "campaign_pooled", "member_pk": "pool_member"}, "", "GET", POST_ONLY),
    (
        "campaign_pool_remove",
        {"pk": "campaign_pooled", "member_pk": "pool_member"},
        "",
        "POST",
        (302, 403, 404, 403, 403, 302),
    ),
    ("campaign_conflict_declare", {"pk": "campaign_pooled"}, "", "GET", (403, 403, 404, 200, 403, 302)),
    ("campaign_conflict_declare", {"pk": "campaign_pooled"}, "", "POST", (403, 403, 404, 400, 403, 302)),
    ("campaign_conflict_remove", {"pk": "campaign_pooled", "conflict_pk": "conflict"}, "", "GET", POST_ONLY),
    (
        "campaign_conflict_remove",
        {"pk": "campaign_pooled", "conflict_pk": "conflict"},
        "",
        "POST",
        # The administrator (first column) withdraws it; by the reviewer's turn it is gone. The reviewer's own
        # withdrawal is in tests/campaigns/test_campaigns_pages.py.
        (302, 404, 404, 404, 404, 302),
    ),
    # The JSON API: 401 without credentials; a form body where JSON is expected is 400 before anything is looked up.
    ("api-1:campaigns", {}, "", "GET", (200, 200, 200, 200, 200, 401)),
    ("api-1:campaigns", {}, "", "POST", (400, 400, 400, 400, 400, 401)),
    ("api-1:campaign", {"campaign_id": "campaign"}, "", "GET", (200, 200, 404, 404, 200, 401)),
    ("api-1:campaign", {"campaign_id": "campaign_other"}, "", "GET", (404, 404, 200, 404, 404, 401)),
    ("api-1:campaign_advance", {"campaign_id": "campaign_draft"}, "", "GET", API_POST_ONLY),
    ("api-1:campaign_advance", {"campaign_id": "campaign_draft"}, "", "POST", (400, 404, 404, 404, 403, 401)),
    ("api-1:campaign_pool", {"campaign_id": "campaign_pooled"}, "", "GET", (200, 403, 404, 403, 403, 401)),
    ("api-1:campaign_pool", {"campaign_id": "campaign_pooled"}, "", "POST", (400, 400, 400, 400, 400, 401)),
    (
        "api-1:campaign_pool_member",
        {"campaign_id": "campaign_pooled", "member_id": "pool_member"},
        "",
        "GET",
        API_POST_ONLY,
    ),
]
