"""Assertions shared by the API tests."""


def assert_error(response, status, code=None) -> dict:
    """The response is an error of this status in the API's one error shape
    ({"error": {"code", "message", "fields"}}, with a message); returns the error."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return body["error"]
