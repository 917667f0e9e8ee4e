"""The OpenAPI schema of /api/v1/ (portal_api/common/schema.py): valid without a warning, the
portal API only, exact about files, nullability, write shapes and error answers; and the
fixes the fuzzing (.ci/schemathesis.py) asked for."""

import io

import jsonschema
import pytest
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator
from openpyxl import load_workbook

from portal_api.common.export import Column, write_xlsx
from tests.api_helpers import assert_error

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UNSAFE = {"post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in {"get", "post", "put", "patch", "delete"}:
                yield path, method, operation


def resolve(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
    return node


def test_spectacular_validates_without_a_warning(tmp_path, db):
    # --fail-on-warn: a warning (an unresolved field, a clashing operation id, an enum name
    # collision) fails the command.
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert out.read_text().startswith("openapi: 3")


def test_only_the_portal_api_is_public(schema):
    paths = list(schema["paths"])
    assert paths and all(path.startswith("/api/v1/") for path in paths)
    assert not any(path.startswith(("/admin/", "/api/cms/")) for path in paths)


def test_operation_ids_are_unique(schema):
    ids = [operation["operationId"] for _, _, operation in operations(schema)]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("path, media_types", [
    ("/api/v1/invoices/{id}/pdf/", {"application/pdf"}),
    ("/api/v1/interventions/{id}/report/", {"application/pdf"}),
    ("/api/v1/interventions/{id}/signature/", {"image/png"}),
    ("/api/v1/exports/{id}/download/", {XLSX, "application/zip"}),
    ("/api/v1/documents/{id}/download/", {"*/*"}),
    ("/api/v1/tickets/{id}/attachments/{document_id}/", {"*/*"}),
    ("/api/v1/interventions/{id}/documents/{document_id}/", {"*/*"}),
])
def test_files_are_binary_in_their_media_types(schema, path, media_types):
    content = schema["paths"][path]["get"]["responses"]["200"]["content"]
    assert set(content) == media_types
    for media in content.values():
        assert media["schema"] == {"type": "string", "format": "binary"}


@pytest.mark.parametrize("path", ["/api/v1/invoices/", "/api/v1/orders/",
                                  "/api/v1/equipment/", "/api/v1/interventions/"])
def test_exporting_lists_document_the_xlsx_and_the_queued_export(schema, path):
    operation = schema["paths"][path]["get"]
    fmt = next(p for p in operation["parameters"] if p["name"] == "format")
    assert fmt["schema"]["enum"] == ["xlsx"]
    responses = operation["responses"]
    assert responses["200"]["content"][XLSX]["schema"]["format"] == "binary"
    assert "application/json" in responses["200"]["content"]
    job = responses["202"]["content"]["application/json"]["schema"]
    assert job == {"$ref": "#/components/schemas/ExportJob"}


def test_equipment_contract_fields_are_nullable(schema):
    components = schema["components"]["schemas"]
    assert components["Equipment"]["properties"]["contract_number"]["nullable"] is True
    detail = components["EquipmentDetail"]["properties"]
    assert detail["contract_number"]["nullable"] is True
    assert detail["contract_title"]["nullable"] is True


def test_write_shapes_are_not_the_read_shapes(schema):
    create = schema["paths"]["/api/v1/orders/"]["post"]
    body = resolve(schema, create["requestBody"]["content"]["application/json"]["schema"])
    assert set(body["properties"]) == {"customer_reference", "delivery_site", "comment"}
    created = create["responses"]["201"]["content"]["application/json"]["schema"]
    assert "status" in resolve(schema, created)["properties"]
    # A model serializer used both ways: the id is read-only, so never an input.
    contact = schema["paths"]["/api/v1/contacts/"]["post"]["requestBody"]
    assert "id" not in resolve(schema, contact["content"]["application/json"]["schema"])[
        "properties"]


def test_bodies_are_json_unless_they_carry_files(schema):
    for path, method, operation in operations(schema):
        content = set(operation.get("requestBody", {}).get("content", {}))
        if method != "post":
            assert content <= {"application/json"}, (method, path)
        elif path in ("/api/v1/tickets/", "/api/v1/interventions/{id}/expenses/"):
            assert content == {"multipart/form-data", "application/json"}
        elif path == "/api/v1/interventions/{id}/documents/":
            assert content == {"multipart/form-data"}
        else:
            assert content <= {"application/json"}, (method, path)


def test_every_operation_documents_its_errors_in_the_error_shape(schema):
    error = {"$ref": "#/components/schemas/Error"}
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        label = f"{method.upper()} {path}"
        expected = {"401", "429"}
        if method in UNSAFE:
            expected |= {"400", "403"}
        if "{" in path:
            expected.add("404")
            if method in UNSAFE:
                expected.add("409")
        assert expected <= set(responses), (label, sorted(responses))
        for status, response in responses.items():
            if status >= "400":
                assert response["content"] == {"application/json": {"schema": error}}, label
        assert "Retry-After" in responses["429"]["headers"], label
    # Who is logged in may always read himself: no 403 there.
    assert "403" not in schema["paths"]["/api/v1/me/"]["get"]["responses"]
    assert {"403", "404"} <= set(schema["paths"]["/api/v1/company/"]["get"]["responses"])


def test_the_error_component_matches_what_the_api_answers(schema, api_as, api_client, dupond):
    components = {"components": schema["components"]}
    error_schema = {**schema["components"]["schemas"]["Error"], **components}
    answers = [
        api_client.get("/api/v1/orders/"),  # 401
        api_as(dupond).post("/api/v1/orders/", {"delivery_site": "x"}, format="json"),  # 400
        api_as(dupond).get("/api/v1/orders/999999/"),  # 404
    ]
    for response in answers:
        assert response.status_code >= 400
        jsonschema.validate(response.json(), error_schema)


# What the fuzzing found ----------------------------------------------------------------------


def test_an_unknown_api_path_is_a_json_404(api_as, dupond):
    for path in ("/api/v1/nothing-here/", "/api/v1/orders/1/lines/abc/"):
        assert_error(api_as(dupond).delete(path), 404, "not_found")


@pytest.mark.parametrize("page_size", ["null", "0", "-3", "1.5", "abc"])
def test_a_bad_page_size_is_a_400_naming_it(api_as, dupond, page_size):
    error = assert_error(api_as(dupond).get("/api/v1/orders/", {"page_size": page_size}), 400)
    assert "page_size" in error["fields"]


def test_a_page_size_above_the_maximum_is_the_maximum(api_as, dupond):
    response = api_as(dupond).get("/api/v1/orders/", {"page_size": "100000"})
    assert response.status_code == 200


def test_an_unknown_export_format_is_a_400_naming_it(api_as, dupond):
    error = assert_error(api_as(dupond).get("/api/v1/orders/", {"format": "pdf"}), 400)
    assert "format" in error["fields"]
    assert api_as(dupond).get("/api/v1/orders/", {"format": ""}).status_code == 200


def test_text_fields_take_text_only(api_as, dupond):
    error = assert_error(api_as(dupond).patch("/api/v1/me/", {"last_name": 0}, format="json"),
                         400)
    assert "last_name" in error["fields"]
    response = api_as(dupond).patch("/api/v1/me/", {"last_name": "Dupont"}, format="json")
    assert response.status_code == 200


@pytest.mark.parametrize("month", ["0001-01", "9999-12", "1899-12", "2026-13", " 2026-01"])
def test_dashboard_months_outside_the_window_are_a_400(api_as, dupond, month):
    response = api_as(dupond).get("/api/v1/dashboard/", {"area": "client", "to": month})
    assert "to" in assert_error(response, 400, "invalid")["fields"]


def test_an_export_drops_the_control_characters_a_worksheet_cannot_hold():
    out = io.BytesIO()
    write_xlsx(columns=[Column("Réf.", lambda r: r)], rows=iter(["a\x00b\x1fc", "=\x07x"]),
               out=out)
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    assert [sheet["A2"].value, sheet["A3"].value] == ["abc", "'=x"]


def test_staff_cannot_add_a_contact_through_the_api(api_as, administrator):
    # No company to add it to (it used to be a 500): a 403, in the error shape.
    response = api_as(administrator).post("/api/v1/contacts/", {"last_name": "Durand"},
                                          format="json")
    assert_error(response, 403)


def test_an_unknown_boolean_filter_value_is_a_400_naming_it(api_as, martin):
    error = assert_error(api_as(martin).get("/api/v1/equipment/", {"active": "-58800"}), 400)
    assert "active" in error["fields"]


def test_json_booleans_are_true_or_false():
    from portal_api.service.serializers import InterventionSheetSerializer

    for value, valid in ((0, False), (1.0, False), (True, True), ("false", True)):
        serializer = InterventionSheetSerializer(data={"under_warranty": value}, partial=True)
        assert serializer.is_valid() is valid, value
