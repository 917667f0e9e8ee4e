"""/api/v1/tickets/: intervention requests. Isolation (404), rights (403), bad input (400)
with nothing written; multipart creation with photos; Idempotency-Key; constant query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal_api.accounts.factories import PortalProfileFactory, UserFactory
from portal_api.accounts.models import PortalRole
from portal_api.common.status import status_move
from portal_api.documents.models import Document
from portal_api.documents.services import document_create
from portal_api.service.factories import InterventionFactory, TicketEventFactory, TicketFactory
from portal_api.service.models import Ticket, TicketEvent, TicketStatus
from tests.api_helpers import assert_error

from .conftest import image_bytes


def snapshot():
    """Everything a ticket endpoint could change."""
    return (
        list(Ticket.objects.order_by("pk").values_list(
            "pk", "status", "description", "equipment_id", "serial_number_typed", "urgent",
            "reply_to_id", "idempotency_key")),
        list(TicketEvent.objects.order_by("pk").values_list("pk", "ticket_id", "status")),
        list(Document.objects.order_by("pk").values_list("pk", "related_id", "size")),
    )


def attach(ticket, name="photo.png", content=None):
    return document_create(title=name, filename=name, content=content or image_bytes("PNG"),
                           kind="photo", client_account=ticket.client_account,
                           related_object=ticket, content_type="image/png")


@pytest.fixture
def ticket(dupond_site, boiler, martin, dupond_contact):
    ticket = TicketFactory(site=dupond_site, equipment=boiler, requester=martin,
                           reply_to=dupond_contact, number="DI-2026-000001", urgent=True,
                           description="Fuite sous la chaudière")
    TicketEventFactory(ticket=ticket, status=TicketStatus.RECEIVED, message="Demande reçue.")
    attach(ticket)
    return ticket


@pytest.fixture
def other_ticket(other_site, other_manager):
    ticket = TicketFactory(site=other_site, requester=other_manager, number="DI-2026-000999")
    attach(ticket)
    return ticket


@pytest.fixture
def follower(dupond_company):
    """A Dupond user who follows interventions but may not request them."""
    return PortalProfileFactory(user=UserFactory(email="suivi@dupond-industrie.fr"),
                                client_account=dupond_company, role=PortalRole.CUSTOM,
                                can_follow_interventions=True).user


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


class TestIsolationAndRights:
    def urls(self, ticket):
        document = ticket.documents.get()
        return [f"/api/v1/tickets/{ticket.pk}/",
                f"/api/v1/tickets/{ticket.pk}/attachments/{document.pk}/"]

    def test_another_companys_ticket_is_404(self, api_as, other_manager, ticket, other_ticket):
        client = api_as(other_manager)
        assert ids(client.get("/api/v1/tickets/")) == [other_ticket.pk]
        for url in self.urls(ticket):
            assert_error(client.get(url), 404)

    def test_an_attachment_of_another_ticket_is_404(self, api_as, martin, ticket, other_ticket):
        document = other_ticket.documents.get()
        assert_error(api_as(martin).get(
            f"/api/v1/tickets/{ticket.pk}/attachments/{document.pk}/"), 404)

    def test_dupond_without_the_rights_gets_403_and_nothing_changes(
            self, api_as, dupond, ticket, boiler):
        client = api_as(dupond)
        before = snapshot()
        assert_error(client.get("/api/v1/tickets/"), 403)
        for url in self.urls(ticket):
            assert_error(client.get(url), 403)
        assert_error(client.post("/api/v1/tickets/", {"equipment": boiler.pk,
                                                      "description": "Panne"}, format="json"),
                     403)
        assert snapshot() == before

    def test_a_follower_reads_but_may_not_request(self, api_as, follower, ticket, boiler):
        client = api_as(follower)
        data = client.get("/api/v1/tickets/").json()
        assert [t["id"] for t in data["results"]] == [ticket.pk]
        assert data["can"] == {"create": False}
        before = snapshot()
        assert_error(client.post("/api/v1/tickets/", {"equipment": boiler.pk,
                                                      "description": "Panne"}, format="json"),
                     403)
        assert snapshot() == before

    def test_staff_may_not_request_for_a_client(self, api_as, dispatcher, boiler):
        before = snapshot()
        assert_error(api_as(dispatcher).post("/api/v1/tickets/", {
            "equipment": boiler.pk, "description": "Panne"}, format="json"), 403)
        assert snapshot() == before

    def test_julie_sees_only_the_requests_of_her_interventions(self, api_as, julie, ticket,
                                                               other_ticket, dupond_site):
        client = api_as(julie)
        assert ids(client.get("/api/v1/tickets/")) == []
        assert_error(client.get(f"/api/v1/tickets/{ticket.pk}/"), 404)
        ticket.intervention = InterventionFactory(site=dupond_site, technicians=[julie])
        ticket.save()
        assert ids(client.get("/api/v1/tickets/")) == [ticket.pk]
        assert client.get(f"/api/v1/tickets/{ticket.pk}/").status_code == 200

    def test_anonymous_is_401(self, api_client, ticket):
        assert api_client.get("/api/v1/tickets/").status_code == 401
        assert api_client.post("/api/v1/tickets/", {}).status_code == 401


class TestRead:
    def test_list_item_shape(self, api_as, martin, ticket):
        data = api_as(martin).get("/api/v1/tickets/").json()
        assert data["can"] == {"create": True}
        item = data["results"][0]
        assert item == {
            "id": ticket.pk, "number": "DI-2026-000001", "status": "received",
            "status_label": "Reçue", "urgent": True, "description": "Fuite sous la chaudière",
            "equipment": {"id": ticket.equipment_id, "serial_number": "VIT-2019-0042",
                          "label": "Viessmann Vitodens 200"},
            "serial_number_typed": "", "serial_unmatched": False,
            "site": {"id": ticket.site_id, "name": "Usine de Vénissieux"},
            "requester": {"id": martin.pk, "name": "Paul Martin"},
            "reply_to": {"id": ticket.reply_to_id, "name": "Sophie Leroy",
                         "email": "s.leroy@dupond-industrie.fr"},
            "intervention": None, "created_at": item["created_at"], "closed_at": None,
            "attachments_count": 1,
        }

    def test_detail_has_attachments_timeline_and_intervention(self, api_as, martin, ticket,
                                                              dupond_site):
        intervention = InterventionFactory(site=dupond_site, number="BI-2026-000042")
        ticket.intervention = intervention
        ticket.status = TicketStatus.PLANNED
        with status_move():
            ticket.save()
        TicketEventFactory(ticket=ticket, status=TicketStatus.PLANNED,
                           message="Intervention planifiée.")
        client = api_as(martin)
        data = client.get(f"/api/v1/tickets/{ticket.pk}/").json()
        assert data["answer"] == ""
        assert data["intervention"] == {
            "id": intervention.pk, "number": "BI-2026-000042", "status": "planned",
            "status_label": "Planifiée",
            "planned_start": data["intervention"]["planned_start"]}
        assert [(e["status"], e["status_label"], e["message"]) for e in data["timeline"]] == [
            ("received", "Reçue", "Demande reçue."),
            ("planned", "Intervention planifiée", "Intervention planifiée."),
        ]
        [attachment] = data["attachments"]
        assert set(attachment) == {"id", "title", "content_type", "size", "download_url"}
        response = client.get(attachment["download_url"])
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")

    def test_filters(self, api_as, martin, ticket, dupond_site):
        calm = TicketFactory(site=dupond_site, requester=martin, serial_number_typed="XZ-12",
                             description="Bruit du ventilateur", status=TicketStatus.CLOSED)
        Ticket.objects.filter(pk=calm.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=40))
        client = api_as(martin)
        assert ids(client.get("/api/v1/tickets/?status=closed")) == [calm.pk]
        assert ids(client.get("/api/v1/tickets/?urgent=true")) == [ticket.pk]
        assert ids(client.get("/api/v1/tickets/?urgent=false")) == [calm.pk]
        assert ids(client.get("/api/v1/tickets/?search=ventilateur")) == [calm.pk]
        assert ids(client.get("/api/v1/tickets/?search=xz-12")) == [calm.pk]
        assert ids(client.get("/api/v1/tickets/?search=VIT-2019")) == [ticket.pk]
        since = timezone.localdate() - datetime.timedelta(days=10)
        assert ids(client.get(f"/api/v1/tickets/?created_from={since}")) == [ticket.pk]
        assert ids(client.get(f"/api/v1/tickets/?created_to={since}")) == [calm.pk]
        assert ids(client.get("/api/v1/tickets/")) == [ticket.pk, calm.pk]  # newest first

    @pytest.mark.parametrize(("query", "field"), [
        ("status=unknown", "status"), ("created_from=hier", "created_from"),
        ("created_from=2026-02-01&created_to=2026-01-01", "created_to"),
        ("urgent=peut-etre", "urgent"),
    ])
    def test_bad_filter_is_a_400_naming_it(self, api_as, martin, ticket, query, field):
        error = assert_error(api_as(martin).get(f"/api/v1/tickets/?{query}"), 400)
        assert field in error["fields"]

    def test_list_runs_a_constant_number_of_queries(self, client, martin, dupond_site, boiler,
                                                    dupond_contact):
        client.force_login(martin)

        def make(count):
            for n in range(count):
                ticket = TicketFactory(site=dupond_site, requester=martin, reply_to=dupond_contact,
                                       equipment=boiler if n % 2 else None,
                                       serial_number_typed="" if n % 2 else "ABC",
                                       intervention=InterventionFactory(site=dupond_site)
                                       if n % 3 == 0 else None)
                attach(ticket)

        make(5)
        with CaptureQueriesContext(connection) as small:
            assert client.get("/api/v1/tickets/").json()["count"] == 5
        make(45)
        with CaptureQueriesContext(connection) as large:
            assert len(client.get("/api/v1/tickets/").json()["results"]) == 50
        assert len(large.captured_queries) == len(small.captured_queries)


class TestCreate:
    def post(self, client, data, **kwargs):
        return client.post("/api/v1/tickets/", data, **kwargs)

    def test_json_on_an_equipment(self, api_as, martin, boiler, dupond_contact):
        response = self.post(api_as(martin), {
            "equipment": boiler.pk, "description": "Plus d'eau chaude", "urgent": True,
            "reply_to": dupond_contact.pk}, format="json")
        assert response.status_code == 201, response.content
        data = response.json()
        assert data["number"].startswith("DI-")
        assert data["status"] == "received" and data["urgent"] is True
        assert data["equipment"]["id"] == boiler.pk
        assert data["site"]["id"] == boiler.site_id
        assert data["requester"]["id"] == martin.pk
        assert data["reply_to"]["id"] == dupond_contact.pk
        assert data["serial_unmatched"] is False
        assert [e["status"] for e in data["timeline"]] == ["received"]
        ticket = Ticket.objects.get(pk=data["id"])
        assert ticket.client_account == boiler.client_account

    def test_multipart_with_a_real_png_photo(self, api_as, martin, boiler, files):
        client = api_as(martin)
        response = self.post(client, {
            "equipment": str(boiler.pk), "description": "Voir la photo", "urgent": "true",
            "reply_to": "", "attachments": [files.png("fuite.png"), files.pdf("notice.pdf")],
        }, format="multipart")
        assert response.status_code == 201, response.content
        data = response.json()
        assert data["attachments_count"] == 2
        photo, notice = data["attachments"]
        assert photo["content_type"] == "image/png" and notice["content_type"] == \
            "application/pdf"
        downloaded = client.get(photo["download_url"])
        assert downloaded.status_code == 200
        assert downloaded["Content-Disposition"].startswith("attachment;")
        assert b"".join(downloaded.streaming_content).startswith(b"\x89PNG")
        documents = Document.objects.filter(related_id=data["id"])
        assert {d.client_account_id for d in documents} == {boiler.client_account_id}

    def test_a_large_photo_uploaded_through_a_temporary_file(self, api_as, martin, boiler,
                                                              files, settings):
        import io
        import os

        from PIL import Image

        buffer = io.BytesIO()
        Image.frombytes("RGB", (1000, 1000), os.urandom(3_000_000)).save(buffer, "PNG")
        assert len(buffer.getvalue()) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE
        response = self.post(api_as(martin), {
            "equipment": boiler.pk, "description": "Grande photo",
            "attachments": [files.upload("grande.png", buffer.getvalue(), "image/png")],
        }, format="multipart")
        assert response.status_code == 201, response.content
        assert response.json()["attachments"][0]["content_type"] == "image/png"

    def test_a_serial_matching_nothing_is_accepted_and_flagged(self, api_as, martin):
        response = self.post(api_as(martin), {"serial_number": "INCONNU-42",
                                              "description": "Panne"}, format="json")
        assert response.status_code == 201, response.content
        data = response.json()
        assert data["equipment"] is None
        assert data["serial_number_typed"] == "INCONNU-42"
        assert data["serial_unmatched"] is True

    def test_a_typed_serial_is_filed_at_the_site_chosen(self, api_as, martin, dupond_site,
                                                        dupond_company):
        from portal_api.accounts.factories import SiteFactory

        office = SiteFactory(client_account=dupond_company, name="Siège social")
        response = self.post(api_as(martin), {"serial_number": "DKN-7731", "site": office.pk,
                                              "description": "Fuite"}, format="multipart")
        assert response.status_code == 201, response.content
        data = response.json()
        assert data["site"] == {"id": office.pk, "name": "Siège social"}
        assert data["serial_number_typed"] == "DKN-7731" and data["equipment"] is None

    @pytest.mark.parametrize("site", [None, "OTHER", "abc"])
    def test_a_typed_serial_without_a_site_of_the_company_is_a_400_on_site(
            self, api_as, martin, dupond_site, dupond_company, other_site, site):
        from portal_api.accounts.factories import SiteFactory

        SiteFactory(client_account=dupond_company, name="Siège social")
        payload = {"serial_number": "DKN-7731", "description": "Fuite"}
        if site is not None:
            payload["site"] = other_site.pk if site == "OTHER" else site
        before = snapshot()
        error = assert_error(self.post(api_as(martin), payload, format="json"), 400)
        assert list(error["fields"]) == ["site"], error
        expected = ("Indiquez le site où se trouve l'équipement." if site is None
                    else "Ce site n'existe pas.")
        assert error["fields"]["site"] == [expected]
        assert snapshot() == before

    def test_a_serial_of_the_companys_equipment_links_it(self, api_as, martin, boiler):
        data = self.post(api_as(martin), {"serial_number": boiler.serial_number,
                                          "description": "Panne"}, format="json").json()
        assert data["equipment"]["id"] == boiler.pk
        assert data["serial_unmatched"] is False

    def test_a_serial_of_another_companys_equipment_stays_unmatched(self, api_as, martin,
                                                                    other_equipment):
        data = self.post(api_as(martin), {"serial_number": other_equipment.serial_number,
                                          "description": "Panne"}, format="json").json()
        assert data["equipment"] is None and data["serial_unmatched"] is True

    @pytest.mark.parametrize(("body", "field"), [
        ({"equipment": "OTHER"}, "equipment"),
        ({"equipment": 999999}, "equipment"),
        ({"equipment": "abc"}, "equipment"),
        ({"reply_to": "OTHER"}, "reply_to"),
        ({"equipment": None, "serial_number": ""}, "serial_number"),
        ({"description": ""}, "description"),
        ({"description": None}, "description"),
        ({"urgent": "peut-être"}, "urgent"),
    ])
    def test_bad_input_is_a_400_naming_the_field(self, api_as, martin, boiler,
                                                 other_equipment, other_contact, body, field):
        replacements = {"equipment": other_equipment.pk, "reply_to": other_contact.pk}
        body = {key: replacements[key] if value == "OTHER" else value
                for key, value in body.items()}
        payload = {"equipment": boiler.pk, "description": "Panne", **body}
        before = snapshot()
        error = assert_error(self.post(api_as(martin), payload, format="json"), 400)
        assert field in error["fields"], error
        assert snapshot() == before

    def test_a_jpg_that_is_really_html_is_refused(self, api_as, martin, boiler, files):
        before = snapshot()
        response = self.post(api_as(martin), {
            "equipment": boiler.pk, "description": "Photo piégée",
            "attachments": [files.png(), files.upload("photo.jpg", b"<html><script>alert(1)"
                                                      b"</script></html>", "image/jpeg")],
        }, format="multipart")
        error = assert_error(response, 400)
        assert "attachments" in error["fields"]
        assert "photo.jpg" in " ".join(error["fields"]["attachments"])
        assert snapshot() == before

    def test_idempotency_key_returns_the_same_ticket(self, api_as, martin, boiler, files):
        client = api_as(martin)

        def send():
            return self.post(client, {"equipment": boiler.pk, "description": "Double tap",
                                      "attachments": [files.png()]}, format="multipart",
                             HTTP_IDEMPOTENCY_KEY="tap-1")

        first = send()
        assert first.status_code == 201, first.content
        again = send()
        assert again.status_code in (200, 201)
        assert again.json()["id"] == first.json()["id"]
        assert Ticket.objects.count() == 1
        assert Document.objects.count() == 1
        other = self.post(client, {"equipment": boiler.pk, "description": "Autre"},
                          format="json", HTTP_IDEMPOTENCY_KEY="tap-2")
        assert other.json()["id"] != first.json()["id"]

    def test_too_long_idempotency_key_is_400(self, api_as, martin, boiler):
        before = snapshot()
        error = assert_error(self.post(api_as(martin), {"equipment": boiler.pk,
                                                        "description": "Panne"},
                                       format="json", HTTP_IDEMPOTENCY_KEY="k" * 81), 400)
        assert "Idempotency-Key" in error["fields"]
        assert snapshot() == before
