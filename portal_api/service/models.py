from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal_api.common.models import TimeStampedModel
from portal_api.common.status import StatusWorkflowModel
from portal_api.common.storage import private_storage


class Equipment(TimeStampedModel):
    client_account = models.ForeignKey(
        "accounts.ClientAccount", on_delete=models.PROTECT, related_name="equipment",
        verbose_name=_("client"),
    )
    site = models.ForeignKey("accounts.Site", on_delete=models.PROTECT, related_name="equipment",
                             verbose_name=_("site"))
    serial_number = models.CharField(_("n° de série"), max_length=60)
    label = models.CharField(_("désignation"), max_length=200, blank=True)
    brand = models.CharField(_("marque"), max_length=80, blank=True)
    model = models.CharField(_("modèle"), max_length=80, blank=True)
    install_date = models.DateField(_("mise en service"), null=True, blank=True)
    warranty_end = models.DateField(_("fin de garantie"), null=True, blank=True)
    contract = models.ForeignKey("billing.Contract", on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="equipment",
                                 verbose_name=_("contrat"))
    active = models.BooleanField(_("en service"), default=True)

    class Meta:
        verbose_name = _("équipement")
        verbose_name_plural = _("équipements")
        ordering = ["client_account", "site", "serial_number"]
        indexes = [
            models.Index(fields=["serial_number"], name="equipment_serial_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["client_account", "serial_number"],
                                    name="equipment_serial_unique_per_client"),
            models.CheckConstraint(
                condition=Q(warranty_end__isnull=True) | Q(install_date__isnull=True)
                | Q(warranty_end__gte=F("install_date")),
                name="equipment_warranty_after_install",
                violation_error_message=_(
                    "La fin de garantie ne peut précéder la mise en service."
                ),
            ),
        ]

    def __str__(self) -> str:
        name = " ".join(p for p in [self.brand, self.model] if p) or self.label
        return f"{name} – {self.serial_number}"


class MeterReading(models.Model):
    wagtail_reference_index_ignore = True

    equipment = models.ForeignKey(Equipment, on_delete=models.CASCADE,
                                  related_name="meter_readings", verbose_name=_("équipement"))
    value = models.DecimalField(_("relevé compteur"), max_digits=14, decimal_places=2)
    read_at = models.DateTimeField(_("relevé le"))
    intervention = models.ForeignKey("service.Intervention", on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="meter_readings",
                                     verbose_name=_("intervention"))

    class Meta:
        verbose_name = _("relevé compteur")
        verbose_name_plural = _("relevés compteur")
        ordering = ["equipment", "-read_at"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="meterreading_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.value} ({self.read_at:%d/%m/%Y})"


class TicketStatus(models.TextChoices):
    RECEIVED = "received", _("Reçue")
    IN_PROGRESS = "in_progress", _("En cours")
    PLANNED = "planned", _("Intervention planifiée")
    DONE = "done", _("Réalisée")
    CLOSED = "closed", _("Clôturée")


class Ticket(StatusWorkflowModel, TimeStampedModel):
    """A client's intervention request, as it reaches the Action Center."""

    # The pipeline. Once converted, a request follows its intervention (received → in
    # progress or planned, then planned, done; back to in progress when it is cancelled); the
    # staff take it in charge or close it with an answer (service/services.py).
    STATUS_MOVES = {
        TicketStatus.RECEIVED: frozenset({TicketStatus.IN_PROGRESS, TicketStatus.PLANNED,
                                          TicketStatus.CLOSED}),
        TicketStatus.IN_PROGRESS: frozenset({TicketStatus.PLANNED, TicketStatus.DONE,
                                             TicketStatus.CLOSED}),
        TicketStatus.PLANNED: frozenset({TicketStatus.IN_PROGRESS, TicketStatus.DONE,
                                         TicketStatus.CLOSED}),
        TicketStatus.DONE: frozenset({TicketStatus.IN_PROGRESS, TicketStatus.CLOSED}),
        TicketStatus.CLOSED: frozenset(),
    }

    number = models.CharField(_("numéro"), max_length=30, unique=True)
    client_account = models.ForeignKey(
        "accounts.ClientAccount", on_delete=models.PROTECT, related_name="tickets",
        verbose_name=_("client"),
    )
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="tickets",
                                  verbose_name=_("demandeur"))
    equipment = models.ForeignKey(Equipment, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="tickets", verbose_name=_("équipement"))
    serial_number_typed = models.CharField(_("n° de série saisi"), max_length=60, blank=True)
    site = models.ForeignKey("accounts.Site", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="tickets", verbose_name=_("site"))
    description = models.TextField(_("description du problème"))
    urgent = models.BooleanField(_("urgent"), default=False)
    reply_to = models.ForeignKey("accounts.Contact", on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="tickets",
                                 verbose_name=_("contact de réponse"))
    status = models.CharField(_("statut"), max_length=12, choices=TicketStatus.choices,
                              default=TicketStatus.RECEIVED)
    intervention = models.OneToOneField(
        "service.Intervention", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="ticket", verbose_name=_("intervention créée"),
    )
    answer = models.TextField(_("réponse au client"), blank=True)
    closed_at = models.DateTimeField(_("clôturée le"), null=True, blank=True)
    # Attachments: the GED documents related to the request.
    documents = GenericRelation("documents.Document", content_type_field="related_type",
                                object_id_field="related_id",
                                related_query_name="service_ticket")
    # The same request sent twice (a double tap, a retried upload) creates one ticket.
    idempotency_key = models.CharField(max_length=80, blank=True, default="", editable=False)
    # Set once the e-mails are sent, so that a task run twice never sends them twice.
    staff_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    answered_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("demande d'intervention")
        verbose_name_plural = _("demandes d'intervention")
        # The Action Center: urgent first, then the oldest.
        ordering = ["-urgent", "created_at"]
        indexes = [
            models.Index(fields=["status", "-urgent", "created_at"], name="ticket_inbox_idx"),
            models.Index(fields=["client_account", "-created_at"], name="ticket_account_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["requester", "idempotency_key"], name="ticket_idempotency_unique",
                condition=~Q(idempotency_key=""),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def allowed_next_statuses(self) -> frozenset[str]:
        """What the staff may do themselves: take a received request in charge, close it; the
        other moves follow its intervention."""
        manual = {TicketStatus.CLOSED}
        if self.status == TicketStatus.RECEIVED and self.intervention_id is None:
            manual.add(TicketStatus.IN_PROGRESS)
        return super().allowed_next_statuses() & manual

    @property
    def serial_unmatched(self) -> bool:
        """A serial number typed by hand that matches none of the company's equipment: the
        staff have to find out what it is."""
        return bool(self.serial_number_typed) and self.equipment_id is None


class TicketEvent(models.Model):
    """One step of a request's timeline, as the client and the staff see it."""

    wagtail_reference_index_ignore = True

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events",
                               verbose_name=_("demande"))
    created_at = models.DateTimeField(_("le"), default=timezone.now, db_index=True)
    status = models.CharField(_("statut"), max_length=12, choices=TicketStatus.choices)
    message = models.TextField(_("message"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+", verbose_name=_("par"))

    class Meta:
        verbose_name = _("étape de la demande")
        verbose_name_plural = _("étapes de la demande")
        ordering = ["ticket", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.get_status_display()} ({self.created_at:%d/%m/%Y %H:%M})"


class InterventionStatus(models.TextChoices):
    TO_PLAN = "to_plan", _("À planifier")
    PLANNED = "planned", _("Planifiée")
    IN_PROGRESS = "in_progress", _("En cours")
    DONE = "done", _("Réalisée")
    CLOSED = "closed", _("Clôturée")
    CANCELLED = "cancelled", _("Annulée")


class Intervention(StatusWorkflowModel, TimeStampedModel):
    # The pipeline: each move is one service (service/services.py, intervention_set_status),
    # and the request it came from follows. Done means the sheet is complete (signed, or
    # marked done without the customer); only a signed one is closed; a signed one is locked.
    STATUS_MOVES = {
        InterventionStatus.TO_PLAN: frozenset({
            InterventionStatus.PLANNED, InterventionStatus.IN_PROGRESS, InterventionStatus.DONE,
            InterventionStatus.CANCELLED}),
        InterventionStatus.PLANNED: frozenset({
            InterventionStatus.IN_PROGRESS, InterventionStatus.DONE,
            InterventionStatus.CANCELLED}),
        InterventionStatus.IN_PROGRESS: frozenset({InterventionStatus.DONE,
                                                   InterventionStatus.CANCELLED}),
        InterventionStatus.DONE: frozenset({InterventionStatus.CLOSED,
                                            InterventionStatus.CANCELLED}),
        InterventionStatus.CLOSED: frozenset(),
        InterventionStatus.CANCELLED: frozenset(),
    }

    number = models.CharField(_("numéro"), max_length=30, unique=True)
    client_account = models.ForeignKey(
        "accounts.ClientAccount", on_delete=models.PROTECT, related_name="interventions",
        verbose_name=_("client"),
    )
    site = models.ForeignKey("accounts.Site", on_delete=models.PROTECT,
                             related_name="interventions", verbose_name=_("site"))
    equipment = models.ForeignKey(Equipment, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="interventions", verbose_name=_("équipement"))
    # What the client typed when his request named no equipment of his base: the technician
    # needs it on site to find the machine.
    serial_number_typed = models.CharField(_("n° de série saisi"), max_length=60, blank=True)
    # Carried from an urgent request (or set by the dispatcher): the technician sees it first.
    urgent = models.BooleanField(_("urgent"), default=False)
    contract = models.ForeignKey("billing.Contract", on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="interventions",
                                 verbose_name=_("contrat"))
    status = models.CharField(_("statut"), max_length=12, choices=InterventionStatus.choices,
                              default=InterventionStatus.TO_PLAN)
    description = models.TextField(_("motif"), blank=True)
    planned_start = models.DateTimeField(_("début prévu"), null=True, blank=True)
    planned_end = models.DateTimeField(_("fin prévue"), null=True, blank=True)
    technicians = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                         related_name="interventions",
                                         verbose_name=_("techniciens"))
    departure_at = models.DateTimeField(_("départ"), null=True, blank=True)
    arrival_at = models.DateTimeField(_("arrivée"), null=True, blank=True)
    end_at = models.DateTimeField(_("fin"), null=True, blank=True)
    return_at = models.DateTimeField(_("retour"), null=True, blank=True)
    meter_reading = models.DecimalField(_("relevé compteur"), max_digits=14, decimal_places=2,
                                        null=True, blank=True)
    work_done = models.TextField(_("travaux réalisés"), blank=True)
    comments = models.TextField(_("commentaires"), blank=True)
    under_warranty = models.BooleanField(_("sous garantie"), default=False)
    signature_image = models.FileField(_("signature"), storage=private_storage,
                                       upload_to="signatures/%Y/%m/", blank=True)
    signer_name = models.CharField(_("signataire"), max_length=150, blank=True)
    signed_at = models.DateTimeField(_("signée le"), null=True, blank=True)
    report = models.ForeignKey("documents.Document", on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+",
                               verbose_name=_("bon d'intervention (PDF)"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("créée par"))
    # Photos, attachments, receipts and the report: the GED documents related to it.
    documents = GenericRelation("documents.Document", content_type_field="related_type",
                                object_id_field="related_id",
                                related_query_name="service_intervention")

    class Meta:
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        ordering = ["-planned_start", "-id"]
        indexes = [
            models.Index(fields=["client_account", "-planned_start"],
                         name="intervention_account_idx"),
            models.Index(fields=["status", "-planned_start"], name="intervention_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True) | Q(planned_start__isnull=True)
                | Q(planned_end__gte=F("planned_start")),
                name="intervention_planned_window_ordered",
                violation_error_message=_("La fin prévue ne peut précéder le début prévu."),
            ),
            models.CheckConstraint(
                condition=Q(end_at__isnull=True) | Q(arrival_at__isnull=True)
                | Q(end_at__gte=F("arrival_at")),
                name="intervention_end_after_arrival",
                violation_error_message=_("La fin ne peut précéder l'arrivée."),
            ),
            # A signed sheet names its signer.
            models.CheckConstraint(
                condition=Q(signed_at__isnull=True) | ~Q(signer_name=""),
                name="intervention_signed_has_signer",
            ),
            models.CheckConstraint(condition=Q(meter_reading__isnull=True)
                                   | Q(meter_reading__gte=0),
                                   name="intervention_meter_not_negative"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_locked(self) -> bool:
        return self.signed_at is not None

    def allowed_next_statuses(self) -> frozenset[str]:
        """The pipeline's moves this sheet allows now: a signed sheet is no longer cancelled,
        an unsigned one is not closed."""
        moves = super().allowed_next_statuses()
        if self.is_locked:
            return moves - {InterventionStatus.CANCELLED}
        return moves - {InterventionStatus.CLOSED}


class InterventionLine(models.Model):
    wagtail_reference_index_ignore = True

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE,
                                     related_name="lines", verbose_name=_("intervention"))
    position = models.PositiveIntegerField(_("ordre"), default=0)
    article = models.ForeignKey("catalog.Article", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("article"))
    label = models.CharField(_("désignation"), max_length=255, blank=True)
    quantity = models.DecimalField(_("quantité"), max_digits=12, decimal_places=3)
    unit_price_excl_tax = models.DecimalField(_("prix unitaire HT"), max_digits=12,
                                              decimal_places=2)

    class Meta:
        verbose_name = _("ligne d'intervention")
        verbose_name_plural = _("lignes d'intervention")
        ordering = ["intervention", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0),
                                   name="interventionline_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.label}"


class TimeEntryKind(models.TextChoices):
    WORK = "work", _("Travail sur site")
    TRAVEL = "travel", _("Déplacement")


class TimeEntry(models.Model):
    wagtail_reference_index_ignore = True

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE,
                                     related_name="time_entries", verbose_name=_("intervention"))
    technician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="time_entries", verbose_name=_("technicien"))
    kind = models.CharField(_("type"), max_length=10, choices=TimeEntryKind.choices,
                            default=TimeEntryKind.WORK)
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("heures"), max_digits=5, decimal_places=2)
    comment = models.CharField(_("commentaire"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("saisie horaire")
        verbose_name_plural = _("saisies horaires")
        ordering = ["intervention", "date"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0) & Q(hours__lte=24),
                                   name="timeentry_hours_range",
                                   violation_error_message=_("Entre 0 et 24 heures.")),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} – {self.hours} h"


class ExpenseKind(models.TextChoices):
    MEAL = "meal", _("Repas")
    FUEL = "fuel", _("Carburant")
    TOLL = "toll", _("Péage")
    PARKING = "parking", _("Stationnement")
    LODGING = "lodging", _("Hébergement")
    OTHER = "other", _("Autre")


class Expense(models.Model):
    wagtail_reference_index_ignore = True

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE,
                                     related_name="expenses", verbose_name=_("intervention"))
    technician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="expenses", verbose_name=_("technicien"))
    kind = models.CharField(_("type"), max_length=10, choices=ExpenseKind.choices)
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("montant TTC"), max_digits=10, decimal_places=2)
    comment = models.CharField(_("commentaire"), max_length=255, blank=True)
    receipt = models.ForeignKey("documents.Document", on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="+", verbose_name=_("justificatif"))

    class Meta:
        verbose_name = _("frais")
        verbose_name_plural = _("frais")
        ordering = ["intervention", "date"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="expense_amount_positive",
                                   violation_error_message=_("Le montant doit être positif.")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.amount} €"
