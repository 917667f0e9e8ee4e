import base64
import binascii

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal_api.accounts.models import ClientAccount, Contact, Site
from portal_api.accounts.selectors import client_account_list, contact_list, site_list
from portal_api.billing.models import Contract
from portal_api.billing.selectors import contract_list
from portal_api.catalog.models import Article
from portal_api.catalog.selectors import article_list
from portal_api.common.money import round_money
from portal_api.common.serializers import choice_labels, person_ref

from . import selectors
from .models import (
    Equipment,
    ExpenseKind,
    Intervention,
    InterventionStatus,
    Ticket,
    TicketStatus,
    TimeEntryKind,
)

# Read shapes -----------------------------------------------------------------------------
# The nested objects of the lists are built as plain dicts (the same JSON as nested
# serializers, without instantiating several serializers per row); the small Serializer
# classes below only describe them in the OpenAPI schema.


class RefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class EquipmentRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    serial_number = serializers.CharField()
    label = serializers.CharField()


class ContactRefSerializer(RefSerializer):
    email = serializers.CharField()


class SiteRefSerializer(RefSerializer):
    address = serializers.CharField()


class ContractRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()


class ContractChoiceSerializer(ContractRefSerializer):
    title = serializers.CharField()


class NumberRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()


class TicketInterventionSerializer(NumberRefSerializer):
    status = serializers.CharField()
    status_label = serializers.CharField()
    planned_start = serializers.DateTimeField(allow_null=True)


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    download_url = serializers.CharField()


class DocumentItemSerializer(AttachmentSerializer):
    kind = serializers.CharField()
    created_at = serializers.DateTimeField()


class TimelineSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    message = serializers.CharField()


class ArticleRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    kind = serializers.CharField()


class InterventionCanSerializer(serializers.Serializer):
    edit = serializers.BooleanField()
    sign = serializers.BooleanField()


def equipment_ref(equipment: Equipment | None) -> dict | None:
    if equipment is None:
        return None
    label = equipment.label or " ".join(p for p in (equipment.brand, equipment.model) if p)
    return {"id": equipment.pk, "serial_number": equipment.serial_number, "label": label}


def intervention_document_url(intervention, document) -> str:
    """Documents of an intervention are downloaded through it (its selector and rule)."""
    return reverse("api:intervention-document", args=[intervention.pk, document.pk])


def document_item(document, url: str) -> dict:
    return {"id": document.pk, "title": document.title, "kind": document.kind,
            "content_type": document.content_type, "size": document.size,
            "download_url": url, "created_at": document.created_at}


# Equipment -------------------------------------------------------------------------------
class EquipmentSerializer(serializers.ModelSerializer):
    site_name = serializers.CharField(source="site.name", read_only=True)
    contract_number = serializers.CharField(source="contract.number", read_only=True,
                                            default=None, allow_null=True)

    class Meta:
        model = Equipment
        fields = ["id", "serial_number", "label", "brand", "model", "site", "site_name",
                  "install_date", "warranty_end", "contract", "contract_number", "active"]


class EquipmentInterventionSerializer(serializers.ModelSerializer):
    """An intervention as the equipment's history shows it."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    work_summary = serializers.SerializerMethodField()

    class Meta:
        model = Intervention
        fields = ["id", "number", "status", "status_label", "planned_start", "planned_end",
                  "arrival_at", "end_at", "under_warranty", "work_summary"]

    def get_work_summary(self, intervention) -> str:
        text = " ".join((intervention.work_done or intervention.description or "").split())
        return text if len(text) <= 240 else text[:239].rstrip() + "…"


class EquipmentDetailSerializer(EquipmentSerializer):
    """One piece of equipment with its site's address and the interventions done on it (None
    when the user may not follow interventions)."""

    site_address = serializers.CharField(source="site.full_address", read_only=True)
    contract_title = serializers.CharField(source="contract.title", read_only=True, default=None,
                                           allow_null=True)
    interventions = serializers.SerializerMethodField()

    class Meta(EquipmentSerializer.Meta):
        fields = [*EquipmentSerializer.Meta.fields, "site_address", "contract_title",
                  "interventions"]

    def get_interventions(self, equipment) -> list[dict] | None:
        interventions = self.context.get("interventions")
        if interventions is None:
            return None
        return EquipmentInterventionSerializer(interventions, many=True).data


# Tickets ---------------------------------------------------------------------------------


class TicketSerializer(serializers.ModelSerializer):
    """A request as its list shows it."""

    status = serializers.CharField(read_only=True)
    status_label = serializers.SerializerMethodField()
    equipment = serializers.SerializerMethodField()
    serial_unmatched = serializers.BooleanField(read_only=True)
    site = serializers.SerializerMethodField()
    requester = serializers.SerializerMethodField()
    reply_to = serializers.SerializerMethodField()
    intervention = serializers.SerializerMethodField()
    attachments_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Ticket
        fields = ["id", "number", "status", "status_label", "urgent", "description", "equipment",
                  "serial_number_typed", "serial_unmatched", "site", "requester", "reply_to",
                  "intervention", "created_at", "closed_at", "attachments_count"]

    def get_status_label(self, ticket) -> str:
        labels = choice_labels(self.context, "_ticket_status_labels", TicketStatus.choices)
        return labels[ticket.status]

    @extend_schema_field(EquipmentRefSerializer(allow_null=True))
    def get_equipment(self, ticket):
        return equipment_ref(ticket.equipment)

    @extend_schema_field(RefSerializer(allow_null=True))
    def get_site(self, ticket):
        return {"id": ticket.site.pk, "name": ticket.site.name} if ticket.site else None

    @extend_schema_field(RefSerializer(allow_null=True))
    def get_requester(self, ticket):
        return person_ref(ticket.requester)

    @extend_schema_field(ContactRefSerializer(allow_null=True))
    def get_reply_to(self, ticket):
        contact = ticket.reply_to
        if contact is None:
            return None
        name = " ".join(p for p in (contact.first_name, contact.last_name) if p)
        return {"id": contact.pk, "name": name, "email": contact.email}

    @extend_schema_field(TicketInterventionSerializer(allow_null=True))
    def get_intervention(self, ticket):
        intervention = ticket.intervention
        if intervention is None:
            return None
        labels = choice_labels(self.context, "_intervention_status_labels",
                         InterventionStatus.choices)
        return {"id": intervention.pk, "number": intervention.number,
                "status": intervention.status, "status_label": labels[intervention.status],
                "planned_start": intervention.planned_start}


class TicketDetailSerializer(TicketSerializer):
    """One request with its answer, attachments (downloaded through the ticket) and
    timeline."""

    attachments = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()

    class Meta(TicketSerializer.Meta):
        fields = [*TicketSerializer.Meta.fields, "answer", "attachments", "timeline"]

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, ticket):
        return [
            {"id": d.pk, "title": d.title, "content_type": d.content_type, "size": d.size,
             "download_url": reverse("api:ticket-attachment", args=[ticket.pk, d.pk])}
            for d in getattr(ticket, "attachments", ())
        ]

    @extend_schema_field(TimelineSerializer(many=True))
    def get_timeline(self, ticket):
        labels = choice_labels(self.context, "_ticket_status_labels", TicketStatus.choices)
        return [{"at": e.created_at, "status": e.status, "status_label": labels[e.status],
                 "message": e.message} for e in ticket.events.all()]


def _scoped(field: serializers.Field, queryset) -> None:
    field.queryset = queryset


class TicketCreateSerializer(serializers.Serializer):
    equipment = serializers.PrimaryKeyRelatedField(
        queryset=Equipment.objects.none(), required=False, allow_null=True,
        label=_("équipement"),
        error_messages={"does_not_exist": _("Cet équipement n'existe pas dans votre parc."),
                        "incorrect_type": _("Cet équipement n'existe pas dans votre parc.")},
    )
    serial_number = serializers.CharField(max_length=60, required=False, allow_blank=True,
                                          trim_whitespace=True, label=_("n° de série"))
    # Where the equipment is, when it is not picked from the base (its own site otherwise).
    site = serializers.PrimaryKeyRelatedField(
        queryset=Site.objects.none(), required=False, allow_null=True, label=_("site"),
        error_messages={"does_not_exist": _("Ce site n'existe pas."),
                        "incorrect_type": _("Ce site n'existe pas.")},
    )
    description = serializers.CharField(max_length=5000, label=_("description du problème"),
                                        error_messages={
                                            "required": _("Décrivez le problème."),
                                            "blank": _("Décrivez le problème.")})
    urgent = serializers.BooleanField(required=False, default=False, label=_("urgent"))
    reply_to = serializers.PrimaryKeyRelatedField(
        queryset=Contact.objects.none(), required=False, allow_null=True,
        label=_("contact de réponse"),
        error_messages={"does_not_exist": _("Ce contact n'existe pas."),
                        "incorrect_type": _("Ce contact n'existe pas.")},
    )
    attachments = serializers.ListField(child=serializers.FileField(), required=False,
                                        default=list, label=_("pièces jointes"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")  # absent when the schema is generated
        if request is not None:
            # Another company's equipment or contact "does not exist": a 400 on the field.
            _scoped(self.fields["equipment"], selectors.equipment_list(user=request.user))
            _scoped(self.fields["reply_to"], contact_list(user=request.user))
            _scoped(self.fields["site"], site_list(user=request.user))

    def validate(self, data):
        if not data.get("equipment") and not data.get("serial_number"):
            message = _("Choisissez un équipement ou saisissez son n° de série.")
            raise serializers.ValidationError({"equipment": [message],
                                               "serial_number": [message]})
        return data


# Interventions ---------------------------------------------------------------------------


class InterventionSerializer(serializers.ModelSerializer):
    """An intervention as the lists show it; `can` tells the widget what the user may do."""

    status = serializers.CharField(read_only=True)
    status_label = serializers.SerializerMethodField()
    client = serializers.SerializerMethodField()
    site = serializers.SerializerMethodField()
    equipment = serializers.SerializerMethodField()
    contract = serializers.SerializerMethodField()
    under_contract = serializers.SerializerMethodField()
    technicians = serializers.SerializerMethodField()
    report_url = serializers.SerializerMethodField()
    can = serializers.SerializerMethodField()

    class Meta:
        model = Intervention
        fields = ["id", "number", "status", "status_label", "urgent", "client", "site",
                  "equipment", "serial_number_typed", "contract", "under_contract",
                  "under_warranty", "planned_start",
                  "planned_end", "arrival_at", "end_at", "technicians", "description",
                  "signed_at", "report_url", "can"]

    def get_status_label(self, intervention) -> str:
        labels = choice_labels(self.context, "_intervention_status_labels",
                         InterventionStatus.choices)
        return labels[intervention.status]

    @extend_schema_field(RefSerializer)
    def get_client(self, intervention):
        account = intervention.client_account
        return {"id": account.pk, "name": account.name}

    @extend_schema_field(SiteRefSerializer)
    def get_site(self, intervention):
        site = intervention.site
        return {"id": site.pk, "name": site.name, "address": site.full_address}

    @extend_schema_field(EquipmentRefSerializer(allow_null=True))
    def get_equipment(self, intervention):
        return equipment_ref(intervention.equipment)

    @extend_schema_field(ContractRefSerializer(allow_null=True))
    def get_contract(self, intervention):
        contract = intervention.contract
        return {"id": contract.pk, "number": contract.number} if contract else None

    def get_under_contract(self, intervention) -> bool:
        return intervention.contract_id is not None

    @extend_schema_field(RefSerializer(many=True))
    def get_technicians(self, intervention):
        return [person_ref(user) for user in intervention.technicians.all()]

    def get_report_url(self, intervention) -> str | None:
        # Signed: the report exists, or is rendered on the spot by the download.
        if intervention.signed_at is None and intervention.report_id is None:
            return None
        return reverse("api:intervention-report", args=[intervention.pk])

    @extend_schema_field(InterventionCanSerializer)
    def get_can(self, intervention) -> dict:
        user = self.context["request"].user
        # The rules depend on who the user is, whether he is assigned and the sheet's state:
        # on a page of 50, ask them once per combination rather than twice per row.
        assigned = any(t.pk == user.pk for t in intervention.technicians.all())
        key = (intervention.status, intervention.signed_at is None, assigned)
        cache = self.context.setdefault("_can_by_state", {})
        if key not in cache:
            cache[key] = intervention_can(user, intervention)
        return cache[key]


def intervention_can(user, intervention) -> dict:
    """What the user may do with this intervention now (a signed sheet is locked)."""
    unlocked = intervention.signed_at is None
    return {
        "edit": unlocked and user.has_perm("service.edit_intervention_sheet", intervention),
        "sign": unlocked and user.has_perm("service.sign_intervention", intervention),
    }


class InterventionLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    article = ArticleRefSerializer()
    label = serializers.CharField()
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3)
    unit_price_excl_tax = serializers.DecimalField(max_digits=12, decimal_places=2)
    total_excl_tax = serializers.DecimalField(max_digits=14, decimal_places=2)


class TimeEntryItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    technician = RefSerializer()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    date = serializers.DateField()
    hours = serializers.DecimalField(max_digits=5, decimal_places=2)
    comment = serializers.CharField()


class ExpenseItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    technician = RefSerializer()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    date = serializers.DateField()
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)
    comment = serializers.CharField()
    receipt_url = serializers.CharField(allow_null=True)


class InterventionDetailSerializer(InterventionSerializer):
    """The intervention sheet. The view puts in the context what comes from other reads:
    `documents`, `contracts`, `warranty_proposed`, `contract_proposed`."""

    lines = serializers.SerializerMethodField()
    time_entries = serializers.SerializerMethodField()
    expenses = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()
    signature_url = serializers.SerializerMethodField()
    ticket = serializers.SerializerMethodField()
    warranty_proposed = serializers.SerializerMethodField()
    contract_proposed = serializers.SerializerMethodField()
    contracts = serializers.SerializerMethodField()

    class Meta(InterventionSerializer.Meta):
        fields = [*InterventionSerializer.Meta.fields, "departure_at", "return_at",
                  "meter_reading", "work_done", "comments", "lines", "time_entries",
                  "expenses", "documents", "signer_name", "signature_url", "ticket",
                  "warranty_proposed", "contract_proposed", "contracts"]

    @extend_schema_field(InterventionLineSerializer(many=True))
    def get_lines(self, intervention):
        rows = []
        for line in intervention.lines.all():
            article = line.article
            rows.append({
                "id": line.pk,
                "article": {"id": article.pk, "reference": article.reference,
                            "label": article.label, "unit": article.unit, "kind": article.kind},
                "label": line.label or article.label,
                "quantity": str(line.quantity),
                "unit_price_excl_tax": str(line.unit_price_excl_tax),
                "total_excl_tax": str(round_money(line.quantity * line.unit_price_excl_tax)),
            })
        return rows

    @extend_schema_field(TimeEntryItemSerializer(many=True))
    def get_time_entries(self, intervention):
        labels = choice_labels(self.context, "_time_kind_labels", TimeEntryKind.choices)
        return [{"id": e.pk, "technician": person_ref(e.technician), "kind": e.kind,
                 "kind_label": labels.get(e.kind, e.kind), "date": e.date,
                 "hours": str(e.hours), "comment": e.comment}
                for e in intervention.time_entries.all()]

    @extend_schema_field(ExpenseItemSerializer(many=True))
    def get_expenses(self, intervention):
        labels = choice_labels(self.context, "_expense_kind_labels", ExpenseKind.choices)
        # A receipt has a link only for who may download it (the documents he may see).
        visible = {d.pk for d in self.context.get("documents", ())}
        return [{"id": e.pk, "technician": person_ref(e.technician), "kind": e.kind,
                 "kind_label": labels.get(e.kind, e.kind), "date": e.date,
                 "amount": str(e.amount), "comment": e.comment,
                 "receipt_url": (intervention_document_url(intervention, e.receipt)
                                 if e.receipt_id in visible else None)}
                for e in intervention.expenses.all()]

    @extend_schema_field(DocumentItemSerializer(many=True))
    def get_documents(self, intervention):
        return [document_item(d, intervention_document_url(intervention, d))
                for d in self.context.get("documents", ())]

    def get_signature_url(self, intervention) -> str | None:
        if not intervention.signature_image:
            return None
        return reverse("api:intervention-signature", args=[intervention.pk])

    @extend_schema_field(NumberRefSerializer(allow_null=True))
    def get_ticket(self, intervention):
        ticket = getattr(intervention, "ticket", None)
        return {"id": ticket.pk, "number": ticket.number} if ticket else None

    def get_warranty_proposed(self, intervention) -> bool:
        return bool(self.context.get("warranty_proposed"))

    @extend_schema_field(ContractRefSerializer(allow_null=True))
    def get_contract_proposed(self, intervention):
        contract = self.context.get("contract_proposed")
        return {"id": contract.pk, "number": contract.number} if contract else None

    @extend_schema_field(ContractChoiceSerializer(many=True))
    def get_contracts(self, intervention):
        return [{"id": c.pk, "number": c.number, "title": c.title}
                for c in self.context.get("contracts", ())]


class InterventionCreateSerializer(serializers.Serializer):
    """A new intervention found on site: the technician creating it is assigned."""

    client_account = serializers.PrimaryKeyRelatedField(
        queryset=ClientAccount.objects.none(), label=_("client"),
        error_messages={"does_not_exist": _("Ce client n'existe pas."),
                        "incorrect_type": _("Ce client n'existe pas.")},
    )
    site = serializers.PrimaryKeyRelatedField(
        queryset=Site.objects.none(), label=_("site"),
        error_messages={"does_not_exist": _("Ce site n'existe pas."),
                        "incorrect_type": _("Ce site n'existe pas.")},
    )
    equipment = serializers.PrimaryKeyRelatedField(
        queryset=Equipment.objects.none(), required=False, allow_null=True,
        label=_("équipement"),
        error_messages={"does_not_exist": _("Cet équipement n'existe pas."),
                        "incorrect_type": _("Cet équipement n'existe pas.")},
    )
    description = serializers.CharField(max_length=5000, label=_("motif"),
                                        error_messages={
                                            "required": _("Décrivez l'intervention."),
                                            "blank": _("Décrivez l'intervention.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            user = request.user
            _scoped(self.fields["client_account"],
                    client_account_list(user=user).filter(active=True))
            _scoped(self.fields["site"], site_list(user=user))
            _scoped(self.fields["equipment"], selectors.equipment_list(user=user))


class InterventionSheetSerializer(serializers.Serializer):
    """The fields of the sheet a technician fills in (PATCH: any of them)."""

    departure_at = serializers.DateTimeField(required=False, allow_null=True,
                                             label=_("départ"))
    arrival_at = serializers.DateTimeField(required=False, allow_null=True, label=_("arrivée"))
    end_at = serializers.DateTimeField(required=False, allow_null=True, label=_("fin"))
    return_at = serializers.DateTimeField(required=False, allow_null=True, label=_("retour"))
    meter_reading = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0,
                                             required=False, allow_null=True,
                                             label=_("relevé compteur"))
    work_done = serializers.CharField(max_length=20000, required=False, allow_blank=True,
                                      trim_whitespace=False, label=_("travaux réalisés"))
    comments = serializers.CharField(max_length=20000, required=False, allow_blank=True,
                                     trim_whitespace=False, label=_("commentaires"))
    under_warranty = serializers.BooleanField(required=False, label=_("sous garantie"))
    contract = serializers.PrimaryKeyRelatedField(
        queryset=Contract.objects.none(), required=False, allow_null=True, label=_("contrat"),
        error_messages={"does_not_exist": _("Ce contrat n'existe pas."),
                        "incorrect_type": _("Ce contrat n'existe pas.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            _scoped(self.fields["contract"], contract_list(user=request.user))


class InterventionLineAddSerializer(serializers.Serializer):
    article = serializers.PrimaryKeyRelatedField(
        queryset=Article.objects.none(), label=_("article"),
        error_messages={"does_not_exist": _("Cet article n'existe pas dans le catalogue."),
                        "incorrect_type": _("Cet article n'existe pas dans le catalogue.")},
    )
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3, label=_("quantité"))
    label = serializers.CharField(max_length=255, required=False, allow_blank=True,
                                  default="", label=_("désignation"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # The technicians' catalogue: hidden articles do not exist for them.
            _scoped(self.fields["article"], article_list(user=request.user))

    def validate_quantity(self, value):
        if value <= 0:
            raise serializers.ValidationError(_("La quantité doit être positive."))
        return value


class InterventionLineUpdateSerializer(serializers.Serializer):
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3, label=_("quantité"))
    label = serializers.CharField(max_length=255, required=False, allow_blank=True,
                                  label=_("désignation"))

    def validate_quantity(self, value):
        if value <= 0:
            raise serializers.ValidationError(_("La quantité doit être positive."))
        return value


def _kind_field(choices, label) -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=choices, label=label,
        error_messages={"invalid_choice": _("Choisissez un type de la liste.")},
    )


class TimeEntryCreateSerializer(serializers.Serializer):
    kind = _kind_field(TimeEntryKind.choices, _("type"))
    date = serializers.DateField(label=_("date"))
    hours = serializers.DecimalField(max_digits=5, decimal_places=2, label=_("heures"))
    comment = serializers.CharField(max_length=255, required=False, allow_blank=True,
                                    default="", label=_("commentaire"))

    def validate_hours(self, value):
        if not 0 < value <= 24:
            raise serializers.ValidationError(_("Entre 0 et 24 heures."))
        return value


class ExpenseCreateSerializer(serializers.Serializer):
    kind = _kind_field(ExpenseKind.choices, _("type"))
    date = serializers.DateField(label=_("date"))
    amount = serializers.DecimalField(max_digits=10, decimal_places=2, label=_("montant TTC"))
    comment = serializers.CharField(max_length=255, required=False, allow_blank=True,
                                    default="", label=_("commentaire"))
    receipt = serializers.FileField(required=False, allow_null=True, label=_("justificatif"))

    def validate_amount(self, value):
        if value <= 0:
            raise serializers.ValidationError(_("Le montant doit être positif."))
        return value


class DocumentsUploadSerializer(serializers.Serializer):
    files = serializers.ListField(child=serializers.FileField(), allow_empty=False,
                                  label=_("fichiers"),
                                  error_messages={
                                      "required": _("Ajoutez au moins un fichier."),
                                      "empty": _("Ajoutez au moins un fichier.")})


class DocumentsUploadedSerializer(serializers.Serializer):
    documents = DocumentItemSerializer(many=True)


class SignSerializer(serializers.Serializer):
    # The service names every missing piece at once (times, work done, signer): the name may
    # come empty here.
    signer_name = serializers.CharField(max_length=150, required=False, allow_blank=True,
                                        default="", label=_("signataire"))
    signature = serializers.CharField(label=_("signature"),
                                      help_text=_("Image PNG en data URL "
                                                  "(data:image/png;base64,…)."))

    def validate_signature(self, value) -> bytes:
        prefix = "data:image/png;base64,"
        message = _("La signature doit être une image PNG.")
        if not value.startswith(prefix):
            raise serializers.ValidationError(message)
        try:
            return base64.b64decode(value[len(prefix):], validate=True)
        except (binascii.Error, ValueError) as exc:
            raise serializers.ValidationError(message) from exc


# Clients ---------------------------------------------------------------------------------


class ClientChoiceSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClientAccount
        fields = ["id", "code", "name"]

