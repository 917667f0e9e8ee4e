"""/api/v1/interventions/ (and /clients/, ?client= on sites and equipment): isolation (404),
rights (403), bad input (400), a signed sheet locked (409), nothing written on a refusal;
constant query counts; the .xlsx export; the report and signature downloads."""

import base64
import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from portal_api.accounts.factories import ClientAccountFactory, SiteFactory
from portal_api.common.status import status_move
from portal_api.documents.models import Document
from portal_api.documents.services import document_create
from portal_api.service.factories import (
    EquipmentFactory,
    ExpenseFactory,
    InterventionFactory,
    InterventionLineFactory,
    TimeEntryFactory,
)
from portal_api.service.models import (
    Expense,
    Intervention,
    InterventionLine,
    InterventionStatus,
    MeterReading,
    TimeEntry,
)
from tests.api_helpers import assert_error

from .conftest import PDF_BYTES, image_bytes, signature_bytes


def snapshot():
    """Everything an intervention endpoint could change."""
    return (
        list(Intervention.objects.order_by("pk").values_list(
            "pk", "status", "departure_at", "arrival_at", "end_at", "return_at",
            "meter_reading", "work_done", "comments", "under_warranty", "contract_id",
            "signer_name", "signed_at", "report_id", "signature_image")),
        list(InterventionLine.objects.order_by("pk").values_list("pk", "quantity", "label")),
        list(TimeEntry.objects.order_by("pk").values_list("pk", "hours")),
        list(Expense.objects.order_by("pk").values_list("pk", "amount", "receipt_id")),
        list(Document.objects.order_by("pk").values_list("pk", "kind", "related_id")),
        list(MeterReading.objects.order_by("pk").values_list("pk", "value")),
    )


def data_url(content: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(content).decode()


def fill(intervention):
    """A line, a time entry, an expense with its receipt and a photo."""
    technician = intervention.technicians.first()
    InterventionLineFactory(intervention=intervention, label="Circulateur", quantity=Decimal(1))
    TimeEntryFactory(intervention=intervention, technician=technician)
    receipt = document_create(title="Ticket de caisse", filename="ticket.jpg",
                              content=image_bytes(), kind="receipt",
                              client_account=intervention.client_account,
                              related_object=intervention, content_type="image/jpeg")
    ExpenseFactory(intervention=intervention, technician=technician, receipt=receipt)
    document_create(title="Photo", filename="photo.png", content=image_bytes("PNG"),
                    kind="photo", client_account=intervention.client_account,
                    related_object=intervention, content_type="image/png")
    return intervention


def sign_directly(intervention):
    """A signed sheet with its signature image and report, without the services."""
    intervention.arrival_at = timezone.now() - datetime.timedelta(hours=2)
    intervention.end_at = timezone.now() - datetime.timedelta(hours=1)
    intervention.work_done = "Remplacement du circulateur."
    intervention.signer_name = "Paul Martin"
    intervention.signed_at = timezone.now()
    intervention.status = InterventionStatus.DONE
    intervention.signature_image.save("sig.png", ContentFile(signature_bytes()), save=False)
    intervention.report = document_create(
        title=f"Bon {intervention.number}", filename=f"{intervention.number}.pdf",
        content=PDF_BYTES, kind="intervention_report",
        client_account=intervention.client_account, related_object=intervention,
        content_type="application/pdf")
    with status_move():
        intervention.save()
    return intervention


@pytest.fixture
def sheet(intervention):
    return fill(intervention)


@pytest.fixture
def signed(sheet):
    return sign_directly(sheet)


@pytest.fixture
def other_signed(other_intervention):
    return sign_directly(fill(other_intervention))


@pytest.fixture
def karims(dupond_site, karim):
    """Karim's intervention at Dupond's: Julie may not see it."""
    return sign_directly(fill(InterventionFactory(site=dupond_site, technicians=[karim],
                                                  number="BI-2026-000777")))


def endpoints(intervention, part):
    """Every route of one intervention, with a valid body."""
    pk = intervention.pk
    line = intervention.lines.first()
    entry = intervention.time_entries.first()
    expense = intervention.expenses.first()
    document = Document.objects.filter(related_id=pk, kind="photo").first()
    today = timezone.localdate().isoformat()
    return [
        ("get", f"/api/v1/interventions/{pk}/", None),
        ("patch", f"/api/v1/interventions/{pk}/", {"work_done": "Piraté"}),
        ("post", f"/api/v1/interventions/{pk}/lines/", {"article": part.pk, "quantity": "1"}),
        ("patch", f"/api/v1/interventions/{pk}/lines/{line.pk}/", {"quantity": "9"}),
        ("delete", f"/api/v1/interventions/{pk}/lines/{line.pk}/", None),
        ("post", f"/api/v1/interventions/{pk}/time-entries/",
         {"kind": "work", "date": today, "hours": "1"}),
        ("delete", f"/api/v1/interventions/{pk}/time-entries/{entry.pk}/", None),
        ("post", f"/api/v1/interventions/{pk}/expenses/",
         {"kind": "meal", "date": today, "amount": "12.50"}),
        ("delete", f"/api/v1/interventions/{pk}/expenses/{expense.pk}/", None),
        ("post", f"/api/v1/interventions/{pk}/documents/", "FILES"),
        ("get", f"/api/v1/interventions/{pk}/documents/{document.pk}/", None),
        ("post", f"/api/v1/interventions/{pk}/sign/",
         {"signer_name": "X", "signature": data_url(signature_bytes())}),
        ("get", f"/api/v1/interventions/{pk}/report/", None),
        ("get", f"/api/v1/interventions/{pk}/signature/", None),
    ]


def call(client, method, url, body):
    if body == "FILES":
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("p.png", image_bytes("PNG"), content_type="image/png")
        return client.post(url, {"files": [upload]}, format="multipart")
    return getattr(client, method)(url, body, format="json")


WRITES = ("patch", "post", "delete")


class TestIsolationAndRights:
    def test_another_companys_intervention_is_404_everywhere(self, api_as, martin,
                                                             other_signed, part):
        client = api_as(martin)
        before = snapshot()
        for method, url, body in endpoints(other_signed, part):
            response = call(client, method, url, body)
            # Writes are refused for Martin before the object is looked up (no right).
            assert response.status_code in ((403,) if method in WRITES else (404,)), url
        assert snapshot() == before

    def test_another_company_cannot_reach_duponds_even_with_every_right(
            self, api_as, other_manager, signed, part):
        client = api_as(other_manager)
        before = snapshot()
        for method, url, body in endpoints(signed, part):
            if method == "get":
                assert_error(call(client, method, url, body), 404)
        assert [i["id"] for i in client.get("/api/v1/interventions/").json()["results"]] == []
        assert snapshot() == before

    def test_julie_cannot_reach_karims_intervention(self, api_as, julie, karims, part):
        client = api_as(julie)
        before = snapshot()
        for method, url, body in endpoints(karims, part):
            assert_error(call(client, method, url, body), 404)
        assert snapshot() == before

    def test_dupond_without_the_rights_gets_403_everywhere(self, api_as, dupond, signed, part,
                                                           dupond_site):
        client = api_as(dupond)
        before = snapshot()
        assert_error(client.get("/api/v1/interventions/"), 403)
        assert_error(client.get("/api/v1/interventions/?format=xlsx"), 403)
        assert_error(client.post("/api/v1/interventions/", {
            "client_account": dupond_site.client_account_id, "site": dupond_site.pk,
            "description": "X"}, format="json"), 403)
        for method, url, body in endpoints(signed, part):
            assert_error(call(client, method, url, body), 403)
        assert snapshot() == before

    def test_martin_follows_but_may_not_write(self, api_as, martin, sheet, part, dupond_site):
        client = api_as(martin)
        before = snapshot()
        assert_error(client.post("/api/v1/interventions/", {
            "client_account": dupond_site.client_account_id, "site": dupond_site.pk,
            "description": "X"}, format="json"), 403)
        for method, url, body in endpoints(sheet, part):
            response = call(client, method, url, body)
            if method in WRITES:
                assert_error(response, 403)
            elif url.endswith(("/report/", "/signature/")):
                assert_error(response, 404)  # not signed yet
            else:
                assert response.status_code == 200, url
        data = client.get(f"/api/v1/interventions/{sheet.pk}/").json()
        assert data["can"] == {"edit": False, "sign": False}
        assert snapshot() == before

    def test_a_limited_technician_may_not_ask_for_all(self, api_as, julie, chief, intervention,
                                                      karims):
        assert_error(api_as(julie).get("/api/v1/interventions/?scope=all"), 403)
        assert_error(api_as(julie).get("/api/v1/interventions/?scope=all&format=xlsx"), 403)
        response = api_as(chief).get("/api/v1/interventions/?scope=all")
        assert {i["id"] for i in response.json()["results"]} == {intervention.pk, karims.pk}

    def test_anonymous_is_401(self, api_client, intervention):
        assert api_client.get("/api/v1/interventions/").status_code == 401
        assert api_client.get(f"/api/v1/interventions/{intervention.pk}/report/")\
            .status_code == 401

    def test_put_and_delete_are_not_offered(self, api_as, julie, intervention):
        client = api_as(julie)
        assert client.put(f"/api/v1/interventions/{intervention.pk}/", {},
                          format="json").status_code == 405
        assert client.delete(f"/api/v1/interventions/{intervention.pk}/").status_code == 405


class TestList:
    @pytest.fixture
    def history(self, dupond_site, boiler, old_pump, julie, karim):
        now = timezone.now()
        other_site = SiteFactory(client_account=dupond_site.client_account, name="Entrepôt")
        return {
            "done": InterventionFactory(site=dupond_site, equipment=boiler,
                                        contract=boiler.contract, technicians=[julie],
                                        status=InterventionStatus.DONE,
                                        planned_start=now - datetime.timedelta(days=30),
                                        description="=HYPERLINK(\"http://x\")"),
            "planned": InterventionFactory(site=dupond_site, equipment=old_pump,
                                           technicians=[karim],
                                           planned_start=now + datetime.timedelta(days=3)),
            "elsewhere": InterventionFactory(site=other_site, technicians=[julie],
                                             status=InterventionStatus.IN_PROGRESS,
                                             planned_start=now - datetime.timedelta(days=2),
                                             description="Fuite au plafond"),
            "unplanned": InterventionFactory(site=dupond_site, planned_start=None,
                                             status=InterventionStatus.TO_PLAN),
            "other_site": other_site,
        }

    def ids(self, client, query=""):
        response = client.get(f"/api/v1/interventions/?{query}")
        assert response.status_code == 200, response.content
        return [i["id"] for i in response.json()["results"]]

    def test_item_shape(self, api_as, martin, history, julie):
        done = history["done"]
        client = api_as(martin)
        item = next(i for i in client.get("/api/v1/interventions/").json()["results"]
                    if i["id"] == done.pk)
        assert item == {
            "id": done.pk, "number": done.number, "status": "done", "status_label": "Réalisée",
            "urgent": False, "serial_number_typed": "",
            "client": {"id": done.client_account_id, "name": "Dupond Industrie"},
            "site": {"id": done.site_id, "name": "Usine de Vénissieux",
                     "address": done.site.full_address},
            "equipment": {"id": done.equipment_id, "serial_number": "VIT-2019-0042",
                          "label": "Viessmann Vitodens 200"},
            "contract": {"id": done.contract_id, "number": "CT-DUP-01"},
            "under_contract": True, "under_warranty": False,
            "planned_start": item["planned_start"], "planned_end": item["planned_end"],
            "arrival_at": None, "end_at": None,
            "technicians": [{"id": julie.pk, "name": "Julie Bernard"}],
            "description": done.description, "signed_at": None, "report_url": None,
            "can": {"edit": False, "sign": False},
        }

    def test_a_typed_serial_and_the_urgency_reach_the_technician_and_the_client(
            self, api_as, martin, julie, dispatcher, dupond_site):
        from portal_api.service.services import ticket_convert, ticket_create

        ticket = ticket_create(client_account=dupond_site.client_account, requester=martin,
                               serial_number_typed="DKN-7731", site=dupond_site, urgent=True,
                               description="Le climatiseur goutte.")
        intervention = ticket_convert(ticket=ticket, by=dispatcher, technicians=[julie])
        for user in (julie, martin):
            client = api_as(user)
            [item] = client.get("/api/v1/interventions/?scope=mine").json()["results"]
            assert (item["equipment"], item["serial_number_typed"], item["urgent"]) == (
                None, "DKN-7731", True)
            detail = client.get(f"/api/v1/interventions/{intervention.pk}/").json()
            assert detail["serial_number_typed"] == "DKN-7731" and detail["urgent"] is True
            assert detail["site"]["id"] == dupond_site.pk

    def test_clients_see_the_most_recent_first(self, api_as, martin, history):
        h = history
        assert self.ids(api_as(martin)) == [h["unplanned"].pk, h["planned"].pk,
                                            h["elsewhere"].pk, h["done"].pk]

    def test_filters(self, api_as, martin, history, boiler):
        h = history
        client = api_as(martin)
        today = timezone.localdate()
        assert set(self.ids(client, f"date_from={today - datetime.timedelta(days=5)}")) == {
            h["planned"].pk, h["elsewhere"].pk}
        assert self.ids(client, f"date_to={today - datetime.timedelta(days=5)}") == [
            h["done"].pk]
        assert set(self.ids(client, "status=done,in_progress")) == {h["done"].pk,
                                                                    h["elsewhere"].pk}
        assert set(self.ids(client, "status=done&status=to_plan")) == {h["done"].pk,
                                                                       h["unplanned"].pk}
        assert self.ids(client, f"site={h['other_site'].pk}") == [h["elsewhere"].pk]
        assert self.ids(client, f"equipment={boiler.pk}") == [h["done"].pk]
        assert self.ids(client, "under_contract=true") == [h["done"].pk]
        assert h["done"].pk not in self.ids(client, "under_contract=false")
        assert self.ids(client, "search=plafond") == [h["elsewhere"].pk]
        assert self.ids(client, f"search={h['planned'].number}") == [h["planned"].pk]

    @pytest.mark.parametrize(("query", "field"), [
        ("status=bogus", "status"), ("status=done,bogus", "status"),
        ("date_from=demain", "date_from"),
        ("date_from=2026-03-01&date_to=2026-02-01", "date_to"),
        ("under_contract=peut-etre", "under_contract"), ("scope=everything", "scope"),
        ("site=abc", "site"),
    ])
    def test_bad_filter_is_a_400_naming_it(self, api_as, martin, history, query, field):
        for suffix in ("", "&format=xlsx"):
            error = assert_error(api_as(martin).get(f"/api/v1/interventions/?{query}{suffix}"),
                                 400)
            assert field in error["fields"]

    def test_technicians_scopes(self, api_as, julie, chief, history, dupond_company):
        h = history
        assert set(self.ids(api_as(julie))) == {h["done"].pk, h["elsewhere"].pk}
        assert set(self.ids(api_as(julie), "scope=mine")) == {h["done"].pk, h["elsewhere"].pk}
        assert self.ids(api_as(julie), "scope=mine_contract") == [h["done"].pk]
        assert set(self.ids(api_as(chief))) == {h["done"].pk, h["elsewhere"].pk,
                                                h["planned"].pk, h["unplanned"].pk}
        assert self.ids(api_as(chief), "scope=mine") == []
        other = InterventionFactory(site=SiteFactory(client_account=ClientAccountFactory()))
        assert other.pk in self.ids(api_as(chief), "scope=all")
        assert other.pk not in self.ids(api_as(chief), f"client={dupond_company.pk}")

    def test_words_typed_in_the_client_field_filter_by_name_or_code(
            self, api_as, julie, chief, martin, history, other_company):
        """A client typed and not picked from the suggestions still filters (issue 12), on
        the name or the code, every word, within what the user may see."""
        h = history
        other = InterventionFactory(site=SiteFactory(client_account=other_company),
                                    technicians=[julie])
        dupond = {h["done"].pk, h["elsewhere"].pk, h["planned"].pk, h["unplanned"].pk}
        assert set(self.ids(api_as(chief), "scope=all&client_search=Dupond")) == dupond
        assert set(self.ids(api_as(chief), "scope=all&client_search=dup%20INDUS")) == dupond
        assert self.ids(api_as(chief), "scope=all&client_search=autre") == [other.pk]
        assert self.ids(api_as(chief), "scope=all&client_search=dupond%20autre") == []
        # Scoped like the rest: Julie's own only, Martin his company's only.
        assert set(self.ids(api_as(julie), "scope=mine&client_search=dupond")) == {
            h["done"].pk, h["elsewhere"].pk}
        assert self.ids(api_as(martin), "client_search=Autre") == []
        assert set(self.ids(api_as(martin), "client_search=Dupond")) == dupond

    def test_the_client_words_cost_no_extra_query(self, client, chief, history,
                                                  other_company):
        InterventionFactory(site=SiteFactory(client_account=other_company))
        client.force_login(chief)
        with CaptureQueriesContext(connection) as plain:
            assert client.get("/api/v1/interventions/?scope=all").json()["count"] == 5
        with CaptureQueriesContext(connection) as filtered:
            assert client.get(
                "/api/v1/interventions/?scope=all&client_search=Dupond").json()["count"] == 4
        assert len(filtered.captured_queries) == len(plain.captured_queries)

    def test_a_clients_list_is_his_companys_whatever_the_scope(self, api_as, martin,
                                                                history):
        everything = set(self.ids(api_as(martin)))
        assert len(everything) == 4
        for scope in ("mine", "mine_contract", "all"):
            assert set(self.ids(api_as(martin), f"scope={scope}")) == everything

    def test_technicians_see_today_first_then_upcoming_then_past(self, api_as, julie,
                                                                 dupond_site):
        now = timezone.localtime()
        today_8 = now.replace(hour=8, minute=0, second=0, microsecond=0)

        def at(moment, **extra):
            return InterventionFactory(site=dupond_site, technicians=[julie],
                                       planned_start=moment, **extra).pk

        yesterday = at(today_8 - datetime.timedelta(days=1))
        next_week = at(today_8 + datetime.timedelta(days=7))
        later_today = at(today_8 + datetime.timedelta(hours=9))
        long_ago = at(today_8 - datetime.timedelta(days=20))
        tomorrow = at(today_8 + datetime.timedelta(days=1))
        this_morning = at(today_8)
        unplanned = at(None, status=InterventionStatus.TO_PLAN)
        assert self.ids(api_as(julie)) == [this_morning, later_today, tomorrow, next_week,
                                           unplanned, yesterday, long_ago]
        by_date = [i for i in self.ids(api_as(julie), "ordering=planned_start") if i != unplanned]
        assert by_date[:2] == [long_ago, yesterday]

    def test_export_holds_exactly_the_filtered_rows_escaped(self, api_as, martin, history):
        h = history
        response = api_as(martin).get("/api/v1/interventions/?format=xlsx&status=done,to_plan")
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith('attachment; filename="interventions-')
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][:3] == ("Numéro", "Statut", "Client")
        assert sorted(row[0] for row in rows[1:]) == sorted([h["done"].number,
                                                             h["unplanned"].number])
        done = next(row for row in rows[1:] if row[0] == h["done"].number)
        assert done[1] == "Réalisée" and done[4] == "VIT-2019-0042"
        assert done[6] == "Oui" and done[11] == "Julie Bernard"
        assert done[12] == "'=HYPERLINK(\"http://x\")"  # stays text

    @pytest.mark.parametrize("who", ["martin", "julie", "chief"])
    def test_list_runs_a_constant_number_of_queries(self, client, request, who, dupond_site,
                                                    boiler, julie, karim):
        user = request.getfixturevalue(who)
        client.force_login(user)
        start = timezone.now()

        def make(count):
            for n in range(count):
                InterventionFactory(
                    site=dupond_site, equipment=boiler if n % 2 else None,
                    contract=boiler.contract if n % 3 else None,
                    technicians=[julie, karim] if n % 2 else [julie],
                    status=InterventionStatus.PLANNED if n % 2 else InterventionStatus.DONE,
                    planned_start=start + datetime.timedelta(days=n - 20),
                    signed_at=start if n % 4 == 0 else None,
                    signer_name="Paul Martin" if n % 4 == 0 else "",
                )

        make(5)
        with CaptureQueriesContext(connection) as small:
            assert client.get("/api/v1/interventions/").json()["count"] == 5
        make(45)
        with CaptureQueriesContext(connection) as large:
            assert len(client.get("/api/v1/interventions/").json()["results"]) == 50
        assert len(large.captured_queries) == len(small.captured_queries)
        with CaptureQueriesContext(connection) as export:
            assert client.get("/api/v1/interventions/?format=xlsx").status_code == 200
        assert len(export.captured_queries) <= len(small.captured_queries) + 2


class TestDetail:
    def test_the_sheet(self, api_as, julie, sheet, dupond_contract):
        data = api_as(julie).get(f"/api/v1/interventions/{sheet.pk}/").json()
        assert data["can"] == {"edit": True, "sign": True}
        [line] = data["lines"]
        assert set(line) == {"id", "article", "label", "quantity", "unit_price_excl_tax",
                             "total_excl_tax"}
        assert set(line["article"]) == {"id", "reference", "label", "unit", "kind"}
        assert line["quantity"] == "1.000" and line["total_excl_tax"] == "42.50"
        [entry] = data["time_entries"]
        assert entry["technician"] == {"id": julie.pk, "name": "Julie Bernard"}
        assert entry["kind"] == "work" and entry["kind_label"] == "Travail sur site"
        [expense] = data["expenses"]
        assert expense["kind_label"] == "Repas" and expense["amount"] == "15.90"
        assert expense["receipt_url"]
        client = api_as(julie)
        receipt = client.get(expense["receipt_url"])
        assert receipt.status_code == 200
        assert receipt["Content-Disposition"].startswith("attachment;")
        kinds = sorted(d["kind"] for d in data["documents"])
        assert kinds == ["photo", "receipt"]
        assert data["contracts"] == [{"id": dupond_contract.pk, "number": "CT-DUP-01",
                                      "title": "Maintenance chaufferie"}]
        assert data["contract_proposed"] == {"id": dupond_contract.pk, "number": "CT-DUP-01"}
        assert data["warranty_proposed"] is True
        assert data["ticket"] is None and data["signature_url"] is None
        assert data["report_url"] is None and data["signer_name"] == ""
        for key in ("departure_at", "return_at", "meter_reading", "work_done", "comments"):
            assert key in data

    def test_clients_get_neither_the_expenses_nor_the_receipts(self, api_as, martin, sheet):
        data = api_as(martin).get(f"/api/v1/interventions/{sheet.pk}/").json()
        assert [d["kind"] for d in data["documents"]] == ["photo"]
        assert sheet.expenses.exists() and data["expenses"] == []
        receipt = sheet.expenses.get().receipt
        assert_error(api_as(martin).get(
            f"/api/v1/interventions/{sheet.pk}/documents/{receipt.pk}/"), 404)

    def test_a_document_of_another_intervention_is_404(self, api_as, julie, sheet,
                                                       other_signed):
        document = Document.objects.filter(related_id=other_signed.pk, kind="photo").get()
        assert_error(api_as(julie).get(
            f"/api/v1/interventions/{sheet.pk}/documents/{document.pk}/"), 404)

    def test_the_requests_attachments_are_among_its_documents(self, api_as, julie, martin,
                                                              boiler, files):
        from portal_api.service.services import ticket_convert, ticket_create

        ticket = ticket_create(client_account=boiler.client_account, requester=martin,
                               description="Fuite", equipment=boiler,
                               attachments=[files.png()])
        intervention = ticket_convert(ticket=ticket, by=julie, technicians=[julie],
                                      planned_start=timezone.now())
        data = api_as(julie).get(f"/api/v1/interventions/{intervention.pk}/").json()
        assert data["ticket"] == {"id": ticket.pk, "number": ticket.number}
        [photo] = data["documents"]
        assert api_as(julie).get(photo["download_url"]).status_code == 200

    def test_detail_query_count_does_not_grow_with_the_sheet(self, client, julie, sheet):
        client.force_login(julie)
        with CaptureQueriesContext(connection) as small:
            client.get(f"/api/v1/interventions/{sheet.pk}/")
        for _ in range(5):
            fill(sheet)
        with CaptureQueriesContext(connection) as large:
            assert len(client.get(f"/api/v1/interventions/{sheet.pk}/").json()["lines"]) == 6
        assert len(large.captured_queries) == len(small.captured_queries)


class TestSheet:
    def patch(self, client, intervention, body):
        return client.patch(f"/api/v1/interventions/{intervention.pk}/", body, format="json")

    def test_fill_in_the_times_and_the_meter(self, api_as, julie, intervention, boiler):
        now = timezone.now().replace(microsecond=0)
        response = self.patch(api_as(julie), intervention, {
            "departure_at": (now - datetime.timedelta(hours=1)).isoformat(),
            "arrival_at": now.isoformat(), "meter_reading": "12345.60",
            "work_done": "Nettoyage du brûleur", "under_warranty": False,
        })
        assert response.status_code == 200, response.content
        data = response.json()
        assert data["status"] == "in_progress"
        assert data["meter_reading"] == "12345.60"
        assert data["work_done"] == "Nettoyage du brûleur"
        assert data["under_warranty"] is False
        assert MeterReading.objects.get(equipment=boiler).value == Decimal("12345.60")

    def test_contract_can_be_removed_and_chosen(self, api_as, julie, intervention,
                                                dupond_contract):
        client = api_as(julie)
        assert self.patch(client, intervention, {"contract": None}).json()["contract"] is None
        data = self.patch(client, intervention, {"contract": dupond_contract.pk}).json()
        assert data["contract"] == {"id": dupond_contract.pk, "number": "CT-DUP-01"}

    @pytest.mark.parametrize(("body", "field"), [
        ({"departure_at": "2026-05-01T10:00:00+02:00",
          "arrival_at": "2026-05-01T09:00:00+02:00"}, "arrival_at"),
        ({"arrival_at": "2026-05-01T10:00:00+02:00",
          "end_at": "2026-05-01T09:00:00+02:00"}, "end_at"),
        ({"arrival_at": "hier"}, "arrival_at"),
        ({"meter_reading": "-1"}, "meter_reading"),
        ({"meter_reading": "beaucoup"}, "meter_reading"),
        ({"contract": "OTHER"}, "contract"),
        ({"contract": 999999}, "contract"),
        ({"under_warranty": "peut-être"}, "under_warranty"),
    ])
    def test_bad_input_is_a_400_naming_the_field(self, api_as, julie, intervention,
                                                 other_contract, body, field):
        body = {k: other_contract.pk if v == "OTHER" else v for k, v in body.items()}
        before = snapshot()
        error = assert_error(self.patch(api_as(julie), intervention, body), 400)
        assert field in error["fields"], error
        assert snapshot() == before

    def test_lines(self, api_as, julie, intervention, part, labour):
        client = api_as(julie)
        url = f"/api/v1/interventions/{intervention.pk}/lines/"
        response = client.post(url, {"article": part.pk, "quantity": "2"}, format="json")
        assert response.status_code == 201, response.content
        response = client.post(url, {"article": labour.pk, "quantity": "1.5",
                                     "label": "Main d'œuvre dépannage"}, format="json")
        lines = response.json()["lines"]
        assert [(li["article"]["reference"], li["quantity"], li["total_excl_tax"])
                for li in lines] == [("CIRC-25", "2.000", "378.00"), ("MO-TECH", "1.500",
                                                                       "102.00")]
        assert lines[1]["label"] == "Main d'œuvre dépannage"
        line_id = lines[0]["id"]
        data = client.patch(f"{url}{line_id}/", {"quantity": "3"}, format="json").json()
        assert data["lines"][0]["quantity"] == "3.000"
        data = client.delete(f"{url}{line_id}/").json()
        assert [li["article"]["reference"] for li in data["lines"]] == ["MO-TECH"]

    @pytest.mark.parametrize(("body", "field"), [
        ({"article": "OFFICE"}, "article"), ({"article": "HIDDEN_FAMILY"}, "article"),
        ({"article": 999999}, "article"), ({"quantity": "0"}, "quantity"),
        ({"quantity": "abc"}, "quantity"), ({"quantity": "-1"}, "quantity"),
    ])
    def test_bad_lines_are_400(self, api_as, julie, intervention, part, office_only_article,
                               hidden_family_article, body, field):
        articles = {"OFFICE": office_only_article.pk,
                    "HIDDEN_FAMILY": hidden_family_article.pk}
        body = {k: articles.get(v, v) for k, v in body.items()}
        before = snapshot()
        error = assert_error(api_as(julie).post(
            f"/api/v1/interventions/{intervention.pk}/lines/",
            {"article": part.pk, "quantity": "1", **body}, format="json"), 400)
        assert field in error["fields"]
        assert snapshot() == before

    def test_a_line_of_another_intervention_is_404(self, api_as, julie, sheet, karims):
        line = karims.lines.first()
        before = snapshot()
        assert_error(api_as(julie).patch(
            f"/api/v1/interventions/{sheet.pk}/lines/{line.pk}/", {"quantity": "5"},
            format="json"), 404)
        assert snapshot() == before

    def test_time_entries(self, api_as, julie, intervention):
        client = api_as(julie)
        url = f"/api/v1/interventions/{intervention.pk}/time-entries/"
        response = client.post(url, {"kind": "travel", "date": "2026-05-04", "hours": "1.25",
                                     "comment": "Aller-retour"}, format="json")
        assert response.status_code == 201, response.content
        [entry] = response.json()["time_entries"]
        assert entry["technician"]["id"] == julie.pk and entry["kind_label"] == "Déplacement"
        assert entry["hours"] == "1.25"
        data = client.delete(f"{url}{entry['id']}/").json()
        assert data["time_entries"] == []

    @pytest.mark.parametrize(("body", "field"), [
        ({"hours": "25"}, "hours"), ({"hours": "0"}, "hours"), ({"kind": "sieste"}, "kind"),
        ({"date": "demain"}, "date"),
    ])
    def test_bad_time_entries_are_400(self, api_as, julie, intervention, body, field):
        before = snapshot()
        error = assert_error(api_as(julie).post(
            f"/api/v1/interventions/{intervention.pk}/time-entries/",
            {"kind": "work", "date": "2026-05-04", "hours": "2", **body}, format="json"), 400)
        assert field in error["fields"]
        assert snapshot() == before

    def test_expenses_with_a_receipt_photo(self, api_as, julie, intervention, files):
        client = api_as(julie)
        url = f"/api/v1/interventions/{intervention.pk}/expenses/"
        response = client.post(url, {"kind": "fuel", "date": "2026-05-04", "amount": "54.20",
                                     "comment": "Plein", "receipt": files.jpeg("ticket.jpg")},
                               format="multipart")
        assert response.status_code == 201, response.content
        [expense] = response.json()["expenses"]
        assert expense["kind"] == "fuel" and expense["amount"] == "54.20"
        downloaded = client.get(expense["receipt_url"])
        assert b"".join(downloaded.streaming_content).startswith(b"\xff\xd8\xff")
        data = client.delete(f"{url}{expense['id']}/").json()
        assert data["expenses"] == []

    @pytest.mark.parametrize(("body", "field"), [
        ({"amount": "0"}, "amount"), ({"amount": "douze"}, "amount"),
        ({"kind": "cadeau"}, "kind"), ({"receipt": "HTML"}, "receipt"),
    ])
    def test_bad_expenses_are_400(self, api_as, julie, intervention, files, body, field):
        if body.get("receipt") == "HTML":
            body = {"receipt": files.upload("recu.jpg", b"<html>hop</html>", "image/jpeg")}
        before = snapshot()
        error = assert_error(api_as(julie).post(
            f"/api/v1/interventions/{intervention.pk}/expenses/",
            {"kind": "meal", "date": "2026-05-04", "amount": "12", **body},
            format="multipart"), 400)
        assert field in error["fields"]
        assert snapshot() == before

    def test_documents(self, api_as, julie, martin, intervention, files):
        client = api_as(julie)
        response = client.post(f"/api/v1/interventions/{intervention.pk}/documents/",
                               {"files": [files.jpeg("avant.jpg"), files.pdf("schema.pdf")]},
                               format="multipart")
        assert response.status_code == 201, response.content
        documents = response.json()["documents"]
        assert [d["kind"] for d in documents] == ["photo", "attachment"]
        assert set(documents[0]) == {"id", "title", "kind", "content_type", "size",
                                     "download_url", "created_at"}
        # The client sees them too.
        downloaded = api_as(martin).get(documents[1]["download_url"])
        assert downloaded.status_code == 200
        assert b"".join(downloaded.streaming_content).startswith(b"%PDF-")

    @pytest.mark.parametrize("kind", ["html", "none"])
    def test_bad_documents_are_400(self, api_as, julie, intervention, files, kind):
        body = {"files": [files.upload("photo.jpg", b"<html><body>x</body></html>",
                                       "image/jpeg")]} if kind == "html" else {}
        before = snapshot()
        error = assert_error(api_as(julie).post(
            f"/api/v1/interventions/{intervention.pk}/documents/", body,
            format="multipart"), 400)
        assert "files" in error["fields"]
        assert snapshot() == before


class TestSignature:
    def sign(self, client, intervention, **body):
        payload = {"signer_name": "Paul Martin", "signature": data_url(signature_bytes()),
                   **body}
        return client.post(f"/api/v1/interventions/{intervention.pk}/sign/", payload,
                           format="json")

    def test_an_incomplete_sheet_names_what_is_missing(self, api_as, julie, intervention):
        before = snapshot()
        error = assert_error(self.sign(api_as(julie), intervention, signer_name=""), 400)
        assert {"arrival_at", "end_at", "work_done", "signer_name"} <= set(error["fields"])
        assert snapshot() == before

    @pytest.mark.parametrize("signature", [
        "pas une image", "data:image/png;base64,%%%", data_url(b"<html></html>"),
        data_url(signature_bytes(blank=True)),
        "data:image/jpeg;base64," + base64.b64encode(image_bytes()).decode(),
    ])
    def test_a_bad_signature_is_400(self, api_as, julie, intervention, signature):
        client = api_as(julie)
        now = timezone.now()
        client.patch(f"/api/v1/interventions/{intervention.pk}/", {
            "arrival_at": (now - datetime.timedelta(hours=1)).isoformat(),
            "end_at": now.isoformat(), "work_done": "Fait"}, format="json")
        before = snapshot()
        error = assert_error(self.sign(client, intervention, signature=signature), 400)
        assert "signature" in error["fields"]
        assert snapshot() == before

    def test_sign_locks_the_sheet_and_the_report_is_downloadable(
            self, api_as, julie, martin, other_manager, sheet, part, files):
        client = api_as(julie)
        now = timezone.now()
        client.patch(f"/api/v1/interventions/{sheet.pk}/", {
            "arrival_at": (now - datetime.timedelta(hours=1)).isoformat(),
            "end_at": now.isoformat(), "work_done": "Remplacement du circulateur"},
            format="json")
        response = self.sign(client, sheet)
        assert response.status_code == 200, response.content
        data = response.json()
        assert data["status"] == "done" and data["signed_at"]
        assert data["signer_name"] == "Paul Martin"
        assert data["can"] == {"edit": False, "sign": False}
        assert data["report_url"] and data["signature_url"]

        # Locked: every write is a 409 and nothing changes.
        sheet.refresh_from_db()
        before = snapshot()
        for method, url, body in endpoints(sheet, part):
            if method in WRITES:
                assert_error(call(client, method, url, body), 409)
        assert snapshot() == before

        # The report: rendered on the spot when the background task has not run yet.
        Intervention.objects.filter(pk=sheet.pk).update(report=None)
        for user in (martin, julie):
            report = api_as(user).get(data["report_url"])
            assert report.status_code == 200
            assert report["Content-Type"] == "application/pdf"
            assert report["Content-Disposition"] == (
                f'attachment; filename="{sheet.number}.pdf"')
            assert b"".join(report.streaming_content).startswith(b"%PDF-")
        assert Intervention.objects.get(pk=sheet.pk).report_id is not None
        assert Document.objects.filter(kind="intervention_report").count() == 1

        signature = api_as(martin).get(data["signature_url"])
        assert signature.status_code == 200 and signature["Content-Type"] == "image/png"
        assert b"".join(signature.streaming_content).startswith(b"\x89PNG")
        assert_error(api_as(other_manager).get(data["report_url"]), 404)
        assert_error(api_as(other_manager).get(data["signature_url"]), 404)

    def test_signing_a_signed_sheet_is_409(self, api_as, julie, signed):
        before = snapshot()
        assert_error(self.sign(api_as(julie), signed), 409)
        assert_error(api_as(julie).patch(f"/api/v1/interventions/{signed.pk}/",
                                         {"work_done": "Changé"}, format="json"), 409)
        assert snapshot() == before

    def test_no_report_before_the_signature(self, api_as, martin, intervention):
        assert_error(api_as(martin).get(f"/api/v1/interventions/{intervention.pk}/report/"),
                     404)
        assert not Document.objects.filter(kind="intervention_report").exists()


class TestCreateOnSite:
    def post(self, client, body):
        return client.post("/api/v1/interventions/", body, format="json")

    def test_a_technician_creates_one_and_is_assigned(self, api_as, julie, dupond_site,
                                                      boiler):
        response = self.post(api_as(julie), {
            "client_account": dupond_site.client_account_id, "site": dupond_site.pk,
            "equipment": boiler.pk, "description": "Fuite découverte sur place"})
        assert response.status_code == 201, response.content
        data = response.json()
        assert data["status"] == "in_progress"
        assert data["technicians"] == [{"id": julie.pk, "name": "Julie Bernard"}]
        assert data["equipment"]["id"] == boiler.pk
        assert data["can"] == {"edit": True, "sign": True}

    @pytest.mark.parametrize(("body", "field"), [
        ({"site": "OTHER_SITE"}, "site"), ({"equipment": "OTHER_EQUIPMENT"}, "equipment"),
        ({"client_account": 999999}, "client_account"), ({"description": ""}, "description"),
        ({"site": None}, "site"),
    ])
    def test_bad_input_is_a_400_naming_the_field(self, api_as, julie, dupond_site,
                                                 other_site, other_equipment, body, field):
        things = {"OTHER_SITE": other_site.pk, "OTHER_EQUIPMENT": other_equipment.pk}
        body = {k: things.get(v, v) for k, v in body.items()}
        before = snapshot()
        error = assert_error(self.post(api_as(julie), {
            "client_account": dupond_site.client_account_id, "site": dupond_site.pk,
            "description": "Fuite", **body}), 400)
        assert field in error["fields"], error
        assert snapshot() == before

    @pytest.mark.parametrize("who", ["dispatcher", "martin", "dupond"])
    def test_only_technicians_create_on_site(self, request, api_as, who, dupond_site):
        before = snapshot()
        assert_error(self.post(api_as(request.getfixturevalue(who)), {
            "client_account": dupond_site.client_account_id, "site": dupond_site.pk,
            "description": "Fuite"}), 403)
        assert snapshot() == before

    def test_an_inactive_client_is_400(self, api_as, julie, dupond_site, dupond_company):
        dupond_company.active = False
        dupond_company.save()
        before = snapshot()
        error = assert_error(self.post(api_as(julie), {
            "client_account": dupond_company.pk, "site": dupond_site.pk,
            "description": "Fuite"}), 400)
        assert "client_account" in error["fields"]
        assert snapshot() == before


class TestClientsSitesEquipment:
    def test_technicians_pick_a_client(self, api_as, julie, dupond_company, other_company):
        ClientAccountFactory(code="ANCIEN", name="Ancien Client", active=False)
        client = api_as(julie)
        data = client.get("/api/v1/clients/").json()
        assert [c["code"] for c in data["results"]] == ["AUTRE", "DUPOND"]
        assert data["results"][1] == {"id": dupond_company.pk, "code": "DUPOND",
                                      "name": "Dupond Industrie"}
        assert [c["id"] for c in client.get("/api/v1/clients/?search=dup").json()[
            "results"]] == [dupond_company.pk]
        assert client.get("/api/v1/clients/?search=ancien").json()["results"] == []

    def test_clients_may_not_list_the_companies(self, api_as, martin, dupond, other_company):
        for user in (martin, dupond):
            assert_error(api_as(user).get("/api/v1/clients/"), 403)
            assert_error(api_as(user).get(f"/api/v1/clients/{other_company.pk}/"), 403)

    def test_list_runs_a_constant_number_of_queries(self, client, julie):
        client.force_login(julie)
        ClientAccountFactory.create_batch(5)
        with CaptureQueriesContext(connection) as small:
            client.get("/api/v1/clients/")
        ClientAccountFactory.create_batch(45)
        with CaptureQueriesContext(connection) as large:
            assert len(client.get("/api/v1/clients/").json()["results"]) == 50
        assert len(large.captured_queries) == len(small.captured_queries)

    def test_sites_and_equipment_by_client(self, api_as, julie, martin, dupond_site, boiler,
                                           other_site, other_equipment, dupond_company,
                                           other_company):
        client = api_as(julie)
        sites = client.get(f"/api/v1/sites/?client={dupond_company.pk}").json()["results"]
        assert [s["id"] for s in sites] == [dupond_site.pk]
        equipment = client.get(f"/api/v1/equipment/?client={other_company.pk}").json()
        assert [e["id"] for e in equipment["results"]] == [other_equipment.pk]
        # A client user only reaches his own company, whatever he asks for.
        assert api_as(martin).get(f"/api/v1/sites/?client={other_company.pk}").json()[
            "results"] == []
        assert api_as(martin).get(f"/api/v1/equipment/?client={other_company.pk}").json()[
            "results"] == []
        error = assert_error(client.get("/api/v1/sites/?client=abc"), 400)
        assert "client" in error["fields"]

    def test_equipment_of_a_client_for_a_technician(self, api_as, julie, dupond_company):
        EquipmentFactory.create_batch(2, site=SiteFactory(client_account=dupond_company))
        data = api_as(julie).get(f"/api/v1/equipment/?client={dupond_company.pk}").json()
        assert data["count"] == 2
