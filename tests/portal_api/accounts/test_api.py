import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal_api.accounts.factories import ContactFactory, SiteFactory
from portal_api.service.factories import EquipmentFactory
from portal_api.service.models import Equipment
from tests.api_helpers import assert_error


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
        error = assert_error(api_client.get("/api/v1/me/"), 401, "not_authenticated")
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
        assert_error(response, 404, "not_found")
        assert api_as(martin).get(f"/api/v1/equipment/{equipment['mine'].pk}/").status_code == 200

    def test_missing_right_is_403(self, api_as, dupond, equipment):
        client = api_as(dupond)
        assert_error(client.get("/api/v1/equipment/"), 403, "permission_denied")
        assert_error(client.get(f"/api/v1/equipment/{equipment['mine'].pk}/"), 403)

    def test_writes_are_refused_and_change_nothing(self, api_as, martin, equipment):
        before = list(Equipment.objects.values_list("pk", "serial_number"))
        client = api_as(martin)
        assert_error(client.post("/api/v1/equipment/", {"serial_number": "X"}), 405)
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
        assert_error(client.get(f"/api/v1/{endpoint}/{theirs.pk}/"), 404)
        ids = [row["id"] for row in client.get(f"/api/v1/{endpoint}/").json()["results"]]
        assert ids == [mine.pk]

    def test_technician_reaches_the_companies_of_his_interventions(
            self, api_as, julie, team_lead, equipment, dupond_company):
        from portal_api.service.factories import InterventionFactory

        # Not allowed to create interventions on site: his interventions' companies only.
        julie.technician_profile.can_create_interventions = False
        julie.technician_profile.save()
        client = api_as(julie)
        assert client.get("/api/v1/equipment/").json()["count"] == 0
        assert_error(client.get(f"/api/v1/equipment/{equipment['mine'].pk}/"), 404)
        InterventionFactory(client_account=dupond_company, technicians=[julie])
        data = client.get("/api/v1/equipment/").json()
        assert [row["id"] for row in data["results"]] == [equipment["mine"].pk]
        assert_error(client.get(f"/api/v1/equipment/{equipment['theirs'].pk}/"), 404)
        # The team lead reaches every company's.
        assert api_as(team_lead).get("/api/v1/equipment/").json()["count"] == 2

    def test_a_technician_creating_on_site_picks_any_companys_equipment(
            self, api_as, julie, equipment):
        assert julie.technician_profile.can_create_interventions
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
        error = assert_error(api_as(martin).get("/api/v1/equipment/?site=abc"), 400)
        assert "site" in error["fields"]


def test_schema_and_docs_are_served(client, db):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/me/" in schema.content
    assert client.get("/api/docs/").status_code == 200


# Account, contacts, colleagues (issue 4) ------------------------------------------------------

from django.core import mail  # noqa: E402

from portal_api.accounts.factories import PortalProfileFactory, UserFactory  # noqa: E402
from portal_api.accounts.models import Contact, PortalProfile, PortalRole, User  # noqa: E402


@pytest.fixture
def manager(dupond_company):
    """A Gestionnaire of Dupond Industrie: every right, contacts and users included."""
    return PortalProfileFactory(
        user=UserFactory(email="gestion@dupond-industrie.fr", first_name="Claire",
                         last_name="Gestion"),
        client_account=dupond_company, role=PortalRole.MANAGER,
    ).user


def users_snapshot():
    return list(User.objects.order_by("pk").values("pk", "email", "is_active", "password"))


def profiles_snapshot():
    return list(PortalProfile.objects.order_by("pk").values())


class TestMyAccount:
    def test_patch_changes_my_details(self, api_as, dupond):
        response = api_as(dupond).patch("/api/v1/me/", {"first_name": "Jean-Paul",
                                                        "phone": "+33 4 72 00 00 00",
                                                        "email": "pirate@example.fr"},
                                        format="json")
        assert response.status_code == 200
        assert response.json()["full_name"] == "Jean-Paul Dupond"
        dupond.refresh_from_db()
        assert dupond.phone == "+33 4 72 00 00 00"
        assert dupond.email == "dupond@dupond-industrie.fr"  # read-only

    @pytest.mark.parametrize("payload, field", [
        ({"last_name": ""}, "last_name"), ({"phone": "appelez-moi"}, "phone"),
        ({"first_name": "x" * 151}, "first_name"),
    ])
    def test_bad_input_is_a_400_naming_the_field_in_french(self, api_as, dupond, payload,
                                                           field):
        error = assert_error(api_as(dupond).patch("/api/v1/me/", payload, format="json"),
                                   400, "invalid")
        assert field in error["fields"]
        assert error["message"] == "Certains champs sont invalides."
        dupond.refresh_from_db()
        assert (dupond.first_name, dupond.last_name, dupond.phone) == ("Jean", "Dupond", "")

    def test_anonymous_cannot_patch(self, api_client, db):
        assert_error(api_client.patch("/api/v1/me/", {"first_name": "x"}), 401)

    def test_my_company(self, api_as, dupond, dupond_company, other_company):
        SiteFactory(client_account=dupond_company, name="Usine de Lyon")
        SiteFactory(client_account=other_company, name="Pas à nous")
        data = api_as(dupond).get("/api/v1/company/").json()
        assert data["name"] == "Dupond Industrie" and data["code"] == "DUPOND"
        assert data["siret"] == dupond_company.siret
        assert data["vat_number"] == dupond_company.vat_number
        assert [s["name"] for s in data["sites"]] == ["Usine de Lyon"]
        assert data["permissions"] == {"manage_contacts": False, "manage_users": False,
                                       "edit_me": True}

    def test_company_is_read_only_and_staff_have_none(self, api_as, dupond, dispatcher):
        assert api_as(dupond).patch("/api/v1/company/", {"name": "X"}).status_code == 405
        assert_error(api_as(dispatcher).get("/api/v1/company/"), 403)


class TestContactsManagement:
    def test_every_portal_user_reads_but_only_a_manager_may_write(self, api_as, dupond,
                                                                  manager, dupond_company):
        ContactFactory(client_account=dupond_company)
        data = api_as(dupond).get("/api/v1/contacts/").json()
        assert data["count"] == 1
        assert data["permissions"] == {"create": False, "change": False}
        assert api_as(manager).get("/api/v1/contacts/").json()["permissions"] == {
            "create": True, "change": True}

    def test_manager_creates_updates_and_deactivates(self, api_as, manager, dupond_company):
        client = api_as(manager)
        response = client.post("/api/v1/contacts/", {
            "first_name": "Sophie", "last_name": "Durand", "role": "Comptable",
            "email": "compta@dupond-industrie.fr", "phone": "04 72 11 22 33",
        }, format="json")
        assert response.status_code == 201, response.content
        contact = Contact.objects.get(pk=response.json()["id"])
        assert contact.client_account == dupond_company
        response = client.patch(f"/api/v1/contacts/{contact.pk}/", {"role": "DAF"},
                                format="json")
        assert response.status_code == 200 and response.json()["role"] == "DAF"
        assert client.delete(f"/api/v1/contacts/{contact.pk}/").status_code == 204
        contact.refresh_from_db()
        assert contact.active is False  # kept, not deleted
        assert client.get(f"/api/v1/contacts/{contact.pk}/").status_code == 404
        assert client.get("/api/v1/contacts/").json()["count"] == 0

    def test_company_in_the_payload_is_ignored(self, api_as, manager, dupond_company,
                                               other_company):
        response = api_as(manager).post("/api/v1/contacts/", {
            "last_name": "Intrus", "client_account": other_company.pk}, format="json")
        assert response.status_code == 201
        assert Contact.objects.get(last_name="Intrus").client_account == dupond_company

    @pytest.mark.parametrize("payload, field, message", [
        ({"first_name": "Sans nom"}, "last_name", "Le nom est obligatoire."),
        ({"last_name": ""}, "last_name", "Le nom est obligatoire."),
        ({"last_name": "X", "email": "pas-une-adresse"}, "email",
         "Saisissez une adresse e-mail valide."),
        ({"last_name": "X", "phone": "abc"}, "phone", None),
    ])
    def test_bad_input_is_a_400_in_french_and_nothing_created(self, api_as, manager, payload,
                                                              field, message):
        error = assert_error(api_as(manager).post("/api/v1/contacts/", payload,
                                                        format="json"), 400, "invalid")
        assert field in error["fields"]
        if message:
            assert error["fields"][field] == [message]
        assert Contact.objects.count() == 0

    def test_another_companys_contact_is_404_and_unchanged(self, api_as, manager,
                                                           other_company):
        theirs = ContactFactory(client_account=other_company, role="Directeur")
        client = api_as(manager)
        assert_error(client.patch(f"/api/v1/contacts/{theirs.pk}/", {"role": "X"},
                                        format="json"), 404)
        assert_error(client.delete(f"/api/v1/contacts/{theirs.pk}/"), 404)
        theirs.refresh_from_db()
        assert (theirs.role, theirs.active) == ("Directeur", True)

    def test_without_the_right_is_403_and_unchanged(self, api_as, dupond, dupond_company):
        mine = ContactFactory(client_account=dupond_company, role="Directeur")
        client = api_as(dupond)
        assert_error(client.post("/api/v1/contacts/", {"last_name": "X"},
                                       format="json"), 403)
        assert_error(client.patch(f"/api/v1/contacts/{mine.pk}/", {"role": "X"},
                                        format="json"), 403)
        assert_error(client.delete(f"/api/v1/contacts/{mine.pk}/"), 403)
        mine.refresh_from_db()
        assert (mine.role, mine.active) == ("Directeur", True)
        assert Contact.objects.count() == 1

    def test_list_runs_a_constant_number_of_queries(self, client, manager, dupond_company):
        client.force_login(manager)
        for _ in range(5):
            ContactFactory(client_account=dupond_company)
        with CaptureQueriesContext(connection) as small:
            assert len(client.get("/api/v1/contacts/").json()["results"]) == 5
        for _ in range(45):
            ContactFactory(client_account=dupond_company)
        with CaptureQueriesContext(connection) as large:
            assert len(client.get("/api/v1/contacts/").json()["results"]) == 50
        assert len(large.captured_queries) == len(small.captured_queries)


class TestColleagues:
    def test_manager_lists_his_companys_portal_users(self, api_as, manager, dupond, martin,
                                                     other_manager):
        data = api_as(manager).get("/api/v1/colleagues/").json()
        assert sorted(r["email"] for r in data["results"]) == [
            "dupond@dupond-industrie.fr", "gestion@dupond-industrie.fr",
            "martin@dupond-industrie.fr"]
        me = next(r for r in data["results"] if r["is_me"])
        assert me["permissions"] == {"change_rights": False, "deactivate": False,
                                     "reactivate": False}
        dupond_row = next(r for r in data["results"] if r["email"].startswith("dupond"))
        assert dupond_row["permissions"] == {"change_rights": True, "deactivate": True,
                                             "reactivate": False}
        assert "place_orders" in dupond_row["rights"]
        assert data["permissions"]["invite"] is True
        assert [r["grantable"] for r in data["permissions"]["rights"]] == [True] * 10

    def test_invite_sends_a_link_that_sets_the_password(
        self, api_as, manager, dupond_company, client, django_capture_on_commit_callbacks,
    ):
        import re

        with django_capture_on_commit_callbacks(execute=True):
            response = api_as(manager).post("/api/v1/colleagues/", {
                "email": "nouveau@dupond-industrie.fr", "first_name": "Luc",
                "last_name": "Nouveau", "rights": ["view_catalog", "view_invoices"],
            }, format="json")
        assert response.status_code == 202, response.content
        assert sorted(response.json()["rights"]) == ["view_catalog", "view_invoices"]
        assert response.json()["invitation_pending"] is True
        user = User.objects.get(email="nouveau@dupond-industrie.fr")
        assert user.portal_profile.client_account == dupond_company
        assert len(mail.outbox) == 1
        link = re.search(r"https?://[^/\s]+(/invitation/\S+/)", mail.outbox[0].body).group(1)

        page = client.get(link, follow=True)
        assert page.status_code == 200
        assert "Choisissez votre mot de passe" in page.content.decode()
        form_url = page.redirect_chain[-1][0] if page.redirect_chain else link
        password = "Un-Bon-Mot-De-Passe-2026"
        done = client.post(form_url, {"new_password1": password, "new_password2": password},
                           follow=True)
        assert "Votre accès est activé" in done.content.decode()
        user.refresh_from_db()
        assert user.check_password(password)
        # He logs in at /connexion/ and lands in the extranet.
        login = client.post("/connexion/", {"username": "nouveau@dupond-industrie.fr",
                                            "password": password})
        assert login.status_code == 302
        assert client.get("/api/v1/me/").json()["email"] == "nouveau@dupond-industrie.fr"
        # The link served once.
        client.logout()
        again = client.get(link, follow=True)
        assert "Lien invalide ou expiré" in again.content.decode()

    def test_a_right_he_does_not_hold_is_a_400_naming_it(self, api_as, dupond_company):
        chef = PortalProfileFactory(user=UserFactory(), client_account=dupond_company,
                                    role=PortalRole.CUSTOM, can_manage_users=True,
                                    can_view_catalog=True).user
        before = users_snapshot()
        error = assert_error(api_as(chef).post("/api/v1/colleagues/", {
            "email": "x@dupond-industrie.fr", "last_name": "X",
            "rights": ["view_catalog", "place_orders"],
        }, format="json"), 400, "rights_not_held")
        assert "Passer des commandes" in error["fields"]["rights"][0]
        assert users_snapshot() == before
        assert len(mail.outbox) == 0

    @pytest.mark.parametrize("payload, field", [
        ({"email": "dupond@dupond-industrie.fr", "last_name": "Doublon"}, "email"),
        ({"email": "pas-une-adresse", "last_name": "X"}, "email"),
        ({"email": "ok@dupond-industrie.fr"}, "last_name"),
        ({"email": "ok@dupond-industrie.fr", "last_name": "X", "rights": ["voler"]}, "rights"),
    ])
    def test_bad_invitation_is_a_400_naming_the_field(self, api_as, manager, dupond, payload,
                                                      field):
        before = users_snapshot()
        error = assert_error(api_as(manager).post("/api/v1/colleagues/", payload,
                                                        format="json"), 400)
        assert field in error["fields"]
        assert users_snapshot() == before

    def test_change_rights(self, api_as, manager, dupond):
        response = api_as(manager).patch(f"/api/v1/colleagues/{dupond.pk}/", {
            "rights": ["view_catalog", "prepare_orders"]}, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["rights"] == ["view_catalog", "prepare_orders"]
        profile = PortalProfile.objects.get(user=dupond)
        assert profile.can_place_orders is False and profile.role == PortalRole.CUSTOM

    def test_cannot_change_his_own_rights_nor_deactivate_himself(self, api_as, manager):
        before, users = profiles_snapshot(), users_snapshot()
        client = api_as(manager)
        assert_error(client.patch(f"/api/v1/colleagues/{manager.pk}/", {"rights": []},
                                        format="json"), 403)
        assert_error(client.delete(f"/api/v1/colleagues/{manager.pk}/"), 403)
        assert profiles_snapshot() == before and users_snapshot() == users

    def test_deactivate(self, api_as, manager, dupond):
        assert api_as(manager).delete(f"/api/v1/colleagues/{dupond.pk}/").status_code == 204
        dupond.refresh_from_db()
        assert dupond.is_active is False
        row = api_as(manager).get(f"/api/v1/colleagues/{dupond.pk}/").json()
        assert row["is_active"] is False and row["permissions"]["deactivate"] is False
        assert row["permissions"]["reactivate"] is True

    def test_reactivate(self, api_as, manager, dupond):
        api_as(manager).delete(f"/api/v1/colleagues/{dupond.pk}/")
        response = api_as(manager).post(f"/api/v1/colleagues/{dupond.pk}/reactivate/")
        assert response.status_code == 200, response.content
        assert response.json()["is_active"] is True
        dupond.refresh_from_db()
        assert dupond.is_active is True

    @pytest.fixture
    def user_manager(self, dupond_company):
        """A manager holding "manage users" alone."""
        return PortalProfileFactory(
            user=UserFactory(email="rh@dupond-industrie.fr"), client_account=dupond_company,
            role=PortalRole.CUSTOM, can_manage_users=True,
        ).user

    def test_only_within_the_rights_he_holds(self, api_as, user_manager, manager, dupond,
                                             dupond_company):
        """A manager with "manage users" alone neither deactivates nor reactivates the manager
        who holds every right, nor the buyer who holds rights he lacks; he may not take away
        from them rights he lacks either."""
        before, users = profiles_snapshot(), users_snapshot()
        client = api_as(user_manager)
        for target in (manager, dupond):
            assert_error(client.delete(f"/api/v1/colleagues/{target.pk}/"), 403)
            error = assert_error(client.patch(f"/api/v1/colleagues/{target.pk}/",
                                              {"rights": []}, format="json"), 400)
            assert error["code"] == "rights_not_held" and "rights" in error["fields"]
        assert profiles_snapshot() == before and users_snapshot() == users
        rows = {r["email"]: r["permissions"]
                for r in client.get("/api/v1/colleagues/").json()["results"]}
        assert rows["gestion@dupond-industrie.fr"] == rows["dupond@dupond-industrie.fr"] == {
            "change_rights": True, "deactivate": False, "reactivate": False}
        # The full manager deactivates the buyer: the limited one cannot bring him back.
        api_as(manager).delete(f"/api/v1/colleagues/{dupond.pk}/")
        client = api_as(user_manager)
        assert_error(client.post(f"/api/v1/colleagues/{dupond.pk}/reactivate/"), 403)
        dupond.refresh_from_db()
        assert dupond.is_active is False
        # A colleague whose rights he holds (none but managing users): within his hands.
        peer = PortalProfileFactory(user=UserFactory(email="rh2@dupond-industrie.fr"),
                                    client_account=dupond_company, role=PortalRole.CUSTOM,
                                    can_manage_users=True).user
        assert client.delete(f"/api/v1/colleagues/{peer.pk}/").status_code == 204

    def test_another_companys_user_is_404_and_unchanged(self, api_as, manager, other_manager):
        before, users = profiles_snapshot(), users_snapshot()
        client = api_as(manager)
        assert_error(client.get(f"/api/v1/colleagues/{other_manager.pk}/"), 404)
        assert_error(client.patch(f"/api/v1/colleagues/{other_manager.pk}/",
                                        {"rights": []}, format="json"), 404)
        assert_error(client.delete(f"/api/v1/colleagues/{other_manager.pk}/"), 404)
        assert profiles_snapshot() == before and users_snapshot() == users

    def test_without_the_right_is_403_and_nothing_changed(self, api_as, dupond, martin):
        before, users = profiles_snapshot(), users_snapshot()
        client = api_as(dupond)
        assert_error(client.get("/api/v1/colleagues/"), 403)
        assert_error(client.get(f"/api/v1/colleagues/{martin.pk}/"), 403)
        assert_error(client.post("/api/v1/colleagues/", {
            "email": "x@dupond-industrie.fr", "last_name": "X"}, format="json"), 403)
        assert_error(client.patch(f"/api/v1/colleagues/{martin.pk}/",
                                        {"rights": ["view_catalog"]}, format="json"), 403)
        assert_error(client.delete(f"/api/v1/colleagues/{martin.pk}/"), 403)
        assert profiles_snapshot() == before and users_snapshot() == users

    def test_staff_manage_users_in_the_admin_not_here(self, api_as, dispatcher, dupond):
        assert_error(api_as(dispatcher).get("/api/v1/colleagues/"), 403)

    def test_list_runs_a_constant_number_of_queries(self, client, manager, dupond_company):
        client.force_login(manager)

        def add(count):
            for _ in range(count):
                PortalProfileFactory(user=UserFactory(), client_account=dupond_company,
                                     role=PortalRole.BUYER)

        add(4)
        with CaptureQueriesContext(connection) as small:
            assert len(client.get("/api/v1/colleagues/").json()["results"]) == 5
        add(45)
        with CaptureQueriesContext(connection) as large:
            assert len(client.get("/api/v1/colleagues/").json()["results"]) == 50
        assert len(large.captured_queries) == len(small.captured_queries)


class TestInvitationRevealsNoAccount:
    """Issue 11: inviting an address that has an account elsewhere answers exactly like a
    new address, and makes no second account."""

    @staticmethod
    def invite(client, email, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/api/v1/colleagues/", {
                "email": email, "first_name": "Luc", "last_name": "Nouveau",
                "rights": ["view_catalog"]}, format="json")

    @pytest.mark.parametrize("owner", ["other_manager", "dispatcher"])
    def test_an_address_of_another_company_or_of_staff_answers_like_a_new_one(
        self, request, api_as, manager, owner, django_capture_on_commit_callbacks,
    ):
        existing = request.getfixturevalue(owner)
        client = api_as(manager)
        new = self.invite(client, "nouveau@dupond-industrie.fr",
                          django_capture_on_commit_callbacks)
        taken_email = existing.email.upper()  # any spelling of it
        before = users_snapshot()
        taken = self.invite(client, taken_email, django_capture_on_commit_callbacks)
        assert taken.status_code == new.status_code == 202, taken.content
        answer = taken.json()
        assert set(answer) == set(new.json())
        assert answer == {**new.json(), "email": existing.email}
        # No second account, nothing of the existing one changed or moved.
        assert users_snapshot() == before
        assert User.objects.filter(email__iexact=existing.email).count() == 1
        existing.refresh_from_db()
        assert existing.has_usable_password() and existing.is_active
        # The manager's list does not show him.
        emails = [c["email"] for c in client.get("/api/v1/colleagues/").json()["results"]]
        assert existing.email not in emails
        # His owner is told (not the manager); he gets no invitation link.
        notice = mail.outbox[-1]
        assert notice.to == [existing.email]
        assert "déjà un compte" in notice.body and "/invitation/" not in notice.body

    def test_an_inactive_account_elsewhere_gets_nothing(
        self, api_as, manager, other_manager, django_capture_on_commit_callbacks,
    ):
        other_manager.is_active = False
        other_manager.save()
        response = self.invite(api_as(manager), other_manager.email,
                               django_capture_on_commit_callbacks)
        assert response.status_code == 202
        assert mail.outbox == []
