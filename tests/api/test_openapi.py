"""The OpenAPI description renders and lists every endpoint; no docs page loads anything from a CDN."""

# Every step of a campaign, from creation to naming (issue 4: "a program can drive a campaign").
FLOW = {
    ("POST", "/api/v1/campaigns"),  # create and configure
    ("PATCH", "/api/v1/campaigns/{campaign_id}"),
    ("POST", "/api/v1/campaigns/{campaign_id}/pool"),
    ("POST", "/api/v1/campaigns/{campaign_id}/advance"),  # open and close stages
    ("POST", "/api/v1/campaigns/{campaign_id}/applications"),  # apply
    ("POST", "/api/v1/applications/{application_id}/answers"),
    ("POST", "/api/v1/applications/{application_id}/evidence"),
    ("POST", "/api/v1/applications/{application_id}/submit"),
    ("POST", "/api/v1/applications/{application_id}/recommend"),
    ("POST", "/api/v1/applications/{application_id}/return"),
    ("POST", "/api/v1/campaigns/{campaign_id}/assignments/run"),  # assign
    ("POST", "/api/v1/campaigns/assignments/{assignment_id}/sheet/save"),  # score
    ("POST", "/api/v1/campaigns/assignments/{assignment_id}/sheet/submit"),
    ("POST", "/api/v1/applications/{application_id}/vetoes/record"),
    ("POST", "/api/v1/campaigns/{campaign_id}/results/compute"),  # results
    ("POST", "/api/v1/campaigns/results/{version_id}/publish"),
    ("POST", "/api/v1/applications/{application_id}/objections"),  # objections
    ("POST", "/api/v1/campaigns/objections/{objection_id}/decide"),
    ("POST", "/api/v1/campaigns/{campaign_id}/name"),  # naming
    ("GET", "/api/v1/campaigns/{campaign_id}/named-list"),
}

# Each ledger's registers can be listed and entered through the API (issue 5), and the metrics read.
LEDGERS = {
    ("GET", "/api/v1/ledgers/documents"),
    ("POST", "/api/v1/ledgers/documents"),
    ("POST", "/api/v1/ledgers/documents/{document_id}/register"),
    ("GET", "/api/v1/ledgers/decisions"),
    ("POST", "/api/v1/ledgers/decisions"),
    ("POST", "/api/v1/ledgers/decisions/{decision_id}/decide"),
    ("GET", "/api/v1/ledgers/enforcement/officers"),
    ("POST", "/api/v1/ledgers/enforcement/officers"),
    ("POST", "/api/v1/ledgers/enforcement/case-files"),
    ("POST", "/api/v1/ledgers/disputes/reconsideration"),
    ("POST", "/api/v1/ledgers/disputes/litigation"),
    ("POST", "/api/v1/ledgers/disputes/mediation"),
    ("POST", "/api/v1/ledgers/disputes/disclosure"),
    ("POST", "/api/v1/ledgers/study/sessions"),
    ("POST", "/api/v1/ledgers/study/learners"),
    ("POST", "/api/v1/ledgers/study/publicity"),
    ("GET", "/api/v1/metrics"),
    ("GET", "/api/v1/metrics/{metric_code}"),
}


def test_openapi_lists_the_endpoints(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"] == {"title": "Fazhi API", "version": "1", "description": schema["info"]["description"]}
    operations = {(method.upper(), path) for path, ops in schema["paths"].items() for method in ops}
    assert FLOW - operations == set(), "steps of the campaign flow missing from the API"
    assert LEDGERS - operations == set(), "ledger or metric endpoints missing from the API"
    assert not [path for path in schema["paths"] if path.endswith("/")], "paths end without a slash"
    prefixes = ("/api/v1/campaigns", "/api/v1/applications", "/api/v1/ledgers", "/api/v1/metrics")
    assert {path for path in schema["paths"] if not path.startswith(prefixes)} == {
        "/api/v1/orgs/{org_code}",
        "/api/v1/orgs/{org_code}/children",
        "/api/v1/standards",
        "/api/v1/standards/{standard_id}",
        "/api/v1/standards/by-code/{standard_code}/{version}",
        "/api/v1/standards/import",
        "/api/v1/standards/{standard_id}/export",
    }
    assert "BearerToken" in schema["components"]["securitySchemes"]


def test_there_is_no_swagger_page(client):
    assert client.get("/api/v1/docs").status_code == 404
