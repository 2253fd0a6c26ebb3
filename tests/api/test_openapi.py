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


def test_openapi_lists_the_endpoints(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"] == {"title": "Fazhi API", "version": "1", "description": schema["info"]["description"]}
    operations = {(method.upper(), path) for path, ops in schema["paths"].items() for method in ops}
    assert FLOW - operations == set(), "steps of the campaign flow missing from the API"
    assert {path for path in schema["paths"] if not path.startswith(("/api/v1/campaigns", "/api/v1/applications"))} == {
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
