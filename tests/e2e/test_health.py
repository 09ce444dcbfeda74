"""GET /healthz and the shell pages answer."""


def test_healthz_ok(client):
    # when
    response = client.get("/healthz")
    # then
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_503_when_database_unreachable(client, app):
    # given a database that cannot be reached
    from kosmos.db import make_engine

    app.state.engine = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    # when
    response = client.get("/healthz")
    # then
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


def test_home_page_renders_german_by_default(client):
    response = client.get("/", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert 'lang="de"' in response.text
    assert "Kosmos" in response.text


def test_manifest_makes_it_installable(client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    body = response.json()
    assert body["display"] == "standalone"
    assert {i["sizes"] for i in body["icons"]} >= {"192x192", "512x512"}


def test_openapi_document_and_docs_are_served(client):
    spec = client.get("/api/openapi.json")
    docs = client.get("/api/docs")
    assert spec.status_code == 200
    assert "/api/v1/products" in spec.json()["paths"]
    assert docs.status_code == 200
    assert "/api/openapi.json" in docs.text
