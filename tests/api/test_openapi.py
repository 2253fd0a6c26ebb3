"""The OpenAPI description renders and lists every endpoint; no docs page loads anything from a CDN."""


def test_openapi_lists_the_endpoints(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"] == {"title": "Fazhi API", "version": "1", "description": schema["info"]["description"]}
    assert set(schema["paths"]) == {
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
