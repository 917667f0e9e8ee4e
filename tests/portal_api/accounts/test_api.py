import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal_api.accounts.factories import ContactFactory, SiteFactory
from portal_api.service.factories import EquipmentFactory
from portal_api.service.models import Equipment


def assert_error_shape(response, status, code=None):
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return body["error"]


class TestMe:
    def test_client_user_sees_his_company_and_rights(self, api_as, dupond):
        data = api_as(dupond).get("/api/v1/me/").json()
        assert data["email"] == "dupond@dupond-industrie.fr"
        assert data["kind"] == "client"
        assert data["company"]["name"] == "Dupond Industrie"
        assert data["role"] == "Acheteur"
        rights = {r["code"]: r["granted"] for r in data["rights"]}
        assert rights["place_orders"] is True
        assert rights["request_interventions"] is False
        assert data["areas"] == ["extranet"]

    def test_martin_has_the_reverse_rights(self, api_as, martin):
        me = api_as(martin).get("/api/v1/me/").json()
        rights = {r["code"]: r["granted"] for r in me["rights"]}
        assert rights["place_orders"] is False
        assert rights["request_interventions"] is True

    def test_technician(self, api_as, julie):
        data = api_as(julie).get("/api/v1/me/").json()
        assert data["kind"] == "technician"
        assert data["company"] is None
        assert data["areas"] == ["intranet"]

    def test_labels_speak_the_users_language(self, api_as, dupond):
        client = api_as(dupond)
        fr = client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="fr").json()
        assert fr["rights"][0]["label"] == "Consulter le catalogue"

    def test_anonymous_gets_401_in_the_error_shape(self, api_client, db):
        error = assert_error_shape(api_client.get("/api/v1/me/"), 401, "not_authenticated")
        assert "authentification" in error["message"].lower()

    def test_constant_number_of_queries(self, api_as, dupond, django_assert_max_num_queries):
        client = api_as(dupond)
        with django_assert_max_num_queries(3):
            client.get("/api/v1/me/")


class TestScopedEndpoints:
    """Another company's id is a 404; a missing right is a 403; nothing changes."""

    @pytest.fixture
    def equipment(self, dupond_company, other_company):
        return {
            "mine": EquipmentFactory(site=SiteFactory(client_account=dupond_company)),
            "theirs": EquipmentFactory(site=SiteFactory(client_account=other_company)),
        }

    def test_list_shows_only_the_company(self, api_as, martin, equipment):
        data = api_as(martin).get("/api/v1/equipment/").json()
        assert data["count"] == 1
        assert data["results"][0]["serial_number"] == equipment["mine"].serial_number

    def test_another_companys_equipment_is_404(self, api_as, martin, equipment):
        response = api_as(martin).get(f"/api/v1/equipment/{equipment['theirs'].pk}/")
        assert_error_shape(response, 404, "not_found")
        assert api_as(martin).get(f"/api/v1/equipment/{equipment['mine'].pk}/").status_code == 200

    def test_missing_right_is_403(self, api_as, dupond, equipment):
        client = api_as(dupond)
        assert_error_shape(client.get("/api/v1/equipment/"), 403, "permission_denied")
        assert_error_shape(client.get(f"/api/v1/equipment/{equipment['mine'].pk}/"), 403)

    def test_writes_are_refused_and_change_nothing(self, api_as, martin, equipment):
        before = list(Equipment.objects.values_list("pk", "serial_number"))
        client = api_as(martin)
        assert_error_shape(client.post("/api/v1/equipment/", {"serial_number": "X"}), 405)
        response = client.delete(f"/api/v1/equipment/{equipment['theirs'].pk}/")
        assert response.status_code in (404, 405)
        assert list(Equipment.objects.values_list("pk", "serial_number")) == before

    @pytest.mark.parametrize("endpoint", ["sites", "contacts"])
    def test_sites_and_contacts_of_another_company_are_404(self, endpoint, api_as, dupond,
                                                           other_company, dupond_company):
        factory = SiteFactory if endpoint == "sites" else ContactFactory
        mine, theirs = factory(client_account=dupond_company), factory(client_account=other_company)
        client = api_as(dupond)
        assert client.get(f"/api/v1/{endpoint}/{mine.pk}/").status_code == 200
        assert_error_shape(client.get(f"/api/v1/{endpoint}/{theirs.pk}/"), 404)
        ids = [row["id"] for row in client.get(f"/api/v1/{endpoint}/").json()["results"]]
        assert ids == [mine.pk]

    def test_technician_reaches_every_company(self, api_as, julie, equipment):
        assert api_as(julie).get("/api/v1/equipment/").json()["count"] == 2

    def test_list_runs_a_constant_number_of_queries(self, client, martin, dupond_company):
        from portal_api.billing.factories import ContractFactory

        client.force_login(martin)
        site = SiteFactory(client_account=dupond_company)
        EquipmentFactory(site=site, contract=ContractFactory(client_account=dupond_company))
        with CaptureQueriesContext(connection) as small:
            assert client.get("/api/v1/equipment/").json()["count"] == 1
        for _ in range(20):
            EquipmentFactory(site=site,
                             contract=ContractFactory(client_account=dupond_company))
        with CaptureQueriesContext(connection) as large:
            assert client.get("/api/v1/equipment/").json()["count"] == 21
        assert len(large.captured_queries) == len(small.captured_queries)
        # session, user, profile + company, count, page
        assert len(small.captured_queries) <= 6

    def test_bad_filter_is_a_400_naming_the_field(self, api_as, martin, equipment):
        error = assert_error_shape(api_as(martin).get("/api/v1/equipment/?site=abc"), 400)
        assert "site" in error["fields"]


def test_schema_and_docs_are_served(client, db):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/me/" in schema.content
    assert client.get("/api/docs/").status_code == 200
